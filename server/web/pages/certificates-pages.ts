import type { CertificateBatchJson } from "../../features/certificates/get-certificate-batch.ts";
import type { CertificateBatchRow } from "../../features/certificates/find-certificate-batches.ts";
import type { OccasionJson } from "../../features/certificates/occasions.ts";
import type { OrgJson } from "../../features/orgs/org-json.ts";
import { html } from "../html.ts";
import { formatCount, formatDate, formatTime, percent } from "../format.ts";
import { renderPage } from "../layout.ts";
import type { PageContext } from "../web-context.ts";

export type TemplateOption = { name: string; label: string };
/** One problem of an uploaded file: its row, the field (and the column heading it is known by), what is wrong. */
export type RowErrorLine = { row: number; field: string; heading: string; message: string };

const tone = { queued: "muted", rendering: "warn", assembling: "warn", done: "ok", failed: "bad" } as const;

export const batchStatus = (ctx: PageContext, status: CertificateBatchJson["status"]) =>
  html`<span class="badge ${tone[status]}" data-batch-status>${ctx.t(`certificates.status.${status}`)}</span>`;

function batchProgress(ctx: PageContext, done: number, total: number) {
  const p = percent(done, total);
  return html`<div class="progress">
    <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${p}" aria-label="${ctx.t("certificates.progress_label", { done, total })}">
      <span style="width:${p}%"></span>
    </div>
    <span class="num">${formatCount(done, ctx.locale)}/${formatCount(total, ctx.locale)}</span>
  </div>`;
}

/** The office's batches, and the upload form (with the file's row errors when it was refused). */
export function certificatesPage(
  ctx: PageContext,
  o: {
    rows: CertificateBatchRow[];
    templates: TemplateOption[];
    issuers: OrgJson[];
    occasions: OccasionJson[];
    canUpload: boolean;
    form: { template: string; issuer: string; occasion: string };
    message?: string | undefined;
    rowErrors?: RowErrorLine[];
  },
): string {
  const label = (name: string) => o.templates.find((t) => t.name === name)?.label ?? name;
  const select = (id: string, options: { value: string; text: string }[], chosen: string, required = true) =>
    html`<select id="${id}" name="${id}" ${required ? "required" : ""}>
      ${options.map((x) => html`<option value="${x.value}" ${x.value === chosen ? "selected" : ""}>${x.text}</option>`)}
    </select>`;
  const uploadForm = html`<section class="card" aria-labelledby="upload-title">
    <h2 id="upload-title">${ctx.t("certificates.upload_title")}</h2>
    <p class="muted">${ctx.t("certificates.upload_hint")}</p>
    ${o.message ? html`<p class="alert error" role="alert">${o.message}</p>` : ""}
    ${
      o.rowErrors?.length
        ? html`<div class="table-wrap" tabindex="0">
            <table id="row-errors">
              <caption>
                ${ctx.t("certificates.row_errors", { count: o.rowErrors.length })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${ctx.t("certificates.col.row")}</th>
                  <th scope="col">${ctx.t("certificates.col.field")}</th>
                  <th scope="col">${ctx.t("certificates.col.problem")}</th>
                </tr>
              </thead>
              <tbody>
                ${o.rowErrors.map(
                  (e) =>
                    html`<tr>
                      <td>${e.row}</td>
                      <td data-field="${e.field}">${e.heading}</td>
                      <td>${e.message}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : ""
    }
    <form method="post" action="/certificates/batches" enctype="multipart/form-data" class="stack">
      <input type="hidden" name="_csrf" value="${ctx.csrf}" />
      <label for="template">${ctx.t("certificates.template")}</label>
      ${select(
        "template",
        o.templates.map((t) => ({ value: t.name, text: t.label })),
        o.form.template,
      )}
      <label for="issuer">${ctx.t("certificates.issuer")}</label>
      ${select(
        "issuer",
        o.issuers.map((i) => ({ value: i.code, text: `${i.name} (${i.code})` })),
        o.form.issuer,
      )}
      <label for="occasion">${ctx.t("certificates.occasion_optional")}</label>
      ${select("occasion", [{ value: "", text: ctx.t("certificates.no_occasion") }, ...o.occasions.map((x) => ({ value: String(x.id), text: `${x.name} · ${formatDate(x.date)}` }))], o.form.occasion, false)}
      <label for="file">${ctx.t("certificates.file")}</label>
      <input id="file" name="file" type="file" required accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
      <div class="actions"><button type="submit" class="primary">${ctx.t("certificates.upload")}</button></div>
    </form>
  </section>`;
  return renderPage(ctx, {
    title: ctx.t("certificates.title"),
    active: "certificates",
    body: html`<h1>${ctx.t("certificates.title")}</h1>
      <div class="actions"><a class="button" href="/occasions">${ctx.t("occasions.title")}</a></div>
      ${o.canUpload ? uploadForm : ""}
      <h2>${ctx.t("certificates.batches")}</h2>
      ${
        o.rows.length
          ? html`<div class="table-wrap" tabindex="0">
              <table class="responsive" id="batches">
                <caption class="sr-only">
                  ${ctx.t("certificates.batches")}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${ctx.t("certificates.col.batch")}</th>
                    <th scope="col">${ctx.t("certificates.col.template")}</th>
                    <th scope="col">${ctx.t("certificates.col.occasion")}</th>
                    <th scope="col">${ctx.t("certificates.col.status")}</th>
                    <th scope="col">${ctx.t("certificates.col.progress")}</th>
                    <th scope="col">${ctx.t("certificates.col.created")}</th>
                  </tr>
                </thead>
                <tbody>
                  ${o.rows.map(
                    (b) =>
                      html`<tr>
                        <td data-label="${ctx.t("certificates.col.batch")}">
                          <a href="/certificates/batches/${b.id}">${ctx.t("certificates.batch_no", { id: b.id })}</a> · ${b.issuer}
                        </td>
                        <td data-label="${ctx.t("certificates.col.template")}">${label(b.template)}</td>
                        <td data-label="${ctx.t("certificates.col.occasion")}">${b.occasion?.name ?? ""}</td>
                        <td data-label="${ctx.t("certificates.col.status")}">${batchStatus(ctx, b.status)}</td>
                        <td data-label="${ctx.t("certificates.col.progress")}">${formatCount(b.done, ctx.locale)}/${formatCount(b.total, ctx.locale)}</td>
                        <td data-label="${ctx.t("certificates.col.created")}">${formatTime(b.created_at)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<div class="card empty">
              <p><strong>${ctx.t("certificates.empty")}</strong></p>
            </div>`
      }`,
  });
}

/** One batch: its progress (followed by a small script until it ends) and, once done, its four files. */
export function batchPage(ctx: PageContext, o: { batch: CertificateBatchJson; templateLabel: string; occasion: string | null }): string {
  const b = o.batch;
  const running = b.status !== "done" && b.status !== "failed";
  const base = `/certificates/batches/${b.id}`;
  const files = [
    ["print.pdf", "certificates.file_print"],
    ["certificates.zip", "certificates.file_zip"],
    ["list.pdf", "certificates.file_list_pdf"],
    ["list.xlsx", "certificates.file_list_xlsx"],
  ] as const;
  return renderPage(ctx, {
    title: ctx.t("certificates.batch_no", { id: b.id }),
    active: "certificates",
    scripts: running ? ["certificate-batch.js"] : [],
    body: html`<p><a href="/certificates">← ${ctx.t("certificates.title")}</a></p>
      <h1>${ctx.t("certificates.batch_no", { id: b.id })} · ${o.templateLabel}</h1>
      <section class="card" id="batch" data-id="${b.id}" data-status="${b.status}" aria-live="polite">
        <dl class="facts">
          <dt>${ctx.t("certificates.issuer")}</dt>
          <dd>${b.issuer}</dd>
          ${
            o.occasion
              ? html`<dt>${ctx.t("certificates.col.occasion")}</dt>
                  <dd>${o.occasion}</dd>`
              : ""
          }
          <dt>${ctx.t("certificates.col.status")}</dt>
          <dd>${batchStatus(ctx, b.status)}</dd>
          <dt>${ctx.t("certificates.col.created")}</dt>
          <dd>${formatTime(b.created_at)}</dd>
          ${
            b.first_number !== null
              ? html`<dt>${ctx.t("certificates.numbers")}</dt>
                  <dd>${b.first_number}–${b.last_number}/${b.series}</dd>`
              : ""
          }
        </dl>
        ${batchProgress(ctx, b.done, b.total)} ${b.status === "failed" ? html`<p class="alert error" role="alert">${ctx.t("certificates.failed")} ${b.error ?? ""}</p>` : ""}
        ${running ? html`<p class="muted">${ctx.t("certificates.refreshing")}</p>` : ""}
        ${
          b.status === "done"
            ? html`<h2>${ctx.t("certificates.downloads")}</h2>
                <ul class="downloads">
                  ${files.map(([name, key]) => html`<li><a href="${base}/${name}" download>${ctx.t(key)}</a></li>`)}
                </ul>`
            : ""
        }
      </section>`,
  });
}

/** Occasions (ceremonies) reachable by the user, and a form to record one. */
export function occasionsPage(
  ctx: PageContext,
  o: { occasions: OccasionJson[]; issuers: OrgJson[]; canCreate: boolean; form: Record<string, string>; errors: Record<string, string>; message?: string | undefined },
): string {
  const err = (field: string) => (o.errors[field] ? html`<p class="field-error" id="${field}-error">${o.errors[field]}</p>` : "");
  const described = (field: string) => (o.errors[field] ? html`aria-describedby="${field}-error" aria-invalid="true"` : "");
  return renderPage(ctx, {
    title: ctx.t("occasions.title"),
    active: "certificates",
    body: html`<p><a href="/certificates">← ${ctx.t("certificates.title")}</a></p>
      <h1>${ctx.t("occasions.title")}</h1>
      ${
        o.canCreate
          ? html`<section class="card" aria-labelledby="occasion-new">
              <h2 id="occasion-new">${ctx.t("occasions.new")}</h2>
              ${o.message ? html`<p class="alert error" role="alert">${o.message}</p>` : ""}
              <form method="post" action="/occasions" class="stack">
                <input type="hidden" name="_csrf" value="${ctx.csrf}" />
                <label for="name">${ctx.t("occasions.name")}</label>
                <input id="name" name="name" required maxlength="200" value="${o.form.name ?? ""}" ${described("name")} />${err("name")}
                <label for="date">${ctx.t("occasions.date")}</label>
                <input id="date" name="date" type="date" required value="${o.form.date ?? ""}" ${described("date")} />${err("date")}
                <label for="issuer">${ctx.t("certificates.issuer")}</label>
                <select id="issuer" name="issuer" required ${described("issuer")}>
                  ${o.issuers.map((i) => html`<option value="${i.code}" ${i.code === o.form.issuer ? "selected" : ""}>${i.name} (${i.code})</option>`)}</select
                >${err("issuer")}
                <label for="semester">${ctx.t("occasions.semester")}</label>
                <select id="semester" name="semester">
                  ${["", "1", "2"].map((s) => html`<option value="${s}" ${s === (o.form.semester ?? "") ? "selected" : ""}>${s ? ctx.t(`occasions.semester_${s}`) : ctx.t("occasions.no_semester")}</option>`)}
                </select>
                <div class="actions"><button type="submit" class="primary">${ctx.t("occasions.create")}</button></div>
              </form>
            </section>`
          : ""
      }
      ${
        o.occasions.length
          ? html`<div class="table-wrap" tabindex="0">
              <table class="responsive" id="occasions">
                <caption class="sr-only">
                  ${ctx.t("occasions.title")}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${ctx.t("occasions.name")}</th>
                    <th scope="col">${ctx.t("occasions.date")}</th>
                    <th scope="col">${ctx.t("certificates.issuer")}</th>
                    <th scope="col">${ctx.t("occasions.semester")}</th>
                  </tr>
                </thead>
                <tbody>
                  ${o.occasions.map(
                    (x) =>
                      html`<tr>
                        <td data-label="${ctx.t("occasions.name")}">${x.name}</td>
                        <td data-label="${ctx.t("occasions.date")}">${formatDate(x.date)}</td>
                        <td data-label="${ctx.t("certificates.issuer")}">${x.issuer}</td>
                        <td data-label="${ctx.t("occasions.semester")}">${x.semester ? ctx.t(`occasions.semester_${x.semester}`) : ""}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<div class="card empty">
              <p><strong>${ctx.t("occasions.empty")}</strong></p>
            </div>`
      }`,
  });
}
