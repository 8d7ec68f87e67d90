/**
 * Forms generated from a template's JSON Schema (what GET /api/v1/templates gives): strings as text
 * inputs (long text as text areas), integers as number inputs, enums as selects, booleans as
 * checkboxes, arrays of strings as text areas with one item a line, objects as fieldsets. Field
 * names are dotted paths under `data.`; {@link formToData} reads them back into the document data.
 */
import { html, type SafeHtml } from "./html.ts";
import type { FieldErrors } from "./form-errors.ts";
import type { PageContext } from "./web-context.ts";

type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  description?: string;
};

/** Text fields that hold paragraphs. */
const LONG_TEXT = new Set(["body"]);

const idOf = (path: string) => `f-${path.replace(/\./g, "-")}`;

/** A scalar form value as text ("" for anything else). */
const asText = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : "");

/** A readable label: the locale's `fields.<name>`, else the name with spaces. */
function labelOf(ctx: PageContext, name: string): string {
  const key = `fields.${name}`;
  const label = ctx.t(key);
  return label === `web.${key}` ? name.replace(/_/g, " ") : label;
}

function valueAt(data: unknown, path: string[]): unknown {
  let node = data;
  for (const p of path) node = node && typeof node === "object" ? (node as Record<string, unknown>)[p] : undefined;
  return node;
}

/** The form fields of `schema` (an object schema) filled from `data`. */
export function schemaFields(ctx: PageContext, schema: unknown, data: unknown, errors: FieldErrors, path: string[] = []): SafeHtml {
  const s = schema as Schema;
  const required = new Set(s.required ?? []);
  return html`${Object.entries(s.properties ?? {}).map(([name, field]) => {
    const here = [...path, name];
    const dotted = here.join(".");
    const id = idOf(dotted);
    const value = valueAt(data, here);
    const error = errors[`data.${dotted}`] ?? errors[dotted];
    const describedBy = error ? html`aria-invalid="true" aria-describedby="${id}-error"` : "";
    const req = required.has(name) ? html`required aria-required="true"` : "";
    const label = html`<label for="${id}">${labelOf(ctx, name)}${required.has(name) ? "" : html` <span class="hint">${ctx.t("optional")}</span>`}</label>`;
    const err = error ? html`<p class="field-error" id="${id}-error">${error}</p>` : "";
    if (field.type === "object") {
      return html`<fieldset>
        <legend>${labelOf(ctx, name)}</legend>
        ${schemaFields(ctx, field, data, errors, here)}
      </fieldset>`;
    }
    if (field.type === "array") {
      const lines = Array.isArray(value) ? value.map(asText).join("\n") : "";
      return html`${label}<span class="hint" id="${id}-hint">${ctx.t("documents.one_per_line")}</span>
        <textarea id="${id}" name="data.${dotted}" rows="4" aria-describedby="${id}-hint" ${describedBy}>${lines}</textarea>${err}`;
    }
    if (field.enum) {
      return html`${label}<select id="${id}" name="data.${dotted}" ${req} ${describedBy}>
          ${required.has(name) ? "" : html`<option value=""></option>`}
          ${field.enum.map((v) => html`<option value="${String(v)}" ${asText(v) === asText(value) ? "selected" : ""}>${asText(v)}</option>`)}</select
        >${err}`;
    }
    if (field.type === "boolean") {
      return html`<label><input type="checkbox" id="${id}" name="data.${dotted}" value="true" ${value === true ? "checked" : ""} /> ${labelOf(ctx, name)}</label>${err}`;
    }
    if (field.type === "integer" || field.type === "number") {
      return html`${label}<input
          id="${id}"
          type="number"
          name="data.${dotted}"
          value="${asText(value)}"
          ${field.minimum !== undefined ? html`min="${field.minimum}"` : ""}
          ${field.maximum !== undefined ? html`max="${field.maximum}"` : ""}
          ${req}
          ${describedBy}
        />${err}`;
    }
    const text = typeof value === "string" ? value : "";
    const max = field.maxLength !== undefined ? html`maxlength="${field.maxLength}"` : "";
    if (LONG_TEXT.has(name) || (field.maxLength ?? 0) > 400) {
      const rows = LONG_TEXT.has(name) ? 10 : 3;
      return html`${label}<textarea id="${id}" name="data.${dotted}" rows="${rows}" ${max} ${req} ${describedBy}>${text}</textarea>${err}`;
    }
    return html`${label}<input id="${id}" type="text" name="data.${dotted}" value="${text}" ${max} ${req} ${describedBy} />${err}`;
  })}`;
}

/**
 * The document data a submitted form describes: empty optional fields are left out (so the
 * template's defaults apply), integers become numbers, text areas for lists become arrays.
 */
export function formToData(schema: unknown, body: Record<string, unknown>, path: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries((schema as Schema).properties ?? {})) {
    const here = [...path, name];
    const raw = body[`data.${here.join(".")}`];
    const text = typeof raw === "string" ? raw : "";
    if (field.type === "object") {
      const inner = formToData(field, body, here);
      if (Object.keys(inner).length) out[name] = inner;
    } else if (field.type === "array") {
      const items = text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
      if (items.length) out[name] = items;
    } else if (field.type === "boolean") {
      if (raw === "true") out[name] = true;
    } else if (field.type === "integer" || field.type === "number") {
      if (text.trim()) out[name] = /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : text;
    } else if (text.trim()) out[name] = text;
  }
  return out;
}
