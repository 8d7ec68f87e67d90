/**
 * Server-side signing: with SIGNING_P12_PATH set, issuing signs the PDF in its seal field, and
 * poppler's pdfsig (NSS) validates the signature of a certificate with Vietnamese names.
 */
import { createHash, X509Certificate } from "node:crypto";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDocumentModel, renderPdf } from "../../server/documents/index.ts";
import { getTemplate } from "../../templates/index.ts";
import { issuerAndSerial } from "../../server/signing/build-cms-signature.ts";
import { createLocalP12Transport } from "../../server/signing/local-p12-transport.ts";
import { signPdf } from "../../server/signing/sign-pdf.ts";
import { SAMPLES, SGD } from "../fixtures/document-samples.ts";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { pdfsig, pdftotext, qpdfCheck, withFile } from "../helpers/pdf-tools.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { createTestP12, type TestP12 } from "../helpers/test-p12.ts";
import { asBuffer } from "../helpers/binary-body.ts";

const run = promisify(execFile);
let p12: TestP12;

beforeAll(async () => {
  p12 = await createTestP12();
});
afterAll(() => p12.cleanup());

async function samplePdf(): Promise<Uint8Array> {
  const template = getTemplate("cong_van")!;
  const model = buildDocumentModel({ template, data: template.schema.parse(SAMPLES.cong_van), issuer: SGD, number: { symbol: "15/SGDĐT-KTKĐ", issuedAt: new Date() } });
  return (await renderPdf(model, { signatureFields: true, verify: { code: "7KQ2M9XD3T", url: "https://chidao.example.vn/verify/7KQ2M9XD3T" } })).bytes;
}

describe("signPdf", () => {
  it("fills the seal field with a PAdES signature pdfsig validates, and leaves the signer's field for the person", async () => {
    const transport = await createLocalP12Transport({ path: p12.p12Path, password: p12.password });
    expect(transport.signerName).toBe("Sở Giáo dục và Đào tạo");
    const signed = await signPdf(await samplePdf(), { transport, reason: "Ban hành văn bản số 15/SGDĐT-KTKĐ", location: "Thành phố Hồ Chí Minh" });
    const out = await pdfsig(signed);
    expect(out).toMatch(/Signature Field Name: seal[\s\S]*Signer Certificate Common Name: Sở Giáo dục và Đào tạo/);
    expect(out).toContain("Signature Type: ETSI.CAdES.detached");
    expect(out).toContain("Total document signed");
    expect(out).toContain("Signature is Valid.");
    expect(out).toMatch(/Signature Field Name: signer\s+The signature form field is not signed\./);
    expect(await qpdfCheck(signed)).toMatch(/No syntax or stream encoding errors found/);
    expect((await pdftotext(signed)).replace(/\s+/g, " ")).toContain("Số: 15/SGDĐT-KTKĐ");
  });

  it("appends an incremental update: the rendered file is an exact prefix of the signed one", async () => {
    const transport = await createLocalP12Transport({ path: p12.p12Path, password: p12.password });
    const unsigned = await samplePdf();
    const signed = await signPdf(unsigned, { transport });
    expect(Buffer.from(signed.subarray(0, unsigned.length)).equals(Buffer.from(unsigned))).toBe(true);
    expect(Buffer.from(signed).toString("latin1")).toMatch(/\/Prev \d+ >>\nstartxref\n\d+\n%%EOF\n$/);
    // A second signature (the person's, in the "signer" field) appends again and both stay valid.
    const twice = await signPdf(signed, { transport, field: "signer" });
    const out = await pdfsig(twice);
    expect(out.match(/Signature is Valid\./g)).toHaveLength(2);
    // Signing a signed field again, or rewriting a signed file, is refused rather than breaking it.
    await expect(signPdf(twice, { transport, field: "seal" })).rejects.toThrow(/already signed/);
    await expect(signPdf(twice, { transport, field: "other" })).rejects.toThrow(/already signed/);
  });

  it("a PDF without signature fields gets a new invisible one (rewritten by pdf-lib)", async () => {
    const template = getTemplate("thong_bao")!;
    const model = buildDocumentModel({ template, data: template.schema.parse(SAMPLES.thong_bao), issuer: SGD, number: { symbol: "02/TB-SGDĐT", issuedAt: new Date() } });
    const plain = (await renderPdf(model)).bytes;
    const transport = await createLocalP12Transport({ path: p12.p12Path, password: p12.password });
    const out = await pdfsig(await signPdf(plain, { transport }));
    expect(out).toContain("Signature Field Name: seal");
    expect(out).toContain("Signature is Valid.");
  });

  it("openssl verifies the CMS against the CA (issuer name copied byte for byte)", async () => {
    const transport = await createLocalP12Transport({ path: p12.p12Path, password: p12.password });
    const content = Buffer.from("nội dung cần ký");
    const cms = await transport.signDetached(content);
    const ok = await withFile(cms, "der", (sig) =>
      withFile(
        content,
        "txt",
        async (data) =>
          (await run("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", sig, "-content", data, "-CAfile", p12.caPath, "-purpose", "any", "-out", "/dev/null"]))
            .stderr,
      ),
    );
    expect(ok).toContain("Verification successful");
    const certPem = (await run("openssl", ["pkcs12", "-in", p12.p12Path, "-nokeys", "-clcerts", "-passin", `pass:${p12.password}`])).stdout;
    const der = new X509Certificate(certPem).raw;
    const { issuer } = issuerAndSerial(der);
    // The Vietnamese issuer name is stored as a UTF8String exactly as in the certificate.
    expect(Buffer.from(cms).includes(Buffer.from(issuer))).toBe(true);
  });

  it("signs with EC keys and legacy (RC2/3DES) PKCS#12 files", async () => {
    const ec = await createTestP12({ keyType: "ec", legacy: true, cn: "Trường THPT Nguyễn Du" });
    try {
      const transport = await createLocalP12Transport({ path: ec.p12Path, password: ec.password });
      const out = await pdfsig(await signPdf(await samplePdf(), { transport }));
      expect(out).toContain("Trường THPT Nguyễn Du");
      expect(out).toContain("Signature is Valid.");
    } finally {
      await ec.cleanup();
    }
  });

  it("a wrong password fails clearly when the transport is opened", async () => {
    await expect(createLocalP12Transport({ path: p12.p12Path, password: "sai" })).rejects.toThrow(/cannot open PKCS#12/);
    await expect(createLocalP12Transport({ path: "/nonexistent.p12", password: "" })).rejects.toThrow(/cannot open PKCS#12/);
  });

  it("a changed byte after signing makes the signature invalid", async () => {
    const transport = await createLocalP12Transport({ path: p12.p12Path, password: p12.password });
    const signed = Buffer.from(await signPdf(await samplePdf(), { transport }));
    // A byte in the middle of the first signed range (the rendered pages), well before /Contents.
    const holeStart = Number(/\/ByteRange \[0 (\d+)/.exec(signed.toString("latin1"))![1]);
    const at = Math.floor(holeStart / 2);
    signed[at] = signed[at]! ^ 0x01;
    const out = await pdfsig(signed);
    expect(out).toContain("Signature Validation: Digest Mismatch.");
    expect(out).not.toContain("Signature is Valid.");
  });
});

describe("issuing with SIGNING_P12_PATH", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({}, { SIGNING_P12_PATH: p12.p12Path, SIGNING_P12_PASSWORD: p12.password });
    await createProvince(t.db);
  });
  afterAll(() => t.drop());

  it("signs the issued PDF; pdf_sha256 is of the signed bytes served and verified", async () => {
    const auth = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "CLERK", orgCode: "SGD" })).token}` };
    const created = await request(t.app).post("/api/v1/documents").set(auth).send({ template: "quyet_dinh", issuer: "SGD", data: SAMPLES.quyet_dinh }).expect(201);
    const issued = await request(t.app).post(`/api/v1/documents/${created.body.id}/issue`).set(auth).send({}).expect(200);
    expect(issued.body).toMatchObject({ symbol: "01/QĐ-SGDĐT", signed: true });
    const file = await asBuffer(request(t.app).get(`/api/v1/documents/${created.body.id}.pdf`).set(auth)).expect(200);
    const bytes = file.body as Buffer;
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(issued.body.pdf_sha256);
    const out = await pdfsig(bytes);
    expect(out).toContain("Signature is Valid.");
    expect(out).toContain("Signer Certificate Common Name: Sở Giáo dục và Đào tạo");
    const code = issued.body.verify_url.split("/").pop();
    const check = await request(t.app).post(`/verify/${code}`).set("Accept", "application/json").set("Content-Type", "application/pdf").send(bytes).expect(200);
    expect(check.body.matches).toBe(true);
  });

  it("a PKCS#12 that cannot be opened is a 503 and takes no number", async () => {
    const broken = await createTestApp({}, { SIGNING_P12_PATH: p12.p12Path, SIGNING_P12_PASSWORD: "sai mật khẩu" });
    try {
      await createProvince(broken.db);
      const auth = { Authorization: `Bearer ${(await createUserWithToken(broken.db, { role: "CLERK", orgCode: "SGD" })).token}` };
      const created = await request(broken.app).post("/api/v1/documents").set(auth).send({ template: "cong_van", issuer: "SGD", data: SAMPLES.cong_van }).expect(201);
      const res = await request(broken.app).post(`/api/v1/documents/${created.body.id}/issue`).set(auth).send({});
      expect(res.status).toBe(503);
      expect(await broken.db.registerCounter.count()).toBe(0);
      expect((await broken.db.document.findUniqueOrThrow({ where: { id: created.body.id } })).status).toBe("DRAFT");
    } finally {
      await broken.drop();
    }
  });
});
