// Batch page: asks for the batch's progress every two seconds and moves the bar; when the batch
// ends (done or failed) the page reloads once to show the downloads or the error.
const box = document.getElementById("batch");
const id = box.dataset.id;
const fmt = new Intl.NumberFormat(document.documentElement.lang === "vi" ? "vi-VN" : "en-GB");

async function tick() {
  try {
    const res = await fetch(`/certificates/batches/${id}/progress`, { headers: { accept: "application/json" } });
    if (res.ok) {
      const { status, done, total } = await res.json();
      const pct = total ? Math.round((done / total) * 100) : 0;
      const bar = box.querySelector("[role=progressbar]");
      bar.setAttribute("aria-valuenow", String(pct));
      bar.firstElementChild.style.width = `${pct}%`;
      box.querySelector(".num").textContent = `${fmt.format(done)}/${fmt.format(total)}`;
      if (status === "done" || status === "failed") return void location.reload();
    }
  } catch {
    // A dropped connection: try again at the next tick.
  }
  setTimeout(tick, 2000);
}
setTimeout(tick, 2000);
