import { ORG_KINDS, SCHOOL_LEVELS } from "../../domain/org.ts";
import type { OrgJson } from "../../features/orgs/org-json.ts";
import { html, type SafeHtml } from "../html.ts";
import { renderPage } from "../layout.ts";
import type { PageContext } from "../web-context.ts";

export type ComposeValues = {
  title: string;
  body: string;
  deadline: string;
  kinds: string[];
  levels: string[];
  under: string;
  require_ack: boolean;
  document_id: string;
};

export const EMPTY_COMPOSE: ComposeValues = { title: "", body: "", deadline: "", kinds: ["school"], levels: [], under: "", require_ack: true, document_id: "" };

/** Field errors by path ("title", "audience.under", …) as the form shows them. */
import type { FieldErrors } from "../form-errors.ts";
export type { FieldErrors };

const fieldError = (errors: FieldErrors, path: string, id: string): SafeHtml | string => (errors[path] ? html`<p class="field-error" id="${id}-error">${errors[path]}</p>` : "");

/**
 * The compose form: title, body, deadline, the audience over the organisation tree (kind, level,
 * subtree) with its live recipient count, an issued document to attach, and beside it the message
 * as each channel will show it (refreshed as the officer types; both need the page's script).
 */
export function directiveComposePage(
  ctx: PageContext,
  o: {
    values: ComposeValues;
    errors: FieldErrors;
    subtrees: OrgJson[];
    documents: { id: number; symbol: string | null; subject: string | null }[];
    count: number | null;
    message?: string | undefined;
  },
): string {
  const { values: v, errors } = o;
  const invalid = (path: string) => (errors[path] ? html`aria-invalid="true" aria-describedby="${path.replace(".", "-")}-error"` : "");
  return renderPage(ctx, {
    title: ctx.t("compose.title"),
    active: "directives",
    scripts: ["compose.js"],
    body: html`<h1>${ctx.t("compose.title")}</h1>
      ${o.message ? html`<p class="alert error" role="alert">${o.message}</p>` : ""}
      <div class="compose">
        <form method="post" action="/directives" class="card stack" id="compose-form" novalidate>
          <input type="hidden" name="_csrf" value="${ctx.csrf}" />
          <label for="title">${ctx.t("compose.field_title")}</label>
          <input id="title" name="title" type="text" required maxlength="300" value="${v.title}" ${invalid("title")} />
          ${fieldError(errors, "title", "title")}
          <label for="body">${ctx.t("compose.field_body")}</label>
          <textarea id="body" name="body" required maxlength="20000" rows="8" ${invalid("body")}>${v.body}</textarea>
          ${fieldError(errors, "body", "body")}
          <label for="deadline">${ctx.t("compose.field_deadline")} <span class="hint">${ctx.t("optional")}</span></label>
          <input id="deadline" name="deadline" type="date" value="${v.deadline}" ${invalid("deadline")} />
          ${fieldError(errors, "deadline", "deadline")}
          <fieldset id="audience">
            <legend>${ctx.t("compose.audience")}</legend>
            <label for="under">${ctx.t("compose.under")}</label>
            <select id="under" name="under" ${invalid("audience.under")}>
              <option value="">${ctx.t("compose.under_mine")}</option>
              ${o.subtrees.map((org) => html`<option value="${org.code}" ${org.code === v.under ? "selected" : ""}>${org.name} (${org.code})</option>`)}
            </select>
            ${fieldError(errors, "audience.under", "audience-under")}
            <fieldset>
              <legend>${ctx.t("compose.kinds")}</legend>
              <div class="checks">
                ${ORG_KINDS.filter((k) => k !== "ministry").map(
                  (k) => html`<label><input type="checkbox" name="kinds" value="${k}" ${v.kinds.includes(k) ? "checked" : ""} /> ${ctx.t(`kinds.${k}`)}</label>`,
                )}
              </div>
            </fieldset>
            <fieldset>
              <legend>${ctx.t("compose.levels")}</legend>
              <div class="checks">
                ${SCHOOL_LEVELS.map((l) => html`<label><input type="checkbox" name="levels" value="${l}" ${v.levels.includes(l) ? "checked" : ""} /> ${ctx.t(`levels.${l}`)}</label>`)}
              </div>
            </fieldset>
            <p class="count-live" aria-live="polite" id="audience-count">${o.count === null ? "" : ctx.t("compose.count", { count: o.count })}</p>
            ${fieldError(errors, "audience", "audience")}
          </fieldset>
          <label><input type="checkbox" name="require_ack" value="1" ${v.require_ack ? "checked" : ""} /> ${ctx.t("compose.require_ack")}</label>
          <label for="document_id">${ctx.t("compose.document")} <span class="hint">${ctx.t("optional")}</span></label>
          <select id="document_id" name="document_id" ${invalid("document_id")}>
            <option value="">${ctx.t("compose.no_document")}</option>
            ${o.documents.map((d) => html`<option value="${d.id}" ${String(d.id) === v.document_id ? "selected" : ""}>${d.symbol ?? ""} — ${d.subject ?? ""}</option>`)}
          </select>
          ${fieldError(errors, "document_id", "document_id")}
          <button type="submit" class="primary">${ctx.t("compose.save")}</button>
          <p class="hint">${ctx.t("compose.save_hint")}</p>
        </form>
        <aside class="card preview" aria-labelledby="preview-title">
          <h2 id="preview-title">${ctx.t("compose.preview")}</h2>
          <div id="preview" aria-live="polite"><p class="muted">${ctx.t("compose.preview_empty")}</p></div>
        </aside>
      </div>`,
  });
}
