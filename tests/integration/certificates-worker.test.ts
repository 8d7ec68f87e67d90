/**
 * The batch job on the real job system, both backends: the API hands the batch to the
 * `certificates` queue (BullMQ on Redis, then on PostgreSQL) and the worker renders it to the end.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../server/config/logger.ts";
import { CERTIFICATE_QUEUE, createCertificateQueue, createCertificateWorker, sweepCertificateBatches } from "../../server/jobs/certificate-jobs.ts";
import { createQueueKit } from "../../server/jobs/queue-kit.ts";
import { verifyUrl } from "../../server/features/documents/verify-url.ts";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { TEST_REDIS_URL } from "../helpers/test-env.ts";

let t: TestApp;
let dir: string;
let auth: { Authorization: string };

const CSV = [
  "Họ và tên,Đơn vị,Thành tích,Số quyết định,Ngày quyết định,Chức vụ người ký,Người ký",
  "Nguyễn Văn An,Tổ Toán,Hoàn thành xuất sắc nhiệm vụ năm học 2025–2026,88/QĐ-SGDĐT,2026-06-01,Giám đốc,Lê Văn Cường",
  "Trần Thị Bích,Tổ Văn,Hoàn thành xuất sắc nhiệm vụ năm học 2025–2026,88/QĐ-SGDĐT,2026-06-01,Giám đốc,Lê Văn Cường",
  "Phạm Minh Châu,Tổ Anh,Hoàn thành xuất sắc nhiệm vụ năm học 2025–2026,88/QĐ-SGDĐT,2026-06-01,Giám đốc,Lê Văn Cường",
].join("\n");

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "chidao-cert-w-"));
  t = await createTestApp({}, { CERTIFICATES_DIR: dir });
  await createProvince(t.db);
  auth = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "OFFICER", orgCode: "SGD" })).token}` };
});
afterAll(async () => {
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

describe.each([
  ["redis", TEST_REDIS_URL],
  ["postgres", undefined],
] as const)("the certificates queue on %s", (_kind, redisUrl) => {
  it("renders a batch handed over by the API, and the sweep re-adds an unfinished one", async () => {
    const kit = createQueueKit({ redisUrl, databaseUrl: t.url, prefix: `t${randomBytes(4).toString("hex")}` });
    const queue = kit.createQueue(CERTIFICATE_QUEUE);
    const certificates = createCertificateQueue(queue);
    t.deps.certificates = certificates;
    const { createApp } = await import("../../server/app.ts");
    const app = createApp(t.deps);
    const worker = createCertificateWorker({ kit, db: t.db, logger: createLogger("silent"), process: { root: dir, verifyUrl: (c) => verifyUrl(t.deps.config, c) } });
    try {
      const res = await request(app).post("/api/v1/certificates/batches?template=giay_khen&issuer=SGD").set(auth).set("Content-Type", "text/csv").send(CSV);
      expect(res.status).toBe(202);
      const poll = async (id: number) => {
        for (let i = 0; i < 300; i++) {
          const b = (await request(app).get(`/api/v1/certificates/batches/${id}`).set(auth)).body;
          if (b.status === "done" || b.status === "failed") return b;
          await new Promise((r) => setTimeout(r, 200));
        }
        throw new Error("batch not finished");
      };
      expect(await poll(res.body.id)).toMatchObject({ status: "done", done: 3, total: 3 });
      // A batch committed while the queue was unreachable: the sweep hands it over.
      t.deps.certificates = undefined;
      const lost = await request(createApp(t.deps)).post("/api/v1/certificates/batches?template=giay_khen&issuer=SGD").set(auth).set("Content-Type", "text/csv").send(CSV);
      expect(lost.status).toBe(202);
      expect(await sweepCertificateBatches(t.db, certificates)).toBe(1);
      expect(await poll(lost.body.id)).toMatchObject({ status: "done", total: 3 });
    } finally {
      await worker.close();
      await queue.close();
    }
  }, 120_000);
});
