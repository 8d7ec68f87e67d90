// Compose page: the audience's live recipient count and the message preview per channel.
// Progressive enhancement: without this script the form still saves and the server checks it.
const form = document.getElementById("compose-form");
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const countEl = document.getElementById("audience-count");
const previewEl = document.getElementById("preview");
// Answers in the page's language, whatever the browser's.
const lang = document.documentElement.lang;

const debounce = (fn, ms) => {
  let t;
  return () => {
    clearTimeout(t);
    t = setTimeout(fn, ms);
  };
};

async function refreshCount() {
  const data = new FormData(form);
  const q = new URLSearchParams();
  for (const k of data.getAll("kinds")) q.append("kinds", k);
  for (const l of data.getAll("levels")) q.append("levels", l);
  if (data.get("under")) q.set("under", data.get("under"));
  const res = await fetch(`/directives/audience-count?${q}`, { headers: { accept: "application/json", "accept-language": lang } });
  if (res.ok) countEl.textContent = (await res.json()).text;
}

async function refreshPreview() {
  const data = new FormData(form);
  const body = new URLSearchParams();
  for (const k of ["title", "body", "deadline", "require_ack"]) if (data.get(k)) body.set(k, data.get(k));
  const res = await fetch("/directives/preview", {
    method: "POST",
    headers: { "x-csrf-token": csrf, "accept-language": lang, "content-type": "application/x-www-form-urlencoded" },
    body,
  });
  // Our own server-rendered, escaped fragment.
  if (res.ok) previewEl.innerHTML = await res.text();
}

const count = debounce(refreshCount, 150);
const preview = debounce(refreshPreview, 300);
form.addEventListener("change", (e) => {
  if (e.target.closest("#audience")) count();
  else preview();
});
form.addEventListener("input", (e) => {
  if (!e.target.closest("#audience")) preview();
});
refreshCount();
refreshPreview();
