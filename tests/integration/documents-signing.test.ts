/**
 * Signing after the register's transaction: a slow signer holds no register, a document awaiting
 * its signature is never served as the signed one, and the sweep finishes what a crash left.
 * Every signature here is a real one (test PKCS#12 with Vietnamese names), checked by pdfsig.
 */
import { createHash } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../server/config/logger.ts";
import type { AuthUser } from "../../server/features/auth/find-user-by-token.ts";
import { issueDocument } from "../../server/features/documents/issue-document.ts";
import { sweepUnsignedDocuments } from "../../server/features/documents/sweep-unsigned-documents.ts";
import { startSigningSweep } from "../../server/jobs/signing-sweep.ts";
import { createLocalP12Transport } from "../../server/signing/local-p12-transport.ts";
import type { SigningTransport } from "../../server/signing/signing-transport.ts";
import { SAMPLES } from "../fixtures/document-samples.ts";
import { asBuffer } from "../helpers/binary-body.ts";
import { createOrg, createProvince, createUserWithToken } from "../helpers/factories.ts";
import { pdfsig } from "../helpers/pdf-tools.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { createTestP12, type TestP12 } from "../helpers/test-p12.ts";

const SLEEP_MS = 3000;

let p12: TestP12;
let real: SigningTransport;
let t: TestApp;
let clerk: { Authorization: string };
let admin: { Authorization: string };
let clerkUser: AuthUser;

/**
 * The signer the app uses: the real PKCS#12 behind a gate that lets one signature through at a
 * time (as a USB token, an HSM session or a remote signing service with one connection does), with
 * an injected delay on the signatures of documents of the office named by `slowFor`.
 */
const signer = {
  slowFor: null as string | null,
  sleeping: false,
  entered: null as (() => void) | null,
  queue: Promise.resolve(),
  calls: 0,
};
const slowTransport: SigningTransport = {
  get signerName() {
    return real.signerName;
  },
  async signDetached(data) {
    const turn = signer.queue.then(async () => {
      signer.calls++;
      // The signed bytes carry the document's /Reason, "Ban hành văn bản số <symbol>".
      if (signer.slowFor && Buffer.from(data).toString("latin1").includes(Buffer.from(signer.slowFor, "utf16le").swap16().toString("hex"))) {
        signer.sleeping = true;
        signer.entered?.();
        await new Promise((r) => setTimeout(r, SLEEP_MS));
        signer.sleeping = false;
      }
      return real.signDetached(data);
    });
    signer.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  },
  async close() {},
};

beforeAll(async () => {
  p12 = await createTestP12();
  real = await createLocalP12Transport({ path: p12.p12Path, password: p12.password });
  t = await createTestApp({ signing: async () => slowTransport }, { SIGNING_WAIT_SECONDS: "0.5" });
  await createProvince(t.db);
  await createOrg(t.db, { code: "SGD2", name: "Sở Giáo dục và Đào tạo tỉnh Bắc Ninh", kind: "DEPARTMENT", symbol: "SGDBN", place: "Bắc Ninh" });
  const c = await createUserWithToken(t.db, { role: "CLERK" });
  clerk = { Authorization: `Bearer ${c.token}` };
  admin = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "ADMIN" })).token}` };
  clerkUser = { id: c.user.id, email: c.email, name: c.user.name, role: "CLERK", organizationId: null, locale: "vi" };
}, 60_000);
afterAll(async () => {
  await t.drop();
  await p12.cleanup();
});

async function draft(issuer: string, template = "cong_van"): Promise<number> {
  const res = await request(t.app).post("/api/v1/documents").set(clerk).send({ template, issuer, data: SAMPLES[template] }).expect(201);
  return res.body.id as number;
}

const json = async (id: number) => (await request(t.app).get(`/api/v1/documents/${id}`).set(clerk).expect(200)).body;

async function until(what: () => Promise<boolean>, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (await what()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("timed out");
}

describe("a slow signer", () => {
  it("does not block another office's issue: it completes while the first signer still sleeps", async () => {
    const [a, b] = [await draft("SGD"), await draft("SGD2")];
    signer.slowFor = "/SGDĐT-";
    const inside = new Promise<void>((r) => (signer.entered = r));
    const started = performance.now();
    const first = request(t.app).post(`/api/v1/documents/${a}/issue`).set(clerk).send({});
    const firstDone = first.then((r) => r);
    await inside;
    const sleepStarted = performance.now();
    const second = await request(t.app).post(`/api/v1/documents/${b}/issue`).set(clerk).send({});
    const secondMs = performance.now() - sleepStarted;
    // Measured while the first document's signer is still asleep.
    expect(signer.sleeping).toBe(true);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ number: 1, symbol: "01/SGDBN-KTKĐ", signing: "pending", signed: false, pdf_sha256: null });
    expect(secondMs).toBeLessThan(SLEEP_MS);
    const firstRes = await firstDone;
    expect(firstRes.body).toMatchObject({ number: 1, symbol: "01/SGDĐT-KTKĐ", signing: "pending" });
    console.info(`slow signer (${SLEEP_MS} ms, one signature at a time): another office's issue answered in ${secondMs.toFixed(0)} ms while it slept`);

    // While pending: the JSON says so, the PDF is a 409 with Retry-After, the DOCX is served.
    const pending = await json(a);
    expect(pending).toMatchObject({ status: "issued", signing: "pending", pdf_sha256: null, signed_at: null });
    const pdf = await request(t.app).get(`/api/v1/documents/${a}.pdf`).set(clerk);
    expect(pdf.status).toBe(409);
    expect(pdf.headers["retry-after"]).toBe("2");
    expect(pdf.body.error.message).toMatch(/đang chờ ký số/);
    await asBuffer(request(t.app).get(`/api/v1/documents/${a}.docx`).set(clerk)).expect(200);
    const code = (firstRes.body.verify_url as string).split("/").pop();
    const verify = await request(t.app).get(`/verify/${code}`).set("Accept", "application/json").expect(200);
    expect(verify.body).toMatchObject({ signature_pending: true, pdf_sha256: null });

    // Both get their signature once the signer wakes up; the served PDF is the signed one.
    await until(async () => (await json(a)).signing === "signed" && (await json(b)).signing === "signed");
    console.info(`both signed ${(performance.now() - started).toFixed(0)} ms after the first issue began`);
    for (const id of [a, b]) {
      const doc = await json(id);
      const file = (await asBuffer(request(t.app).get(`/api/v1/documents/${id}.pdf`).set(clerk)).expect(200)).body as Buffer;
      expect(createHash("sha256").update(file).digest("hex")).toBe(doc.pdf_sha256);
      const out = await pdfsig(file);
      expect(out).toContain("Signature is Valid.");
      expect(out).toContain("Signer Certificate Common Name: Sở Giáo dục và Đào tạo");
      const check = await request(t.app)
        .post(`/verify/${(doc.verify_url as string).split("/").pop()}`)
        .set("Accept", "application/json")
        .set("Content-Type", "application/pdf")
        .send(file)
        .expect(200);
      expect(check.body.matches).toBe(true);
    }
    expect(await t.db.auditLog.count({ where: { action: "document.sign", entityId: { in: [String(a), String(b)] } } })).toBe(2);
    signer.slowFor = null;
  }, 60_000);

  it("a fast signer signs within the wait: the answer says signed, with the signed file's SHA-256", async () => {
    const id = await draft("SGD", "quyet_dinh");
    const issued = await request(t.app).post(`/api/v1/documents/${id}/issue`).set(clerk).send({}).expect(200);
    expect(issued.body).toMatchObject({ signing: "signed", signed: true });
    const file = (await asBuffer(request(t.app).get(`/api/v1/documents/${id}.pdf`).set(clerk)).expect(200)).body as Buffer;
    expect(createHash("sha256").update(file).digest("hex")).toBe(issued.body.pdf_sha256);
  });
});

describe("a crash between the commit and the signature", () => {
  it("leaves the document pending and claimed; the sweep signs it once the claim's lease is over", async () => {
    const id = await draft("SGD2", "thong_bao");
    // The process "dies" after committing: its signer never answers, so the signature never comes.
    const dead: SigningTransport = { signerName: "x", signDetached: () => new Promise<Uint8Array>(() => {}), close: async () => {} };
    const issued = await issueDocument(t.db, { user: clerkUser, documentId: id, input: {}, signing: dead, signingWaitMs: 50, verifyUrl: (c) => `http://x/verify/${c}` });
    expect(issued).toMatchObject({ signing: "pending", pdf_sha256: null });
    const row = await t.db.document.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "ISSUED", signaturePending: true, pdfSha256: null, signingAttempts: 1 });
    expect(row.signingClaimedAt).not.toBeNull();
    expect(await t.db.registerEntry.count({ where: { documentId: id } })).toBe(1);

    // Within the lease the sweep leaves it to the process that claimed it.
    expect(await sweepUnsignedDocuments(t.db, { transport: real, leaseMs: 60_000 })).toEqual({ claimed: 0, signed: 0, failed: 0 });

    // Two minutes later (the claim moved back), the periodic sweep of a worker takes it over.
    await t.db.document.update({ where: { id }, data: { signingClaimedAt: new Date(Date.now() - 3 * 60_000) } });
    await t.db.periodicRun.deleteMany({});
    const stop = startSigningSweep({ db: t.db, signing: async () => real, logger: createLogger("silent"), intervalMs: 400 });
    try {
      await until(async () => !(await t.db.document.findUniqueOrThrow({ where: { id } })).signaturePending, 15_000);
    } finally {
      await stop();
    }
    const signed = await t.db.document.findUniqueOrThrow({ where: { id } });
    expect(signed).toMatchObject({ signaturePending: false, signingError: null, signingAttempts: 2 });
    expect(createHash("sha256").update(signed.pdf!).digest("hex")).toBe(signed.pdfSha256);
    const out = await pdfsig(signed.pdf!);
    expect(out).toMatch(/Signature Field Name: seal[\s\S]*Signature is Valid\./);
    expect(out).toContain("Total document signed");
    // One number, one register entry: signing changed neither.
    expect(await t.db.registerEntry.count({ where: { documentId: id } })).toBe(1);
    expect((await json(id)).signing).toBe("signed");
  }, 60_000);

  it("a failing signer: the issue still succeeds (numbered, pending), the error is shown, the sweep retries", async () => {
    const id = await draft("SGD", "ke_hoach");
    const failing: SigningTransport = {
      signerName: "x",
      signDetached: async () => {
        throw new Error("dịch vụ ký số không phản hồi");
      },
      close: async () => {},
    };
    const errors: unknown[] = [];
    const issued = await issueDocument(t.db, {
      user: clerkUser,
      documentId: id,
      input: {},
      signing: failing,
      signingWaitMs: 5000,
      verifyUrl: (c) => `http://x/verify/${c}`,
      onSigningError: (e) => errors.push(e),
    });
    expect(issued.signing).toBe("pending");
    await until(async () => errors.length === 1, 5000);
    expect(await json(id)).toMatchObject({ signing: "pending", signing_error: "dịch vụ ký số không phản hồi" });
    // A directive cannot carry it yet: its stored PDF is not the issued file.
    const directive = await request(t.app)
      .post("/api/v1/directives")
      .set(admin)
      .send({ title: "Triển khai kế hoạch", body: "Đề nghị các trường thực hiện.", audience: { under: "SGD" }, document_id: id });
    expect(directive.status).toBe(422);
    expect(directive.body.error.issues[0]).toMatchObject({ path: "document_id" });
    expect(directive.body.error.issues[0].message).toMatch(/đang chờ ký số/);

    expect(await sweepUnsignedDocuments(t.db, { transport: real, leaseMs: 0 })).toEqual({ claimed: 1, signed: 1, failed: 0 });
    expect(await json(id)).toMatchObject({ signing: "signed", signing_error: null });
    expect(await pdfsig((await t.db.document.findUniqueOrThrow({ where: { id } })).pdf!)).toContain("Signature is Valid.");
  }, 60_000);
});
