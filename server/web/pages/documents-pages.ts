import type { DocumentJson } from "../../features/documents/document-json.ts";
import type { Register } from "../../features/register/find-register.ts";
import type { OrgJson } from "../../features/orgs/org-json.ts";
import type { TemplateJson } from "../../http/routes/templates.routes.ts";
import { html } from "../html.ts";
import { formatDate, formatTime } from "../format.ts";
import type { FieldErrors } from "../form-errors.ts";
import { renderPage } from "../layout.ts";
import { schemaFields } from "../schema-form.ts";
import type { PageContext } from "../web-context.ts";

const statusTone = { draft: "warn", issued: "ok", withdrawn: "muted" } as const;

export function documentStatus(ctx: PageContext, status: DocumentJson["status"]) {
  return html`<span class="badge ${statusTone[status]}">${ctx.t(`documents.status.${status}`)}</span>`;
}

/** The documents of the user's office, newest first. */
export function documentsListPage(ctx: PageContext, o: { rows: Omit<DocumentJson, "data">[]; status: string; canDraft: boolean; templates: TemplateJson[] }): string {
  const label = (name: string) => o.templates.find((t) => t.name === name)?.label ?? name;
  const opt = (v: string, l: string) => html`<option value="${v}" ${v === o.status ? "selected" : ""}>${l}</option>`;
  return renderPage(ctx, {
    title: ctx.t("documents.title"),
    active: "documents",
    body: html`<h1>${ctx.t("documents.title")}</h1>
      <div class="actions">
        ${o.canDraft ? html`<a class="button primary" href="/documents/new">${ctx.t("documents.new")}</a>` : ""}
        <form method="get" action="/documents" class="actions">
          <label for="status">${ctx.t("documents.filter_status")}</label>
          <select id="status" name="status">
            ${opt("", ctx.t("directive.filter.any"))}${(["draft", "issued", "withdrawn"] as const).map((s) => opt(s, ctx.t(`documents.status.${s}`)))}
          </select>
          <button type="submit">${ctx.t("directive.filter.apply")}</button>
        </form>
      </div>
      ${
        o.rows.length
          ? html`<div class="table-wrap" tabindex="0">
              <table class="responsive">
                <caption class="sr-only">
                  ${ctx.t("documents.title")}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${ctx.t("documents.col.symbol")}</th>
                    <th scope="col">${ctx.t("documents.col.subject")}</th>
                    <th scope="col">${ctx.t("documents.col.type")}</th>
                    <th scope="col">${ctx.t("documents.col.status")}</th>
                    <th scope="col">${ctx.t("documents.col.date")}</th>
                  </tr>
                </thead>
                <tbody>
                  ${o.rows.map(
                    (d) =>
                      html`<tr>
                        <td data-label="${ctx.t("documents.col.symbol")}"><a href="/documents/${d.id}">${d.symbol ?? ctx.t("documents.draft_no", { id: d.id })}</a></td>
                        <td data-label="${ctx.t("documents.col.subject")}">${d.subject ?? ""}</td>
                        <td data-label="${ctx.t("documents.col.type")}">${label(d.template)}</td>
                        <td data-label="${ctx.t("documents.col.status")}">${documentStatus(ctx, d.status)}</td>
                        <td data-label="${ctx.t("documents.col.date")}">${formatDate(d.issued_at ?? d.created_at)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<div class="card empty">
              <p><strong>${ctx.t("documents.empty")}</strong></p>
              <p>${ctx.t("documents.empty_hint")}</p>
            </div>`
      }`,
  });
}

/** Picking a template, then its form. */
export function documentNewPage(
  ctx: PageContext,
  o: { templates: TemplateJson[]; template: TemplateJson | null; issuers: OrgJson[]; issuer: string; data: unknown; errors: FieldErrors; message?: string | undefined },
): string {
  if (!o.template) {
    return renderPage(ctx, {
      title: ctx.t("documents.new"),
      active: "documents",
      body: html`<h1>${ctx.t("documents.pick_template")}</h1>
        <ul class="stats" role="list">
          ${o.templates.map(
            (t) =>
              html`<li class="stat">
                <a href="/documents/new?template=${t.name}"><b>${t.label}</b></a
                ><span class="muted">${t.type_name}</span>
              </li>`,
          )}
        </ul>`,
    });
  }
  const t = o.template;
  return renderPage(ctx, {
    title: `${ctx.t("documents.new")}: ${t.label}`,
    active: "documents",
    body: html`<p><a href="/documents/new">← ${ctx.t("documents.pick_template")}</a></p>
      <h1>${ctx.t("documents.new")}: ${t.label}</h1>
      ${o.message ? html`<p class="alert error" role="alert">${o.message}</p>` : ""}
      <form method="post" action="/documents" class="card stack" novalidate>
        <input type="hidden" name="_csrf" value="${ctx.csrf}" />
        <input type="hidden" name="template" value="${t.name}" />
        <label for="issuer">${ctx.t("documents.issuer")}</label>
        <select id="issuer" name="issuer">
          ${o.issuers.map((org) => html`<option value="${org.code}" ${org.code === o.issuer ? "selected" : ""}>${org.name} (${org.code})</option>`)}
        </select>
        ${o.errors.issuer ? html`<p class="field-error">${o.errors.issuer}</p>` : ""} ${schemaFields(ctx, t.schema, o.data, o.errors)}
        <button type="submit" class="primary">${ctx.t("documents.save_draft")}</button>
      </form>`,
  });
}

/** One document: a draft's form beside its PDF preview, or an issued document's facts and files. */
export function documentPage(
  ctx: PageContext,
  o: { doc: DocumentJson; template: TemplateJson | null; canDraft: boolean; canIssue: boolean; errors: FieldErrors; message?: string | undefined; notice?: string | undefined },
): string {
  const d = o.doc;
  const title = d.symbol ?? ctx.t("documents.draft_no", { id: d.id });
  const alerts = html`${o.message ? html`<p class="alert error" role="alert">${o.message}</p>` : ""}${o.notice ? html`<p class="alert ok" role="status">${o.notice}</p>` : ""}`;
  if (d.status === "draft") {
    return renderPage(ctx, {
      title,
      active: "documents",
      scripts: ["document-draft.js"],
      body: html`<p><a href="/documents">← ${ctx.t("documents.title")}</a></p>
        <h1>${title} ${documentStatus(ctx, d.status)}</h1>
        ${alerts}
        <div class="compose">
          <form method="post" action="/documents/${d.id}" class="card stack" id="draft-form" novalidate>
            <input type="hidden" name="_csrf" value="${ctx.csrf}" />
            ${o.template ? schemaFields(ctx, o.template.schema, d.data, o.errors) : ""} ${o.canDraft ? html`<button type="submit">${ctx.t("documents.save_draft")}</button>` : ""}
          </form>
          <section class="card preview" aria-labelledby="pdf-title">
            <h2 id="pdf-title">${ctx.t("documents.preview")}</h2>
            <p class="muted" id="preview-state" aria-live="polite"></p>
            <iframe class="pdf-frame" id="pdf-preview" title="${ctx.t("documents.preview")}" src="/documents/${d.id}/preview.pdf?v=${encodeURIComponent(d.updated_at)}"></iframe>
            <p><a href="/documents/${d.id}/preview.pdf" target="_blank" rel="noopener">${ctx.t("documents.open_preview")}</a></p>
            ${
              o.canIssue
                ? html`<form method="post" action="/documents/${d.id}/issue" class="stack">
                    <input type="hidden" name="_csrf" value="${ctx.csrf}" />
                    <p>${ctx.t("documents.issue_help")}</p>
                    <button type="submit" class="primary">${ctx.t("documents.issue")}</button>
                  </form>`
                : html`<p class="muted">${ctx.t("documents.clerk_issues")}</p>`
            }
          </section>
        </div>`,
    });
  }
  return renderPage(ctx, {
    title,
    active: "documents",
    body: html`<p><a href="/documents">← ${ctx.t("documents.title")}</a></p>
      <h1>${title} ${documentStatus(ctx, d.status)}</h1>
      ${alerts}
      <dl class="facts card">
        <dt>${ctx.t("documents.col.subject")}</dt>
        <dd>${d.subject ?? ""}</dd>
        <dt>${ctx.t("documents.issuer")}</dt>
        <dd>${d.issuer_name}</dd>
        <dt>${ctx.t("documents.issued_at")}</dt>
        <dd>${formatTime(d.issued_at)}</dd>
        <dt>${ctx.t("documents.verify")}</dt>
        <dd>${d.verify_url ? html`<a href="${d.verify_url}">${d.verify_url}</a>` : ""}</dd>
        <dt>SHA-256</dt>
        <dd><code>${d.pdf_sha256 ?? ""}</code></dd>
        ${
          d.status === "withdrawn"
            ? html`<dt>${ctx.t("documents.withdrawn_reason")}</dt>
                <dd>${d.withdrawn_reason ?? ""} (${formatTime(d.withdrawn_at)})</dd>`
            : ""
        }
      </dl>
      <div class="actions">
        <a class="button primary" href="/documents/${d.id}.pdf" download>${ctx.t("documents.download_pdf")}</a>
        <a class="button" href="/documents/${d.id}.docx" download>${ctx.t("documents.download_docx")}</a>
      </div>
      ${
        o.canIssue && d.status === "issued"
          ? html`<details class="card">
              <summary>${ctx.t("documents.withdraw")}</summary>
              <form method="post" action="/documents/${d.id}/withdraw" class="stack">
                <input type="hidden" name="_csrf" value="${ctx.csrf}" />
                <label for="reason">${ctx.t("documents.withdraw_reason")}</label>
                <textarea id="reason" name="reason" required maxlength="500" rows="3"></textarea>
                ${o.errors.reason ? html`<p class="field-error">${o.errors.reason}</p>` : ""}
                <button type="submit" class="danger">${ctx.t("documents.withdraw")}</button>
              </form>
            </details>`
          : ""
      }`,
  });
}

/** Sổ đăng ký văn bản đi: the register as a table with search, year and series filters, and its .xlsx. */
export function registerPage(
  ctx: PageContext,
  o: { register: Register | null; issuers: OrgJson[]; issuer: string; year: number; series: string; q: string; message?: string | undefined },
): string {
  const r = o.register;
  const needle = o.q.toLocaleLowerCase("vi");
  const rows = r ? r.rows.filter((x) => !needle || `${x.symbol} ${x.subject} ${x.signer ?? ""} ${x.recipients ?? ""}`.toLocaleLowerCase("vi").includes(needle)) : [];
  const series = r ? [...new Set(r.rows.map((x) => x.series))] : [];
  const query = new URLSearchParams({ issuer: o.issuer, year: String(o.year), ...(o.series ? { series: o.series } : {}) });
  return renderPage(ctx, {
    title: ctx.t("register.title"),
    active: "register",
    body: html`<h1>${ctx.t("register.title")}</h1>
      ${o.message ? html`<p class="alert error" role="alert">${o.message}</p>` : ""}
      <form method="get" action="/register" class="filters" role="search">
        <div>
          <label for="issuer">${ctx.t("documents.issuer")}</label>
          <select id="issuer" name="issuer">
            ${o.issuers.map((org) => html`<option value="${org.code}" ${org.code === o.issuer ? "selected" : ""}>${org.name} (${org.code})</option>`)}
          </select>
        </div>
        <div><label for="year">${ctx.t("register.year")}</label><input id="year" name="year" type="number" min="1945" max="9999" value="${o.year}" /></div>
        <div>
          <label for="series">${ctx.t("register.series")}</label>
          <select id="series" name="series">
            <option value="">${ctx.t("directive.filter.any")}</option>
            ${series.map((s) => html`<option value="${s}" ${s === o.series ? "selected" : ""}>${s}</option>`)}
          </select>
        </div>
        <div><label for="q">${ctx.t("register.search")}</label><input id="q" name="q" type="search" value="${o.q}" maxlength="200" /></div>
        <div><button type="submit">${ctx.t("directive.filter.apply")}</button></div>
      </form>
      <div class="actions"><a class="button" href="/register.xlsx?${query.toString()}" download>${ctx.t("register.export")}</a></div>
      ${
        rows.length
          ? html`<div class="table-wrap" tabindex="0">
              <table class="responsive">
                <caption class="sr-only">
                  ${ctx.t("register.title")}
                </caption>
                <thead>
                  <tr>
                    <th scope="col" class="num">${ctx.t("register.col.number")}</th>
                    <th scope="col">${ctx.t("documents.col.symbol")}</th>
                    <th scope="col">${ctx.t("register.col.date")}</th>
                    <th scope="col">${ctx.t("documents.col.type")}</th>
                    <th scope="col">${ctx.t("documents.col.subject")}</th>
                    <th scope="col">${ctx.t("register.col.signer")}</th>
                    <th scope="col">${ctx.t("documents.col.status")}</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows.map(
                    (x) =>
                      html`<tr>
                        <td data-label="${ctx.t("register.col.number")}" class="num">${x.number}</td>
                        <td data-label="${ctx.t("documents.col.symbol")}">${x.document_id ? html`<a href="/documents/${x.document_id}">${x.symbol}</a>` : x.symbol}</td>
                        <td data-label="${ctx.t("register.col.date")}">${formatDate(x.issued_at)}</td>
                        <td data-label="${ctx.t("documents.col.type")}">${x.document_type}</td>
                        <td data-label="${ctx.t("documents.col.subject")}">${x.subject}</td>
                        <td data-label="${ctx.t("register.col.signer")}">${x.signer ?? ""}</td>
                        <td data-label="${ctx.t("documents.col.status")}">
                          ${x.status === "withdrawn" ? html`<span class="badge muted">${ctx.t("documents.status.withdrawn")}</span> ${x.withdrawn_reason ?? ""}` : html`<span class="badge ok">${ctx.t("documents.status.issued")}</span>`}
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<div class="card empty">
              <p><strong>${ctx.t("register.empty", { year: o.year })}</strong></p>
              <p>${ctx.t("register.empty_hint")}</p>
            </div>`
      }`,
  });
}
