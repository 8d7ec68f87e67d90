import type { DirectiveProgress } from "../../features/directives/get-directive-progress.ts";
import type { RecipientRow } from "../../features/directives/find-directive-recipients.ts";
import type { ReplyJson } from "../../features/directives/find-directive-replies.ts";
import type { OrgJson } from "../../features/orgs/org-json.ts";
import { html, type SafeHtml } from "../html.ts";
import { formatCount, formatTime } from "../format.ts";
import { renderPage } from "../layout.ts";
import type { PageContext } from "../web-context.ts";
import { progressBar, statusBadge } from "./directives-list-page.ts";

export type RecipientFilter = { show: "all" | "pending" | "acknowledged" | "unreachable"; channel: string; under: string };

const CHANNELS = ["telegram", "zalo_oa", "zalo_bot"] as const;

/** The recipient table (also served alone, for the live refresh). */
export function recipientsTable(ctx: PageContext, rows: RecipientRow[], filtered: boolean): SafeHtml {
  if (!rows.length) {
    return html`<div class="card empty"><p>${filtered ? ctx.t("directive.no_match") : ctx.t("directive.no_recipients")}</p></div>`;
  }
  const badge = (r: RecipientRow) => {
    if (r.acknowledged_at) return html`<span class="badge ok">${ctx.t("delivery.acknowledged")}</span>`;
    const tone = r.status === "sent" ? "muted" : r.status === "unreachable" || r.status === "failed" ? "bad" : "warn";
    return html`<span class="badge ${tone}">${ctx.t(`delivery.${r.status}`)}</span>`;
  };
  return html`<div class="table-wrap" tabindex="0">
    <table class="responsive">
      <caption class="sr-only">
        ${ctx.t("directive.recipients")}
      </caption>
      <thead>
        <tr>
          <th scope="col">${ctx.t("directive.col.school")}</th>
          <th scope="col">${ctx.t("directive.col.principal")}</th>
          <th scope="col">${ctx.t("directive.col.channel")}</th>
          <th scope="col">${ctx.t("directive.col.status")}</th>
          <th scope="col">${ctx.t("directive.col.sent")}</th>
          <th scope="col">${ctx.t("directive.col.acknowledged")}</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr data-org="${r.org_code}">
              <td data-label="${ctx.t("directive.col.school")}">${r.org_name} <span class="muted">(${r.org_code})</span></td>
              <td data-label="${ctx.t("directive.col.principal")}">${r.person_name}</td>
              <td data-label="${ctx.t("directive.col.channel")}">${ctx.t(`channels.${r.channel}`)}</td>
              <td data-label="${ctx.t("directive.col.status")}">${badge(r)}${r.last_error && !r.acknowledged_at ? html`<br /><span class="muted">${r.last_error}</span>` : ""}</td>
              <td data-label="${ctx.t("directive.col.sent")}">${formatTime(r.sent_at)}</td>
              <td data-label="${ctx.t("directive.col.acknowledged")}">
                ${r.acknowledged_at ? html`${formatTime(r.acknowledged_at)} · ${ctx.t(`report.source.${r.acknowledged_via ?? "text"}`)}` : ""}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** The live figures: each carries `data-count` so the page's script can update it from the event stream. */
export function directiveStats(ctx: PageContext, p: DirectiveProgress): SafeHtml {
  const stat = (key: string, value: number) =>
    html`<div class="stat"><span>${ctx.t(`directive.stat.${key}`)}</span><b data-count="${key}">${formatCount(value, ctx.locale)}</b></div>`;
  return html`<div class="stats" aria-live="polite">
    ${stat("recipients", p.people.recipients)}${stat("acknowledged", p.people.acknowledged)}${stat("pending", p.people.pending)}${stat("unreachable", p.people.unreachable)}
    ${stat("sent", p.counts.sent)}${stat("queued", p.counts.queued)}${stat("failed", p.counts.failed)}
  </div>`;
}

/** A directive: its text, and once published its live progress, chart, recipients and evidence. */
export function directivePage(
  ctx: PageContext,
  o: {
    progress: DirectiveProgress;
    body: string;
    issuerName: string | null;
    documentSymbol: string | null;
    canWrite: boolean;
    chart: SafeHtml;
    rows: RecipientRow[];
    filter: RecipientFilter;
    subtrees: OrgJson[];
    replies: ReplyJson[];
    notice?: string | undefined;
    /** The directive carries a checklist: its progress page is linked. */
    hasChecklist?: boolean;
  },
): string {
  const p = o.progress;
  const id = p.id;
  const published = p.status === "published";
  const filtered = o.filter.show !== "all" || !!o.filter.channel || !!o.filter.under;
  const opt = (value: string, label: string, current: string) => html`<option value="${value}" ${value === current ? "selected" : ""}>${label}</option>`;
  const live = published
    ? html`<section aria-labelledby="progress-title">
          <h2 id="progress-title">${ctx.t("directive.progress")}</h2>
          <div id="live-progress">${progressBar(ctx, p.people.acknowledged, p.people.recipients)}</div>
          ${directiveStats(ctx, p)}
          <div class="card chart" id="chart">${o.chart}</div>
        </section>
        <section aria-labelledby="recipients-title">
          <h2 id="recipients-title">${ctx.t("directive.recipients")}</h2>
          <div class="actions">
            <a class="button" href="/directives/${id}/recipients.xlsx" download>${ctx.t("directive.export_xlsx")}</a>
            <a class="button" href="/directives/${id}/report.pdf" download>${ctx.t("directive.report_pdf")}</a>
            ${o.hasChecklist ? html`<a class="button" href="/directives/${id}/checklist">${ctx.t("programmes.link")}</a>` : ""}
            ${o.canWrite ? html`<a class="button" href="/directives/${id}/remind">${ctx.t("remind.button")}</a>` : ""}
          </div>
          <form method="get" action="/directives/${id}" class="filters" id="recipient-filters">
            <div>
              <label for="show">${ctx.t("directive.filter.show")}</label>
              <select id="show" name="show">
                ${(["all", "pending", "acknowledged", "unreachable"] as const).map((s) => opt(s, ctx.t(`directive.filter.${s}`), o.filter.show))}
              </select>
            </div>
            <div>
              <label for="channel">${ctx.t("directive.filter.channel")}</label>
              <select id="channel" name="channel">
                ${opt("", ctx.t("directive.filter.any"), o.filter.channel)}${CHANNELS.map((c) => opt(c, ctx.t(`channels.${c}`), o.filter.channel))}
              </select>
            </div>
            <div>
              <label for="under">${ctx.t("directive.filter.under")}</label>
              <select id="under" name="under">
                ${opt("", ctx.t("directive.filter.any"), o.filter.under)}${o.subtrees.map((s) => opt(s.code, `${s.name} (${s.code})`, o.filter.under))}
              </select>
            </div>
            <div><button type="submit">${ctx.t("directive.filter.apply")}</button></div>
          </form>
          <div id="recipients" aria-live="polite">${recipientsTable(ctx, o.rows, filtered)}</div>
        </section>
        <section aria-labelledby="replies-title">
          <h2 id="replies-title">${ctx.t("directive.replies")}</h2>
          ${
            o.replies.length
              ? html`<div class="table-wrap" tabindex="0">
                  <table class="responsive">
                    <thead>
                      <tr>
                        <th scope="col">${ctx.t("directive.col.sent")}</th>
                        <th scope="col">${ctx.t("directive.col.principal")}</th>
                        <th scope="col">${ctx.t("directive.reply_kind")}</th>
                        <th scope="col">${ctx.t("directive.reply_text")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${o.replies.map(
                        (r) =>
                          html`<tr>
                            <td data-label="${ctx.t("directive.col.sent")}">${formatTime(r.at)}</td>
                            <td data-label="${ctx.t("directive.col.principal")}">${r.person_name ?? "—"} ${r.org_code ? html`<span class="muted">(${r.org_code})</span>` : ""}</td>
                            <td data-label="${ctx.t("directive.reply_kind")}">${ctx.t(`directive.intent.${r.intent}`)}</td>
                            <td data-label="${ctx.t("directive.reply_text")}"><pre class="raw">${r.text}</pre></td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>`
              : html`<p class="muted">${ctx.t("directive.no_replies")}</p>`
          }
        </section>`
    : "";
  const draft =
    p.status === "draft"
      ? html`<div class="card">
          <p>${ctx.t("directive.draft_help")}</p>
          ${o.canWrite ? html`<a class="button primary" href="/directives/${id}/publish">${ctx.t("directive.publish")}</a>` : html`<p class="muted">${ctx.t("directive.viewer_cannot_publish")}</p>`}
        </div>`
      : "";
  return renderPage(ctx, {
    title: p.title,
    active: "directives",
    scripts: published ? ["directive-live.js"] : [],
    body: html`<p><a href="/directives">← ${ctx.t("directives.title")}</a></p>
      <h1>${p.title}</h1>
      ${o.notice ? html`<p class="alert ok" role="status">${o.notice}</p>` : ""}
      <dl class="facts card" id="directive" data-id="${id}">
        <dt>${ctx.t("directives.col.status")}</dt>
        <dd>${statusBadge(ctx, p.status)}</dd>
        <dt>${ctx.t("directive.issuer")}</dt>
        <dd>${o.issuerName ?? "—"}</dd>
        <dt>${ctx.t("directives.col.deadline")}</dt>
        <dd>${p.deadline ? formatTime(p.deadline) : "—"}</dd>
        ${
          p.published_at
            ? html`<dt>${ctx.t("directive.published_at")}</dt>
                <dd>${formatTime(p.published_at)}</dd>`
            : ""
        }
        ${
          o.documentSymbol
            ? html`<dt>${ctx.t("directive.document")}</dt>
                <dd><a href="/documents/${p.document_id}">${o.documentSymbol}</a></dd>`
            : ""
        }
        <dt>${ctx.t("directive.body")}</dt>
        <dd><pre class="raw">${o.body}</pre></dd>
      </dl>
      ${draft}${live}`,
  });
}

/** The confirmation before publishing: how many people it goes to, and the button that sends it. */
export function publishConfirmPage(ctx: PageContext, o: { id: number; title: string; recipients: number }): string {
  return renderPage(ctx, {
    title: ctx.t("publish.title"),
    active: "directives",
    body: html`<section class="narrow card">
      <h1>${ctx.t("publish.title")}</h1>
      <p>${ctx.t("publish.question", { title: o.title, count: o.recipients })}</p>
      <p class="muted">${ctx.t("publish.irreversible")}</p>
      <form method="post" action="/directives/${o.id}/publish" class="actions">
        <input type="hidden" name="_csrf" value="${ctx.csrf}" />
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" class="primary">${ctx.t("publish.confirm", { count: o.recipients })}</button>
        <a href="/directives/${o.id}">${ctx.t("cancel")}</a>
      </form>
    </section>`,
  });
}
