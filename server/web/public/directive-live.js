// Directive page: follows the directive live over server-sent events and refreshes the counts,
// the progress bar, the chart and the (filtered) recipient table when something changes.
const id = document.getElementById("directive").dataset.id;
const fmt = new Intl.NumberFormat(document.documentElement.lang === "vi" ? "vi-VN" : "en-GB");
let pending = null;

async function refreshParts() {
  const filters = new URLSearchParams(new FormData(document.getElementById("recipient-filters")));
  const headers = { accept: "text/html" };
  const [table, chart] = await Promise.all([fetch(`/directives/${id}/table?${filters}`, { headers }), fetch(`/directives/${id}/chart`, { headers })]);
  // Both are our own server-rendered, escaped fragments.
  if (table.ok) document.getElementById("recipients").innerHTML = await table.text();
  if (chart.ok) document.getElementById("chart").innerHTML = await chart.text();
}

function apply({ people, counts }) {
  const values = { ...people, sent: counts.sent, queued: counts.queued, failed: counts.failed };
  for (const el of document.querySelectorAll("[data-count]")) {
    const v = values[el.dataset.count];
    if (v !== undefined) el.textContent = fmt.format(v);
  }
  const bar = document.querySelector("#live-progress [role=progressbar]");
  const pct = people.recipients ? Math.round((people.acknowledged / people.recipients) * 100) : 0;
  bar.setAttribute("aria-valuenow", String(pct));
  bar.firstElementChild.style.width = `${pct}%`;
  document.querySelector("#live-progress .num").textContent = `${fmt.format(people.acknowledged)}/${fmt.format(people.recipients)}`;
  // Several events in a burst cost one refresh.
  clearTimeout(pending);
  pending = setTimeout(refreshParts, 200);
}

const events = new EventSource(`/directives/${id}/events`);
events.addEventListener("progress", (e) => {
  document.body.dataset.live = "on";
  apply(JSON.parse(e.data));
});

// Filters apply without a reload when the script runs.
document.getElementById("recipient-filters").addEventListener("change", () => {
  const q = new URLSearchParams(new FormData(document.getElementById("recipient-filters")));
  history.replaceState(null, "", `?${q}`);
  refreshParts();
});
