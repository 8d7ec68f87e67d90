/**
 * A certificate batch worker killed for real: a child process rendering a batch is SIGKILLed in the
 * middle of the rendering (after some chunks are committed, while the next ones are in hand), then a
 * new worker process resumes the batch. The register takes no number twice and misses none, and the
 * print PDF, the ZIP and the ceremony list hold exactly one certificate per row.
 */
import { fork, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import JSZip from "jszip";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { pdfinfo, pdftotext } from "../helpers/pdf-tools.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

const ROWS = 120;
const CHUNK = 5;
const HEAD = "STT,Họ và tên,Lớp,Danh hiệu,Thành tích,Số quyết định,Ngày quyết định,Quyền hạn ký,Chức vụ người ký,Người ký";
const row = (i: number) =>
  `${i + 1},Nguyễn Thị Học Sinh ${i + 1},Lớp 6A,Học sinh Giỏi,Đã có thành tích tốt trong học tập năm học 2025–2026,125/QĐ-SGDĐT,15/11/2026,KT. Giám đốc,Phó Giám đốc,Trần Văn Bình`;

let t: TestApp;
let dir: string;

/** Starts a worker process on batch `id`; `onDone` sees each committed chunk's count. */
function startWorker(id: number, pauseMs: number, onDone: (done: number, child: ChildProcess) => void = () => {}) {
  const child = fork(path.join(import.meta.dirname, "../helpers/certificate-batch-process.ts"), [JSON.stringify({ databaseUrl: t.url, root: dir, id, chunk: CHUNK, pauseMs })], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  child.on("message", (m: { done?: number }) => {
    if (typeof m.done === "number") onDone(m.done, child);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { child, exited };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "chidao-cert-crash-"));
  t = await createTestApp({ certificates: { enqueue: async () => {} } }, { CERTIFICATES_DIR: dir });
  await createProvince(t.db);
});
afterAll(async () => {
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

describe("a certificate batch worker killed mid-render", () => {
  it("is resumed by a new worker process: no number twice or missing, one PDF per row", async () => {
    const { token } = await createUserWithToken(t.db, { role: "CLERK", orgCode: "SGD" });
    const body = Buffer.from(`\uFEFF${[HEAD, ...Array.from({ length: ROWS }, (_, i) => row(i))].join("\r\n")}\r\n`, "utf8");
    const res = await request(t.app)
      .post("/api/v1/certificates/batches?template=giay_khen&issuer=SGD")
      .set({ Authorization: `Bearer ${token}` })
      .set("Content-Type", "text/csv")
      .send(body);
    expect(res.status).toBe(202);
    const id = res.body.id as number;

    // The first worker is killed with SIGKILL once 30 rows are committed, while it renders on.
    let killedAt = 0;
    const first = startWorker(id, 15, (done, child) => {
      if (done >= 30 && !killedAt) {
        killedAt = done;
        child.kill("SIGKILL");
      }
    });
    expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
    const batch = await t.db.certificateBatch.findUniqueOrThrow({ where: { id } });
    expect(batch.status).toBe("RENDERING");
    const rendered = await t.db.certificateItem.count({ where: { batchId: id, renderedAt: { not: null } } });
    expect(rendered).toBeGreaterThanOrEqual(30);
    expect(rendered).toBeLessThan(ROWS);
    expect(batch.done).toBe(rendered);
    const before = await t.db.certificateItem.findMany({ where: { batchId: id }, orderBy: { seq: "asc" }, select: { number: true, renderedAt: true, pdfSha256: true } });

    // A new worker process resumes and finishes; a third finds nothing to do.
    const second = startWorker(id, 0);
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect((await t.db.certificateBatch.findUniqueOrThrow({ where: { id } })).status).toBe("DONE");

    const items = await t.db.certificateItem.findMany({ where: { batchId: id }, orderBy: { seq: "asc" } });
    // Numbers were taken once, before the kill, and kept: consecutive, none twice, none missing.
    const first1 = items[0]!.number!;
    expect(items.map((i) => i.number)).toEqual(Array.from({ length: ROWS }, (_, i) => first1 + i));
    expect(items.map((i) => i.number)).toEqual(before.map((i) => i.number));
    const sgd = await t.db.organization.findUniqueOrThrow({ where: { code: "SGD" } });
    const entries = await t.db.registerEntry.findMany({ where: { organizationId: sgd.id, series: "GK" }, orderBy: { number: "asc" } });
    expect(entries.map((e) => e.number)).toEqual(Array.from({ length: ROWS }, (_, i) => first1 + i));
    // What was rendered before the kill was not rendered again.
    for (const [k, b] of before.entries()) if (b.renderedAt) expect(items[k]!.renderedAt).toEqual(b.renderedAt);
    expect(items.every((i) => i.renderedAt && i.pdfSha256)).toBe(true);

    const files = path.join(dir, `batch-${id}`);
    expect((await readdir(files)).sort()).toEqual(["certificates.zip", "list.pdf", "list.xlsx", "print.pdf"]);
    const print = await readFile(path.join(files, "print.pdf"));
    expect(await pdfinfo(print)).toMatch(new RegExp(`Pages:\\s+${ROWS}\\n`));
    const text = await pdftotext(print, "-raw");
    // Each register symbol once ("1/GK-…" not counted inside "11/GK-…").
    const escape = (v: string) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    for (const item of items) expect(text.match(new RegExp(`(?<![0-9])${escape(item.symbol!)}`, "g"))).toHaveLength(1);
    const zip = await JSZip.loadAsync(await readFile(path.join(files, "certificates.zip")));
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual(items.map((i) => expect.stringMatching(new RegExp(`^${String(i.number).padStart(5, "0")}_`))));
    // Each individual PDF is the one whose SHA-256 the database holds, a whole one-page file.
    for (const [k, name] of names.entries()) {
      const pdf = await zip.file(name)!.async("nodebuffer");
      expect(pdf.subarray(-6).toString("latin1")).toMatch(/%%EOF\n$/);
      expect(createHash("sha256").update(pdf).digest("hex")).toBe(items[k]!.pdfSha256);
    }
  }, 60_000);
});
