import type { DirectiveListRow } from "../../features/directives/find-directives.ts";
import { html } from "../html.ts";
import { formatCount, formatDate, percent } from "../format.ts";
import { renderPage } from "../layout.ts";
import type { PageContext } from "../web-context.ts";

/** The progress bar of a directive: acknowledged people of all it went to. */
export function progressBar(ctx: PageContext, acknowledged: number, recipients: number) {
  const p = percent(acknowledged, recipients);
  return html`<div class="progress">
    <div
      class="bar"
      role="progressbar"
      aria-valuemin="0"
      aria-valuemax="100"
      aria-valuenow="${p}"
      aria-label="${ctx.t("directives.progress_label", { done: acknowledged, total: recipients })}"
    >
      <span style="width:${p}%"></span>
    </div>
    <span class="num">${formatCount(acknowledged, ctx.locale)}/${formatCount(recipients, ctx.locale)}</span>
  </div>`;
}

/** A directive's status as a badge. */
export function statusBadge(ctx: PageContext, status: string) {
  const tone = status === "published" ? "ok" : status === "draft" ? "warn" : "muted";
  return html`<span class="badge ${tone}">${ctx.t(`directives.status.${status}`)}</span>`;
}

/** The list of directives with their acknowledgement progress and deadlines. */
export function directivesListPage(ctx: PageContext, { rows, q, canWrite }: { rows: DirectiveListRow[]; q: string; canWrite: boolean }): string {
  const now = Date.now();
  const table = rows.length
    ? html`<div class="table-wrap" tabindex="0">
        <table class="responsive">
          <caption class="sr-only">
            ${ctx.t("directives.title")}
          </caption>
          <thead>
            <tr>
              <th scope="col">${ctx.t("directives.col.title")}</th>
              <th scope="col">${ctx.t("directives.col.status")}</th>
              <th scope="col">${ctx.t("directives.col.deadline")}</th>
              <th scope="col">${ctx.t("directives.col.progress")}</th>
              <th scope="col" class="num">${ctx.t("directives.col.unreachable")}</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map((r) => {
              const overdue = r.deadline && r.deadline.getTime() < now && r.acknowledged < r.recipients;
              return html`<tr>
                <td data-label="${ctx.t("directives.col.title")}"><a href="/directives/${r.id}">${r.title}</a><br /><span class="muted">${r.issuer_name ?? ""}</span></td>
                <td data-label="${ctx.t("directives.col.status")}">${statusBadge(ctx, r.status)}</td>
                <td data-label="${ctx.t("directives.col.deadline")}">
                  ${r.deadline ? html`<span class="${overdue ? "overdue" : ""}">${formatDate(r.deadline)}${overdue ? html` · ${ctx.t("directives.overdue")}` : ""}</span>` : html`<span class="muted">—</span>`}
                </td>
                <td data-label="${ctx.t("directives.col.progress")}">
                  ${r.status === "draft" ? html`<span class="muted">${ctx.t("directives.not_published")}</span>` : progressBar(ctx, r.acknowledged, r.recipients)}
                </td>
                <td data-label="${ctx.t("directives.col.unreachable")}" class="num">${formatCount(r.unreachable, ctx.locale)}</td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>`
    : html`<div class="card empty">
        <p><strong>${q ? ctx.t("directives.empty_search") : ctx.t("directives.empty")}</strong></p>
        <p>${canWrite ? ctx.t("directives.empty_hint") : ctx.t("directives.empty_hint_viewer")}</p>
        ${canWrite ? html`<p><a class="button primary" href="/directives/new">${ctx.t("directives.new")}</a></p>` : ""}
      </div>`;
  return renderPage(ctx, {
    title: ctx.t("directives.title"),
    active: "directives",
    body: html`<h1>${ctx.t("directives.title")}</h1>
      <div class="actions">
        ${canWrite ? html`<a class="button primary" href="/directives/new">${ctx.t("directives.new")}</a>` : ""}
        <form method="get" action="/directives" role="search" class="actions">
          <label for="q" class="sr-only">${ctx.t("directives.search")}</label>
          <input id="q" type="search" name="q" value="${q}" placeholder="${ctx.t("directives.search")}" maxlength="200" />
          <button type="submit">${ctx.t("search")}</button>
        </form>
      </div>
      ${table}`,
  });
}
