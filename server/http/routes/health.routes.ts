import { Router } from "express";

export type ReadinessCheck = () => Promise<Record<string, boolean>>;

/** `GET /healthz` (the process answers) and `GET /readyz` (database and queue reachable: 200, else 503). */
export function healthRoutes(readiness: ReadinessCheck): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const checks = await readiness().catch(() => ({ database: false, queue: false }));
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "unavailable", checks });
  });
  return router;
}
