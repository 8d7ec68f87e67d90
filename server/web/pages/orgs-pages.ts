import type { OrgJson } from "../../features/orgs/org-json.ts";
import type { PersonJson } from "../../features/people/find-people.ts";
import { html, type SafeHtml } from "../html.ts";
import { formatTime } from "../format.ts";
import { renderPage } from "../layout.ts";
import type { PageContext } from "../web-context.ts";

/** The organisation tree with each school's principal, their linked channels and link status. */
export function orgsPage(ctx: PageContext, o: { orgs: OrgJson[]; people: PersonJson[]; canWrite: boolean; channels: string[]; notice?: string | undefined }): string {
  const byParent = new Map<string | null, OrgJson[]>();
  const codes = new Set(o.orgs.map((x) => x.code));
  for (const org of o.orgs) {
    const parent = org.parent_code && codes.has(org.parent_code) ? org.parent_code : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), org]);
  }
  const peopleOf = new Map<string, PersonJson[]>();
  for (const p of o.people) peopleOf.set(p.org_code, [...(peopleOf.get(p.org_code) ?? []), p]);
  const node = (org: OrgJson): SafeHtml => {
    const people = peopleOf.get(org.code) ?? [];
    const children = byParent.get(org.code) ?? [];
    return html`<li>
      <strong>${org.name}</strong> <span class="muted">(${org.code} · ${ctx.t(`kinds.${org.kind}`)}${org.level ? html` · ${ctx.t(`levels.${org.level}`)}` : ""})</span>
      ${people.map(
        (p) =>
          html`<div>
            ${ctx.t("orgs.principal")}: ${p.name}${p.phone ? html` <span class="muted">${p.phone}</span>` : ""} —
            ${
              p.channels.length
                ? p.channels.map((c) => html`<span class="badge ok" title="${formatTime(c.linked_at)}">${ctx.t(`channels.${c.channel}`)} ✓</span> `)
                : html`<span class="badge warn">${ctx.t("orgs.not_linked")}</span>`
            }
          </div>`,
      )}
      ${
        children.length
          ? html`<ul>
              ${children.map(node)}
            </ul>`
          : ""
      }
    </li>`;
  };
  const roots = byParent.get(null) ?? [];
  const linked = o.people.filter((p) => p.channels.length).length;
  return renderPage(ctx, {
    title: ctx.t("orgs.title"),
    active: "orgs",
    body: html`<h1>${ctx.t("orgs.title")}</h1>
      ${o.notice ? html`<p class="alert ok" role="status">${o.notice}</p>` : ""}
      <div class="actions">
        ${o.canWrite ? html`<a class="button primary" href="/orgs/import">${ctx.t("orgs.import")}</a>` : ""}
        ${
          o.canWrite && o.people.length
            ? html`<form method="post" action="/orgs/link-sheet.pdf">
                <input type="hidden" name="_csrf" value="${ctx.csrf}" />
                <label><input type="checkbox" name="all" value="1" /> ${ctx.t("orgs.sheet_all")}</label>
                <button type="submit">${ctx.t("orgs.sheet")}</button>
              </form>`
            : ""
        }
      </div>
      <p>${ctx.t("orgs.summary", { orgs: o.orgs.length, people: o.people.length, linked })}</p>
      ${
        o.orgs.length
          ? html`<div class="card tree">
              <ul>
                ${roots.map(node)}
              </ul>
            </div>`
          : html`<div class="card empty">
              <p><strong>${ctx.t("orgs.empty")}</strong></p>
              <p>${ctx.t("orgs.empty_hint")}</p>
            </div>`
      }`,
  });
}

export type ImportReport = { created: number; updated: number; errors: { row: number; message: string }[] };

/** The import page: upload, then the row-by-row report of a dry run, then the confirmation that writes. */
export function importPage(
  ctx: PageContext,
  o: { report?: ImportReport | undefined; file?: { name: string; base64: string } | undefined; message?: string | undefined; done?: ImportReport | undefined },
): string {
  const r = o.report;
  return renderPage(ctx, {
    title: ctx.t("import.title"),
    active: "orgs",
    body: html`<p><a href="/orgs">← ${ctx.t("orgs.title")}</a></p>
      <h1>${ctx.t("import.title")}</h1>
      ${o.message ? html`<p class="alert error" role="alert">${o.message}</p>` : ""}
      ${o.done ? html`<p class="alert ok" role="status">${ctx.t("import.done", { created: o.done.created, updated: o.done.updated, errors: o.done.errors.length })}</p>` : ""}
      ${
        r && o.file
          ? html`<section class="card" aria-labelledby="report-title">
              <h2 id="report-title">${ctx.t("import.report", { name: o.file.name })}</h2>
              <p>${ctx.t("import.would", { created: r.created, updated: r.updated, errors: r.errors.length })}</p>
              ${
                r.errors.length
                  ? html`<div class="table-wrap" tabindex="0">
                      <table>
                        <caption>
                          ${ctx.t("import.errors")}
                        </caption>
                        <thead>
                          <tr>
                            <th scope="col" class="num">${ctx.t("import.row")}</th>
                            <th scope="col">${ctx.t("import.problem")}</th>
                          </tr>
                        </thead>
                        <tbody>
                          ${r.errors.map(
                            (e) =>
                              html`<tr>
                                <td class="num">${e.row}</td>
                                <td>${e.message}</td>
                              </tr>`,
                          )}
                        </tbody>
                      </table>
                    </div>`
                  : html`<p class="alert ok">${ctx.t("import.no_errors")}</p>`
              }
              ${
                r.created + r.updated > 0
                  ? html`<form method="post" action="/orgs/import" class="actions">
                      <input type="hidden" name="_csrf" value="${ctx.csrf}" />
                      <input type="hidden" name="file_name" value="${o.file.name}" />
                      <input type="hidden" name="file_base64" value="${o.file.base64}" />
                      <button type="submit" class="primary">${ctx.t("import.confirm", { count: r.created + r.updated })}</button>
                      <a href="/orgs/import">${ctx.t("cancel")}</a>
                    </form>`
                  : ""
              }
            </section>`
          : html`<form method="post" action="/orgs/import/check" enctype="multipart/form-data" class="card stack">
              <input type="hidden" name="_csrf" value="${ctx.csrf}" />
              <label for="file">${ctx.t("import.file")}</label>
              <span class="hint" id="file-hint">${ctx.t("import.columns")}</span>
              <input
                id="file"
                name="file"
                type="file"
                accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                required
                aria-describedby="file-hint"
              />
              <button type="submit" class="primary">${ctx.t("import.check")}</button>
            </form>`
      }`,
  });
}
