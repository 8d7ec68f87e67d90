/** The chart of acknowledgements over time: an inline SVG step line, no script and no library. */
import { html, raw, type SafeHtml } from "./html.ts";
import { formatTime } from "./format.ts";

const W = 900;
const H = 220;
const PAD = { left: 40, right: 12, top: 12, bottom: 28 };

/**
 * Cumulative acknowledgements from `start` (publication) to `end` (now), against `total` people.
 * The SVG carries a text description for screen readers.
 */
export function ackChart({ times, total, start, end, label }: { times: Date[]; total: number; start: Date; end: Date; label: string }): SafeHtml {
  const t0 = start.getTime();
  const t1 = Math.max(end.getTime(), times.at(-1)?.getTime() ?? 0, t0 + 60_000);
  const top = Math.max(total, times.length, 1);
  const x = (t: number) => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (n: number) => H - PAD.bottom - (n / top) * (H - PAD.top - PAD.bottom);
  let d = `M${x(t0).toFixed(1)},${y(0).toFixed(1)}`;
  times.forEach((at, i) => {
    const px = x(Math.max(at.getTime(), t0)).toFixed(1);
    d += ` H${px} V${y(i + 1).toFixed(1)}`;
  });
  d += ` H${x(t1).toFixed(1)}`;
  const grid = [0, 0.5, 1].map((f) => {
    const n = Math.round(top * f);
    return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(n)}" y2="${y(n)}" stroke="#d5dae0"/><text x="${PAD.left - 6}" y="${y(n) + 4}" text-anchor="end" font-size="11" fill="#555d66">${n}</text>`;
  });
  const axis = `<text x="${PAD.left}" y="${H - 8}" font-size="11" fill="#555d66">${formatTime(new Date(t0))}</text><text x="${W - PAD.right}" y="${H - 8}" text-anchor="end" font-size="11" fill="#555d66">${formatTime(new Date(t1))}</text>`;
  return html`<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg">
    <title id="chart-title">${label}</title>
    ${raw(grid.join(""))}${raw(axis)}
    <path d="${d}" fill="none" stroke="#1a7f37" stroke-width="2.5" />
  </svg>`;
}
