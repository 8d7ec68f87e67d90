import { html } from "../html.ts";
import { renderPage } from "../layout.ts";
import type { PageContext } from "../web-context.ts";

/** The sign-in form; `error` is shown above it (wrong password, too many attempts). */
export function signinPage(ctx: PageContext, { next, email = "", error }: { next: string; email?: string; error?: string }): string {
  return renderPage(ctx, {
    title: ctx.t("signin.title"),
    body: html`<section class="narrow card">
      <h1>${ctx.t("signin.title")}</h1>
      <p class="muted">${ctx.t("signin.intro")}</p>
      ${error ? html`<p class="alert error" role="alert">${error}</p>` : ""}
      <form method="post" action="/signin" class="stack">
        <input type="hidden" name="_csrf" value="${ctx.csrf}" />
        <input type="hidden" name="next" value="${next}" />
        <label for="email">${ctx.t("signin.email")}</label>
        <input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${email}" autofocus />
        <label for="password">${ctx.t("signin.password")}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024" />
        <button type="submit" class="primary">${ctx.t("signin.submit")}</button>
      </form>
    </section>`,
  });
}

/** The account page: who is signed in, and signing out of every browser and API client at once. */
export function accountPage(ctx: PageContext, { signedOutOthers }: { signedOutOthers?: number | undefined }): string {
  const user = ctx.user!;
  return renderPage(ctx, {
    title: ctx.t("account.title"),
    body: html`<section class="narrow card">
      <h1>${ctx.t("account.title")}</h1>
      ${signedOutOthers !== undefined ? html`<p class="alert ok" role="status">${ctx.t("account.revoked", { count: signedOutOthers })}</p>` : ""}
      <dl class="facts">
        <dt>${ctx.t("account.name")}</dt>
        <dd>${user.name}</dd>
        <dt>${ctx.t("account.email")}</dt>
        <dd>${user.email}</dd>
        <dt>${ctx.t("account.role")}</dt>
        <dd>${ctx.t(`roles.${user.role}`)}</dd>
      </dl>
      <form method="post" action="/signout-everywhere">
        <input type="hidden" name="_csrf" value="${ctx.csrf}" />
        <p>${ctx.t("account.everywhere_help")}</p>
        <button type="submit" class="danger">${ctx.t("account.everywhere")}</button>
      </form>
    </section>`,
  });
}
