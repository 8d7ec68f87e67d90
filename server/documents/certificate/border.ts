/**
 * The decorative frame of every certificate, drawn as one form XObject per file: the file carries
 * its drawing once and each page draws it by name, whatever the number of pages.
 */
import { LANDSCAPE } from "./certificate-geometry.ts";

const RED = "0.55 0.06 0.06";
const GOLD = "0.78 0.58 0.12";
const f = (v: number) => (Math.round(v * 100) / 100).toString();

/** A diamond (square turned 45°) centred at x, y with half-diagonal r. */
const diamond = (x: number, y: number, r: number) => `${f(x)} ${f(y + r)} m ${f(x + r)} ${f(y)} l ${f(x)} ${f(y - r)} l ${f(x - r)} ${f(y)} l h `;

/** The content stream of the frame: three rules, a band of diamonds and corner ornaments. */
export function borderStream(): string {
  const { width: W, height: H } = LANDSCAPE;
  const ops: string[] = [];
  const rect = (inset: number) => `${f(inset)} ${f(inset)} ${f(W - 2 * inset)} ${f(H - 2 * inset)} re S`;
  ops.push(`${RED} RG 3.5 w ${rect(18)}`, `0.9 w ${rect(30)}`, `${GOLD} RG 0.6 w ${rect(34)}`);
  // A band of small diamonds between the outer rules.
  let band = `${GOLD} rg `;
  const mid = 24;
  const step = 14;
  for (let x = 40; x <= W - 40; x += step) band += diamond(x, mid, 3) + diamond(x, H - mid, 3);
  for (let y = 40; y <= H - 40; y += step) band += diamond(mid, y, 3) + diamond(W - mid, y, 3);
  ops.push(`${band}f`);
  // Corner ornaments: a large diamond and two arcs in each corner.
  let corners = `${RED} rg `;
  const k = 0.5523;
  for (const [cx, cy, sx, sy] of [
    [mid, mid, 1, 1],
    [W - mid, mid, -1, 1],
    [mid, H - mid, 1, -1],
    [W - mid, H - mid, -1, -1],
  ] as const) {
    corners += diamond(cx, cy, 8);
    const r = 26;
    // A quarter circle from the corner's inner rule, bulging inwards.
    const x0 = cx + sx * 10;
    const y0 = cy + sy * (10 + r);
    const x1 = cx + sx * (10 + r);
    const y1 = cy + sy * 10;
    ops.push(`${GOLD} RG 1.2 w ${f(x0)} ${f(y0)} m ${f(x0 + sx * r * k)} ${f(y0)} ${f(x1)} ${f(y1 + sy * r * k)} ${f(x1)} ${f(y1)} c S`);
  }
  ops.push(`${corners}f`);
  return ops.join("\n");
}
