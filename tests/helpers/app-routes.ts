/**
 * Every route the Express app answers, read from its router (so a route added later is covered by
 * the tables that use this without anyone remembering to list it), with a concrete path for each.
 */
import type { Express } from "express";

export type AppRoute = {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** The route's pattern, e.g. `/api/v1/documents/:id.pdf`. */
  pattern: string;
  /** Names of the path parameters, in order. */
  params: string[];
  /** Behind `Authorization: Bearer` (under /api/v1, except sign-in). */
  authenticated: boolean;
  /** Takes a body (POST, PATCH, PUT). */
  hasBody: boolean;
  /** A page or action of the officers' dashboard (a session cookie and a CSRF token, not a bearer token). */
  dashboard: boolean;
};

type Layer = { rawPath?: unknown; route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

function walk(stack: Layer[], prefix: string, out: { method: string; pattern: string }[]): void {
  for (const layer of stack) {
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== "_all") out.push({ method: method.toUpperCase(), pattern: prefix + layer.route.path });
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === "string" && layer.rawPath !== "/" ? layer.rawPath : "";
      walk(layer.handle.stack, prefix + mount, out);
    }
  }
}

/** The app's routes, from its router; `/webhooks/*` only when mounted. */
export function listAppRoutes(app: Express): AppRoute[] {
  const found: { method: string; pattern: string }[] = [];
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, "", found);
  const seen = new Set<string>();
  return found
    .filter((r) => !seen.has(`${r.method} ${r.pattern}`) && seen.add(`${r.method} ${r.pattern}`))
    .map((r) => ({
      method: r.method as AppRoute["method"],
      pattern: r.pattern,
      params: [...r.pattern.matchAll(/:(\w+)/g)].map((m) => m[1]!),
      authenticated: r.pattern.startsWith("/api/v1/") && r.pattern !== "/api/v1/auth/token",
      hasBody: r.method === "POST" || r.method === "PATCH" || r.method === "PUT",
      dashboard: !/^\/(api|verify|webhooks|healthz|readyz)(\/|$)/.test(r.pattern),
    }));
}

/** The route's path with each parameter replaced by `value(name)` (raw: percent-escapes are kept). */
export function fillPath(route: AppRoute, value: (param: string) => string): string {
  return route.pattern.replace(/:(\w+)/g, (_m, name: string) => value(name));
}
