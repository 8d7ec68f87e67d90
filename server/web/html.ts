/**
 * HTML built with a tagged template that escapes every interpolated value unless it is already
 * {@link SafeHtml}: `html\`<p>${name}</p>\`` cannot inject markup whatever `name` holds. Arrays are
 * joined, and null, undefined and false render as nothing, so conditionals and lists read naturally.
 */

/** Markup that is already safe (built by {@link html} or marked by {@link raw}). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for an element's content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Marks trusted markup (our own constants, SVG we built) as safe. Never pass user text. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  // Text and numbers; an object has no meaningful text and renders as nothing.
  return escapeHtml(typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" || typeof value === "bigint" ? String(value) : "");
}

/** The tagged template: literal parts as written, values escaped. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? "");
  return new SafeHtml(out);
}

/** JSON for a `<script type="application/json">` block: `<` escaped so the text cannot close the element. */
export function jsonScript(value: unknown): SafeHtml {
  return new SafeHtml(JSON.stringify(value).replace(/</g, "\\u003c"));
}
