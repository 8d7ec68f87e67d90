import { Router } from "express";
import type { AppDeps } from "../deps.ts";
import { parseWith } from "../../domain/zod-issues.ts";
import { findRegister, RegisterQuerySchema } from "../../features/register/find-register.ts";
import { renderRegisterXlsx } from "../../features/register/render-register-xlsx.ts";
import { currentUser } from "../middleware/auth.ts";
import { contentDisposition } from "../content-disposition.ts";

/** The outgoing register (sổ đăng ký văn bản đi) of an organisation and year, as JSON and as the decree's .xlsx form. */
export function registerRoutes({ db }: Pick<AppDeps, "db">): Router {
  const router = Router();

  router.get("/register", async (req, res) => {
    res.json(await findRegister(db, currentUser(req), parseWith(RegisterQuerySchema, req.query)));
  });

  router.get("/register.xlsx", async (req, res) => {
    const register = await findRegister(db, currentUser(req), parseWith(RegisterQuerySchema, req.query));
    res.setHeader("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    res.setHeader("Content-Disposition", contentDisposition("attachment", `so-dang-ky-van-ban-di-${register.issuer.code}-${register.year}.xlsx`));
    res.setHeader("Cache-Control", "private, no-store");
    res.send(await renderRegisterXlsx(register));
  });
  return router;
}
