/** The page frame: landmarks, navigation by role, language switch, sign-out. */
import type { AuthUser } from "../features/auth/find-user-by-token.ts";
import { html, type SafeHtml } from "./html.ts";
import type { PageContext } from "./web-context.ts";

export type NavKey = "directives" | "documents" | "register" | "orgs" | "certificates" | "programmes" | "extensions" | "users" | "audit" | "operations";

type NavItem = { key: NavKey; href: string; roles?: AuthUser["role"][] };

/**
 * The areas of the dashboard.
 */
const NAV: NavItem[] = [
  { key: "directives", href: "/directives" },
  { key: "documents", href: "/documents" },
  { key: "register", href: "/register" },
  { key: "orgs", href: "/orgs" },
  { key: "programmes", href: "/programmes" },
  { key: "extensions", href: "/extensions" },
  { key: "certificates", href: "/certificates" },
  { key: "users", href: "/users", roles: ["ADMIN"] },
  { key: "audit", href: "/audit", roles: ["ADMIN"] },
  { key: "operations", href: "/operations", roles: ["ADMIN"] },
];

/**
 * `url` with `lang` set to `locale` (the language switch keeps the officer on the same page). The
 * request's path is read as a path, never as a protocol-relative URL ("//host/…" would name another
 * site, and "//%FF" no host at all), and the link starts with one slash, so it stays on this site.
 */
export function withLang(url: string, locale: string): string {
  const u = new URL(`http://x/${url.replace(/^\/+/, "")}`);
  u.searchParams.set("lang", locale);
  return u.pathname + u.search;
}

export type PageOptions = { title: string; active?: NavKey; body: SafeHtml; scripts?: string[] };

/** A whole page. */
export function renderPage(ctx: PageContext, { title, active, body, scripts = [] }: PageOptions): string {
  const { t, user } = ctx;
  const other = ctx.locale === "vi" ? "en" : "vi";
  const nav = user
    ? html`<nav aria-label="${t("nav.label")}" class="nav">
        <ul>
          ${NAV.filter((n) => !n.roles || n.roles.includes(user.role)).map(
            (n) => html`<li><a href="${n.href}" ${n.key === active ? html`aria-current="page"` : ""}>${t(`nav.${n.key}`)}</a></li>`,
          )}
        </ul>
      </nav>`
    : "";
  const account = user
    ? html`<div class="account">
        <a class="who" href="/account">${user.name} · ${t(`roles.${user.role}`)}</a>
        <form method="post" action="/signout"><input type="hidden" name="_csrf" value="${ctx.csrf}" /><button type="submit" class="link">${t("signout")}</button></form>
      </div>`
    : "";
  return `<!doctype html>${
    html`<html lang="${ctx.locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="csrf-token" content="${ctx.csrf}" />
        <title>${title} · chidao</title>
        <link rel="stylesheet" href="/assets/app.css" />
        <link rel="icon" href="data:," />
      </head>
      <body>
        <a class="skip" href="#main">${t("skip")}</a>
        <header class="top">
          <a class="brand" href="/">chidao<span> · ${t("brand")}</span></a>
          ${nav}
          <div class="tools">
            <a href="${withLang(ctx.url, other)}" lang="${other}" hreflang="${other}">${t(`lang.${other}`)}</a>
            ${account}
          </div>
        </header>
        <main id="main" tabindex="-1">${body}</main>
        <footer class="foot"><p>${t("footer")}</p></footer>
        ${scripts.map((s) => html`<script type="module" src="/assets/${s}"></script>`)}
      </body>
    </html>`.value
  }`;
}
