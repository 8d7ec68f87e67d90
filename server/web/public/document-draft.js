// Draft page: saves the draft as the clerk types and reloads the PDF preview, so the preview
// follows the form. Without this script the "Save draft" button does the same with a reload.
const form = document.getElementById("draft-form");
const frame = document.getElementById("pdf-preview");
const state = document.getElementById("preview-state");
const csrf = document.querySelector('meta[name="csrf-token"]').content;
let timer;

async function save() {
  state.textContent = state.dataset.saving ?? "…";
  const res = await fetch(form.action, {
    method: "POST",
    headers: { accept: "application/json", "accept-language": document.documentElement.lang, "x-csrf-token": csrf, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(new FormData(form)),
  });
  if (res.ok) {
    frame.src = `${frame.src.split("?")[0]}?v=${Date.now()}`;
    state.textContent = "";
  } else {
    const body = await res.json().catch(() => ({}));
    state.textContent = body.message ?? String(res.status);
  }
}

form.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(save, 800);
});
