import { Router, type Request, type Response } from "express";
import type { AppDeps } from "../../http/deps.ts";
import { parseWith } from "../../domain/zod-issues.ts";
import { findAuditLog } from "../../features/audit/find-audit-log.ts";
import { findChannelHealth } from "../../features/operations/find-channel-health.ts";
import { findOrgs } from "../../features/orgs/find-orgs.ts";
import { createUser, CreateUserInputSchema } from "../../features/users/create-user.ts";
import { findUsers } from "../../features/users/find-users.ts";
import { revokeUserTokens } from "../../features/users/revoke-user-tokens.ts";
import { updateUser, UpdateUserInputSchema } from "../../features/users/update-user.ts";
import { parseId } from "../../http/params.ts";
import { formString, toFieldErrors, type FieldErrors } from "../form-errors.ts";
import { auditPage, operationsPage, usersPage } from "../pages/admin-pages.ts";
import { pageContext } from "../web-context.ts";
import { requireWebRole, requireWebUser } from "../web-guards.ts";

/** Administrators: users, the audit log, channel health and the job queues. */
export function adminWebRoutes(deps: AppDeps): Router {
  const { db, channels = [] } = deps;
  const router = Router();
  router.use(["/users", "/audit", "/operations"], requireWebUser, requireWebRole("ADMIN"));

  async function showUsers(req: Request, res: Response, extra: { errors?: FieldErrors; values?: Record<string, string>; message?: string; notice?: string } = {}, status = 200) {
    const [users, orgs] = await Promise.all([findUsers(db, req.user!, { limit: 1000 }), findOrgs(db, req.user!, {})]);
    res
      .status(status)
      .type("html")
      .send(usersPage(pageContext(req, res), { users, orgs, errors: extra.errors ?? {}, values: extra.values ?? {}, message: extra.message, notice: extra.notice }));
  }

  router.get("/users", async (req, res) => {
    const ctx = pageContext(req, res);
    const notice =
      req.query.done === "created"
        ? ctx.t("users.created")
        : req.query.done === "revoked"
          ? ctx.t("users.revoked")
          : req.query.done === "updated"
            ? ctx.t("users.updated")
            : undefined;
    await showUsers(req, res, notice ? { notice } : {});
  });

  router.post("/users", async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { name: formString(body.name), email: formString(body.email), role: formString(body.role), organization_code: formString(body.organization_code) };
    try {
      await createUser(
        db,
        req.user!,
        parseWith(CreateUserInputSchema, { ...values, organization_code: values.organization_code || undefined, password: formString(body.password) }),
      );
    } catch (err) {
      const form = toFieldErrors(err, req.locale);
      if (!form) throw err;
      return showUsers(req, res, { errors: form.errors, values, message: form.message }, 422);
    }
    res.redirect(303, "/users?done=created");
  });

  router.post("/users/:id", async (req, res) => {
    const id = parseId(req.params.id, "user");
    const body = (req.body ?? {}) as Record<string, unknown>;
    const input = {
      ...(body.role ? { role: formString(body.role) } : {}),
      ...(body.disabled === "true" || body.disabled === "false" ? { disabled: body.disabled === "true" } : {}),
    };
    try {
      await updateUser(db, req.user!, id, parseWith(UpdateUserInputSchema, input));
    } catch (err) {
      const form = toFieldErrors(err, req.locale);
      if (!form) throw err;
      return showUsers(req, res, { message: Object.values(form.errors)[0] ?? form.message }, 422);
    }
    res.redirect(303, "/users?done=updated");
  });

  router.post("/users/:id/revoke", async (req, res) => {
    await revokeUserTokens(db, req.user!, parseId(req.params.id, "user"));
    res.redirect(303, "/users?done=revoked");
  });

  router.get("/audit", async (req, res) => {
    const action = typeof req.query.action === "string" ? req.query.action.slice(0, 64) : "";
    const before = Number(req.query.before) || undefined;
    const rows = await findAuditLog(db, req.user!, { action, before });
    res.type("html").send(auditPage(pageContext(req, res), { rows, action }));
  });

  router.get("/operations", async (req, res) => {
    const health = await findChannelHealth(
      db,
      channels.map((c) => c.kind),
    );
    res
      .type("html")
      .send(operationsPage(pageContext(req, res), { channels: health.channels, tokens: health.zaloOaTokens, queuesUrl: deps.queueBoard ? "/operations/queues/" : null }));
  });
  if (deps.queueBoard) router.use("/operations/queues", deps.queueBoard);
  return router;
}
