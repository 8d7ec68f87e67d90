import type { AuditRow } from "../../features/audit/find-audit-log.ts";
import type { ChannelHealth, ZaloOaTokenState } from "../../features/operations/find-channel-health.ts";
import type { OrgJson } from "../../features/orgs/org-json.ts";
import type { UserJson } from "../../features/users/user-json.ts";
import { html } from "../html.ts";
import { formatTime } from "../format.ts";
import type { FieldErrors } from "../form-errors.ts";
import { renderPage } from "../layout.ts";
import type { PageContext } from "../web-context.ts";

const ROLES = ["ADMIN", "OFFICER", "CLERK", "VIEWER"] as const;

/** Users of the administrator's reach, a form to add one, and per user: role, disable, sign out everywhere. */
export function usersPage(
  ctx: PageContext,
  o: { users: UserJson[]; orgs: OrgJson[]; errors: FieldErrors; values: Record<string, string>; message?: string | undefined; notice?: string | undefined },
): string {
  const err = (k: string) => (o.errors[k] ? html`<p class="field-error" id="u-${k}-error">${o.errors[k]}</p>` : "");
  const inv = (k: string) => (o.errors[k] ? html`aria-invalid="true" aria-describedby="u-${k}-error"` : "");
  return renderPage(ctx, {
    title: ctx.t("users.title"),
    active: "users",
    body: html`<h1>${ctx.t("users.title")}</h1>
      ${o.notice ? html`<p class="alert ok" role="status">${o.notice}</p>` : ""} ${o.message ? html`<p class="alert error" role="alert">${o.message}</p>` : ""}
      <div class="table-wrap" tabindex="0">
        <table class="responsive">
          <caption class="sr-only">
            ${ctx.t("users.title")}
          </caption>
          <thead>
            <tr>
              <th scope="col">${ctx.t("account.name")}</th>
              <th scope="col">${ctx.t("account.email")}</th>
              <th scope="col">${ctx.t("account.role")}</th>
              <th scope="col">${ctx.t("users.org")}</th>
              <th scope="col">${ctx.t("users.state")}</th>
              <th scope="col">${ctx.t("users.actions")}</th>
            </tr>
          </thead>
          <tbody>
            ${o.users.map(
              (u) =>
                html`<tr>
                  <td data-label="${ctx.t("account.name")}">${u.name}</td>
                  <td data-label="${ctx.t("account.email")}">${u.email}</td>
                  <td data-label="${ctx.t("account.role")}">
                    <form method="post" action="/users/${u.id}" class="actions">
                      <input type="hidden" name="_csrf" value="${ctx.csrf}" />
                      <label class="sr-only" for="role-${u.id}">${ctx.t("account.role")}</label>
                      <select id="role-${u.id}" name="role">
                        ${ROLES.map((r) => html`<option value="${r}" ${r === u.role ? "selected" : ""}>${ctx.t(`roles.${r}`)}</option>`)}
                      </select>
                      <button type="submit">${ctx.t("users.change_role")}</button>
                    </form>
                  </td>
                  <td data-label="${ctx.t("users.org")}">${u.organization_code ?? ctx.t("users.system")}</td>
                  <td data-label="${ctx.t("users.state")}">
                    ${u.disabled ? html`<span class="badge bad">${ctx.t("users.disabled")}</span>` : html`<span class="badge ok">${ctx.t("users.active")}</span>`}
                  </td>
                  <td data-label="${ctx.t("users.actions")}">
                    <div class="actions">
                      <form method="post" action="/users/${u.id}">
                        <input type="hidden" name="_csrf" value="${ctx.csrf}" /><input type="hidden" name="disabled" value="${u.disabled ? "false" : "true"}" />
                        <button type="submit" class="${u.disabled ? "" : "danger"}">${u.disabled ? ctx.t("users.enable") : ctx.t("users.disable")}</button>
                      </form>
                      <form method="post" action="/users/${u.id}/revoke">
                        <input type="hidden" name="_csrf" value="${ctx.csrf}" /><button type="submit">${ctx.t("users.revoke")}</button>
                      </form>
                    </div>
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <h2 id="new-user">${ctx.t("users.new")}</h2>
      <form method="post" action="/users" class="card stack" aria-labelledby="new-user" novalidate>
        <input type="hidden" name="_csrf" value="${ctx.csrf}" />
        <label for="u-name">${ctx.t("account.name")}</label
        ><input id="u-name" name="name" type="text" required maxlength="200" value="${o.values.name ?? ""}" ${inv("name")} />${err("name")}
        <label for="u-email">${ctx.t("account.email")}</label
        ><input id="u-email" name="email" type="email" required maxlength="254" value="${o.values.email ?? ""}" ${inv("email")} />${err("email")}
        <label for="u-role">${ctx.t("account.role")}</label
        ><select id="u-role" name="role">
          ${ROLES.map((r) => html`<option value="${r}" ${r === (o.values.role ?? "OFFICER") ? "selected" : ""}>${ctx.t(`roles.${r}`)}</option>`)}
        </select>
        <label for="u-org">${ctx.t("users.org")}</label>
        <select id="u-org" name="organization_code" ${inv("organization_code")}>
          ${ctx.user?.organizationId === null ? html`<option value="">${ctx.t("users.system")}</option>` : ""}
          ${o.orgs.map((org) => html`<option value="${org.code}" ${org.code === o.values.organization_code ? "selected" : ""}>${org.name} (${org.code})</option>`)}</select
        >${err("organization_code")} <label for="u-password">${ctx.t("users.password")}</label><span class="hint" id="u-password-hint">${ctx.t("users.password_hint")}</span>
        <input
          id="u-password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
          minlength="12"
          maxlength="1024"
          aria-describedby="u-password-hint"
          ${inv("password")}
        />${err("password")}
        <button type="submit" class="primary">${ctx.t("users.create")}</button>
      </form>`,
  });
}

/** The audit log, newest first, with an action filter and paging. */
export function auditPage(ctx: PageContext, o: { rows: AuditRow[]; action: string }): string {
  const last = o.rows.at(-1);
  return renderPage(ctx, {
    title: ctx.t("audit.title"),
    active: "audit",
    body: html`<h1>${ctx.t("audit.title")}</h1>
      <form method="get" action="/audit" class="filters" role="search">
        <div><label for="action">${ctx.t("audit.action")}</label><input id="action" name="action" type="search" value="${o.action}" maxlength="64" placeholder="directive." /></div>
        <div><button type="submit">${ctx.t("directive.filter.apply")}</button></div>
      </form>
      ${
        o.rows.length
          ? html`<div class="table-wrap" tabindex="0">
                <table class="responsive">
                  <caption class="sr-only">
                    ${ctx.t("audit.title")}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">${ctx.t("audit.at")}</th>
                      <th scope="col">${ctx.t("audit.user")}</th>
                      <th scope="col">${ctx.t("audit.action")}</th>
                      <th scope="col">${ctx.t("audit.entity")}</th>
                      <th scope="col">${ctx.t("audit.details")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${o.rows.map(
                      (r) =>
                        html`<tr>
                          <td data-label="${ctx.t("audit.at")}">${formatTime(r.at)}</td>
                          <td data-label="${ctx.t("audit.user")}">${r.user_email ?? "—"}</td>
                          <td data-label="${ctx.t("audit.action")}"><code>${r.action}</code></td>
                          <td data-label="${ctx.t("audit.entity")}">${r.entity_type}${r.entity_id ? ` #${r.entity_id}` : ""}</td>
                          <td data-label="${ctx.t("audit.details")}"><code>${r.details ? JSON.stringify(r.details).slice(0, 300) : ""}</code></td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
              ${last && o.rows.length >= 100 ? html`<p><a href="/audit?before=${last.id}&action=${encodeURIComponent(o.action)}">${ctx.t("audit.older")}</a></p>` : ""}`
          : html`<div class="card empty"><p>${ctx.t("audit.empty")}</p></div>`
      }`,
  });
}

/** Channel health and the job queues. */
export function operationsPage(ctx: PageContext, o: { channels: ChannelHealth[]; tokens: ZaloOaTokenState[]; queuesUrl: string | null }): string {
  return renderPage(ctx, {
    title: ctx.t("operations.title"),
    active: "operations",
    body: html`<h1>${ctx.t("operations.title")}</h1>
      ${o.queuesUrl ? html`<p><a class="button" href="${o.queuesUrl}">${ctx.t("operations.queues")}</a></p>` : ""}
      <div class="table-wrap" tabindex="0">
        <table class="responsive">
          <caption>
            ${ctx.t("operations.channels")}
          </caption>
          <thead>
            <tr>
              <th scope="col">${ctx.t("directive.col.channel")}</th>
              <th scope="col">${ctx.t("operations.state")}</th>
              <th scope="col">${ctx.t("operations.last_inbound")}</th>
              <th scope="col" class="num">${ctx.t("operations.rate_limited")}</th>
              <th scope="col">${ctx.t("operations.last_hour")}</th>
              <th scope="col" class="num">${ctx.t("operations.failed_inbound")}</th>
            </tr>
          </thead>
          <tbody>
            ${o.channels.map(
              (c) =>
                html`<tr>
                  <td data-label="${ctx.t("directive.col.channel")}">${ctx.t(`channels.${c.kind.toLowerCase()}`)}</td>
                  <td data-label="${ctx.t("operations.state")}">
                    ${c.enabled ? html`<span class="badge ok">${ctx.t("operations.on")}</span>` : html`<span class="badge muted">${ctx.t("operations.off")}</span>`}
                  </td>
                  <td data-label="${ctx.t("operations.last_inbound")}">${formatTime(c.lastInboundAt) || "—"}</td>
                  <td data-label="${ctx.t("operations.rate_limited")}" class="num">${c.rateLimitedLastHour}</td>
                  <td data-label="${ctx.t("operations.last_hour")}">
                    ${Object.entries(c.lastHour).map(([s, n]) => html`<span class="badge muted">${ctx.t(`delivery.${s}`)}: ${n}</span> `)}
                  </td>
                  <td data-label="${ctx.t("operations.failed_inbound")}" class="num">${c.failedInbound}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <h2>${ctx.t("operations.tokens")}</h2>
      ${
        o.tokens.length
          ? html`<div class="table-wrap" tabindex="0">
              <table>
                <thead>
                  <tr>
                    <th scope="col">OA</th>
                    <th scope="col">${ctx.t("operations.token_expires")}</th>
                    <th scope="col">${ctx.t("operations.token_rotated")}</th>
                    <th scope="col">${ctx.t("operations.state")}</th>
                  </tr>
                </thead>
                <tbody>
                  ${o.tokens.map(
                    (t) =>
                      html`<tr>
                        <td>${t.oaId}</td>
                        <td>${formatTime(t.accessExpiresAt) || "—"}</td>
                        <td>${formatTime(t.rotatedAt) || "—"} (${t.rotations})</td>
                        <td>
                          ${t.needsAdminAt ? html`<span class="badge bad">${ctx.t("operations.needs_admin")}</span> ${t.lastError ?? ""}` : html`<span class="badge ok">${ctx.t("operations.token_ok")}</span>`}
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<p class="muted">${ctx.t("operations.no_tokens")}</p>`
      }`,
  });
}
