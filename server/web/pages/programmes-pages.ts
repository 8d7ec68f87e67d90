/** Programmes (checklists): the list, a directive's matrix and board, extension requests, "remind now". */
import type { StepStatusName } from "../../domain/step-status.ts";
import type { Board } from "../../features/programmes/find-board.ts";
import type { ChecklistView } from "../../features/programmes/find-directive-checklist.ts";
import type { ExtensionRequestRow } from "../../features/programmes/find-extension-requests.ts";
import type { ProgrammeRow } from "../../features/programmes/find-programmes.ts";
import { formatCount, formatDate } from "../format.ts";
import { html } from "../html.ts";
import { renderPage } from "../layout.ts";
import type { PageContext } from "../web-context.ts";

const STATUSES: StepStatusName[] = ["not_started", "in_progress", "done", "blocked"];

export type MatrixFilter = { status: "" | StepStatusName; overdue: boolean; under: string };

/** The directives that carry a checklist. */
export function programmesPage(ctx: PageContext, rows: ProgrammeRow[]): string {
  return renderPage(ctx, {
    title: ctx.t("programmes.title"),
    active: "programmes",
    body: html`<h1>${ctx.t("programmes.title")}</h1>
      ${
        rows.length
          ? html`<ul class="list">
              ${rows.map((r) => html`<li><a href="/directives/${r.id}/checklist">${r.title}</a> <span class="muted">· ${formatCount(r.steps, ctx.locale)} ${ctx.t("programmes.step")}</span></li>`)}
            </ul>`
          : html`<p class="empty">${ctx.t("programmes.no_checklist")}</p>`
      }`,
  });
}

/** A directive's checklist: the supervisor's board, then the school × step matrix with filters. */
export function checklistPage(ctx: PageContext, o: { view: ChecklistView; board: Board; filter: MatrixFilter; subtrees: { code: string; name: string }[] }): string {
  const { view, board, filter } = o;
  const id = view.directive.id;
  const opt = (value: string, label: string, current: string) => html`<option value="${value}" ${value === current ? "selected" : ""}>${label}</option>`;
  const schools = view.schools.filter((s) => s.steps.some((p) => (!filter.status || p.status === filter.status) && (!filter.overdue || p.overdue)));
  const boardTable = html`<section aria-labelledby="board-title">
    <h2 id="board-title">${ctx.t("programmes.board_title")} <span class="muted">· ${ctx.t("programmes.schools", { count: formatCount(board.schools, ctx.locale) })}</span></h2>
    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="board-title">
      <table>
        <thead>
          <tr>
            <th scope="col">${ctx.t("programmes.step")}</th>
            ${STATUSES.map((s) => html`<th scope="col">${ctx.t(`programmes.status.${s}`)}</th>`)}
            <th scope="col">${ctx.t("programmes.count_overdue")}</th>
            <th scope="col">${ctx.t("programmes.overdue_schools")}</th>
            <th scope="col">${ctx.t("programmes.blocked_schools")}</th>
          </tr>
        </thead>
        <tbody>
          ${board.steps.map(
            (s) =>
              html`<tr data-step="${s.n}">
                <th scope="row">${s.n}. ${s.title}</th>
                ${STATUSES.map((k) => html`<td data-count="${k}">${formatCount(s.counts[k], ctx.locale)}</td>`)}
                <td data-count="overdue">${formatCount(s.counts.overdue, ctx.locale)}</td>
                <td>${s.overdue.length ? s.overdue.map((x) => x.org_name).join(", ") : ctx.t("programmes.none")}</td>
                <td>${s.blocked.length ? s.blocked.map((x) => (x.note ? `${x.org_name} (${x.note})` : x.org_name)).join(", ") : ctx.t("programmes.none")}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
  const matrix = html`<section aria-labelledby="matrix-title">
    <h2 id="matrix-title">${ctx.t("programmes.matrix_title")}</h2>
    <div class="actions"><a class="button" href="/directives/${id}/checklist.xlsx" download>${ctx.t("programmes.xlsx")}</a></div>
    <form method="get" action="/directives/${id}/checklist" class="filters">
      <div>
        <label for="status">${ctx.t("programmes.filter_status")}</label>
        <select id="status" name="status">
          ${opt("", ctx.t("programmes.any"), filter.status)}${STATUSES.map((s) => opt(s, ctx.t(`programmes.status.${s}`), filter.status))}
        </select>
      </div>
      <div>
        <label for="under">${ctx.t("programmes.filter_under")}</label>
        <select id="under" name="under">
          ${opt("", ctx.t("programmes.any"), filter.under)}${o.subtrees.map((s) => opt(s.code, `${s.name} (${s.code})`, filter.under))}
        </select>
      </div>
      <div class="check">
        <input type="checkbox" id="overdue" name="overdue" value="1" ${filter.overdue ? "checked" : ""} /><label for="overdue">${ctx.t("programmes.filter_overdue")}</label>
      </div>
      <div><button type="submit">${ctx.t("programmes.apply")}</button></div>
    </form>
    ${
      schools.length
        ? html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="matrix-title">
            <table class="matrix">
              <thead>
                <tr>
                  <th scope="col">${ctx.t("programmes.school")}</th>
                  ${view.steps.map((s) => html`<th scope="col">${s.n}. ${s.title}${s.due ? html`<br /><span class="muted">${ctx.t("programmes.due")} ${formatDate(s.due)}</span>` : ""}</th>`)}
                </tr>
              </thead>
              <tbody>
                ${schools.map(
                  (school) =>
                    html`<tr data-org="${school.org_code}">
                      <th scope="row">${school.org_name} <span class="muted">(${school.org_code})</span></th>
                      ${school.steps.map(
                        (p) =>
                          html`<td data-status="${p.status}" ${p.overdue ? html`data-overdue="1"` : ""}>
                            ${ctx.t(`programmes.status.${p.status}`)}${p.overdue ? html` · <strong class="overdue">${ctx.t("programmes.overdue")}</strong>` : ""}
                            ${p.due && p.due !== view.steps.find((s) => s.n === p.n)?.due ? html`<br /><span class="muted">${ctx.t("programmes.due")} ${formatDate(p.due)}</span>` : ""}
                            ${p.note ? html`<br /><span class="muted">${p.note}</span>` : ""}
                          </td>`,
                      )}
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : html`<p class="empty">${ctx.t("programmes.empty")}</p>`
    }
  </section>`;
  return renderPage(ctx, {
    title: `${ctx.t("programmes.title")} · ${view.directive.title}`,
    active: "programmes",
    body: html`<p><a href="/directives/${id}">← ${ctx.t("programmes.back")}</a></p>
      <h1>${view.directive.title}</h1>
      ${view.steps.length ? html`${boardTable}${matrix}` : html`<p class="empty">${ctx.t("programmes.no_checklist")}</p>`}`,
  });
}

/** Pending extension requests, each with an approve form (optional new date, note) and a refuse form. */
export function extensionsPage(ctx: PageContext, o: { rows: ExtensionRequestRow[]; canDecide: boolean; notice?: string | undefined; message?: string | undefined }): string {
  return renderPage(ctx, {
    title: ctx.t("extensions.title"),
    active: "extensions",
    body: html`<h1>${ctx.t("extensions.title")}</h1>
      ${o.notice ? html`<p class="alert ok" role="status">${o.notice}</p>` : ""} ${o.message ? html`<p class="alert error" role="alert">${o.message}</p>` : ""}
      ${
        o.rows.length
          ? o.rows.map(
              (r) =>
                html`<article class="card" aria-labelledby="ext-${r.id}" data-extension="${r.id}">
                  <h2 id="ext-${r.id}"><a href="/directives/${r.directive_id}/checklist">${r.directive_title}</a></h2>
                  <dl class="facts">
                    <dt>${ctx.t("extensions.school")}</dt>
                    <dd>${r.org_name} (${r.org_code})${r.person_name ? ` · ${r.person_name}` : ""}</dd>
                    <dt>${ctx.t("extensions.step")}</dt>
                    <dd>${r.step !== null ? `${r.step}. ${r.step_title ?? ""}` : ctx.t("extensions.whole")}</dd>
                    <dt>${ctx.t("extensions.asked")}</dt>
                    <dd>${r.text}</dd>
                    <dt>${ctx.t("extensions.until")}</dt>
                    <dd>${formatDate(r.requested_until)}</dd>
                  </dl>
                  ${
                    o.canDecide
                      ? html`<form method="post" action="/extensions/${r.id}/decision" class="filters" aria-label="${ctx.t("extensions.decide_label", { id: r.id })}">
                          <input type="hidden" name="_csrf" value="${ctx.csrf}" />
                          <div><label for="until-${r.id}">${ctx.t("extensions.new_until")}</label><input type="date" id="until-${r.id}" name="until" /></div>
                          <div><label for="note-${r.id}">${ctx.t("extensions.note")}</label><input type="text" id="note-${r.id}" name="note" maxlength="1000" /></div>
                          <div>
                            <button type="submit" name="decision" value="approve" class="primary">${ctx.t("extensions.approve")}</button>
                            <button type="submit" name="decision" value="refuse">${ctx.t("extensions.refuse")}</button>
                          </div>
                        </form>`
                      : ""
                  }
                </article>`,
            )
          : html`<p class="empty">${ctx.t("extensions.empty")}</p>`
      }`,
  });
}

/** The confirmation before "remind now". */
export function remindConfirmPage(ctx: PageContext, o: { id: number; title: string; checklist: boolean; message?: string | undefined }): string {
  return renderPage(ctx, {
    title: ctx.t("remind.title"),
    active: "directives",
    body: html`<section class="narrow card">
      <h1>${ctx.t("remind.title")}: ${o.title}</h1>
      ${o.message ? html`<p class="alert error" role="alert">${o.message}</p>` : ""}
      <p>${ctx.t("remind.explain", { steps: o.checklist ? ctx.t("remind.steps") : "" })}</p>
      <form method="post" action="/directives/${o.id}/remind" class="actions">
        <input type="hidden" name="_csrf" value="${ctx.csrf}" />
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" class="primary">${ctx.t("remind.send")}</button>
        <a href="/directives/${o.id}">${ctx.t("cancel")}</a>
      </form>
    </section>`,
  });
}
