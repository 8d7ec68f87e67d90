/**
 * What a hostile load needs to know about a running chidao: its routes (read from the app's
 * router), signed-in users of every role, and ids, codes and valid bodies that exist, so that part
 * of the load reaches the deep code (rendering, numbering, publishing) and not only the validators.
 */
import { createApp } from "../../../server/app.ts";
import { loadConfig } from "../../../server/config/env.ts";
import { createLogger } from "../../../server/config/logger.ts";
import type { Db } from "../../../server/db/prisma.ts";
import { SAMPLES } from "../../fixtures/document-samples.ts";
import { listAppRoutes, type AppRoute } from "../../helpers/app-routes.ts";
import { createProvince, createUserWithToken } from "../../helpers/factories.ts";
import { rawRequest } from "../../helpers/raw-http.ts";
import type { HostileContext } from "./malformed-requests.ts";

/** The routes of an app configured like the process under test (with the webhook mounted when it is). */
export function publicRoutes({ webhook }: { webhook: boolean }): AppRoute[] {
  const app = createApp({
    db: {} as Db,
    config: loadConfig({ NODE_ENV: "test", DATABASE_URL: "postgresql://unused@127.0.0.1/unused" }),
    logger: createLogger("silent"),
    readiness: async () => ({}),
    deliveries: { enqueue: async () => {} },
    ...(webhook ? { telegram: { username: "unused", webhook: () => {} } } : {}),
  });
  return listAppRoutes(app);
}

async function call(base: string, token: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await rawRequest(base, {
    method,
    path,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status >= 300) throw new Error(`seeding ${method} ${path}: ${res.status} ${res.text}`);
  return res.json as Record<string, unknown>;
}

/**
 * Seeds a province, users of every role and a few directives and documents (one issued) through
 * the running server, and returns the context the hostile load draws from.
 */
export async function prepareHostileTarget(o: { db: Db; base: string; webhookSecret?: string; maxBodyBytes: number }): Promise<HostileContext & { adminToken: string }> {
  await createProvince(o.db);
  const users = await Promise.all((["ADMIN", "OFFICER", "CLERK", "VIEWER"] as const).map((role) => createUserWithToken(o.db, { role, orgCode: "SGD" })));
  users.push(await createUserWithToken(o.db, { role: "OFFICER", orgCode: "X1" }));
  const admin = users[0]!;
  const expendable = await createUserWithToken(o.db, { role: "VIEWER", orgCode: "X1" });
  const ids = new Set<number>([1, 2, 3]);
  for (let i = 0; i < 3; i++) {
    const d = await call(o.base, admin.token, "POST", "/api/v1/directives", { title: `Chỉ đạo thử ${i}`, body: "Nội dung chỉ đạo", audience: { under: "X1" } });
    ids.add(Number(d.id));
  }
  const documents: number[] = [];
  for (const template of ["cong_van", "thong_bao", "quyet_dinh"]) {
    const d = await call(o.base, admin.token, "POST", "/api/v1/documents", { template, issuer: "SGD", data: SAMPLES[template] });
    documents.push(Number(d.id));
    ids.add(Number(d.id));
  }
  const issued = await call(o.base, admin.token, "POST", `/api/v1/documents/${documents[0]}/issue`, {});
  const verifyCode = String(issued.verify_url).split("/").pop()!;
  for (const p of await o.db.person.findMany({ select: { id: true }, take: 5 })) ids.add(p.id);
  const update = {
    update_id: 1,
    message: { message_id: 1, from: { id: 5, is_bot: false, first_name: "Lan" }, chat: { id: 5, type: "private" }, date: 1_700_000_000, text: "/help" },
  };
  return {
    adminToken: admin.token,
    routes: publicRoutes({ webhook: Boolean(o.webhookSecret) }),
    tokens: users.map((u) => u.token),
    expendable: { token: expendable.token, userId: expendable.user.id },
    ids: [...ids],
    orgCodes: ["SGD", "X1", "X1-TH", "THPT1", "NOPE", "x1"],
    verifyCodes: [verifyCode, "ABCDEF", verifyCode.toLowerCase()],
    ...(o.webhookSecret ? { webhookSecret: o.webhookSecret } : {}),
    maxBodyBytes: o.maxBodyBytes,
    validBodies: {
      "/webhooks/telegram": [update],
      "/api/v1/auth/token": [
        { email: admin.email, password: admin.password },
        { email: "nobody@sgd.vn", password: "wrong" },
      ],
      "/api/v1/directives": [
        { title: "Chỉ đạo", body: "Nội dung", audience: { under: "X1" } },
        { title: "Toàn tỉnh", body: "Nội dung", audience: { kinds: ["SCHOOL"] }, require_ack: true },
      ],
      "/api/v1/directives/:id/publish": [{}],
      "/api/v1/documents": Object.entries(SAMPLES).map(([template, data]) => ({ template, issuer: "SGD", data })),
      "/api/v1/documents/:id": [{ data: SAMPLES.cong_van }],
      "/api/v1/documents/:id/issue": [{}],
      "/api/v1/documents/:id/withdraw": [{ reason: "Ban hành nhầm" }],
      "/api/v1/orgs/:code": [{ name: "Trường đổi tên" }, { symbol: "SGDĐT", place: "Huế" }],
      "/api/v1/people/:id/link-code": [{}],
    },
  };
}
