import express, { Router, type Request, type RequestHandler, type Response } from "express";
import type { AppDeps } from "../deps.ts";
import { AppError } from "../../domain/errors.ts";
import { findVerification, matchesIssuedPdf, type Verification } from "../../features/documents/find-verification.ts";
import { renderVerifyPage, VERIFY_PAGE_CSP } from "../../features/documents/render-verify-page.ts";
import { multipartBoundary, parseMultipart } from "../body/parse-multipart.ts";

const isPdf = (b: Buffer) => b.subarray(0, 5).toString("latin1") === "%PDF-";

/** Requests one address may make to the public pages per minute (RELIABILITY §3.3: public lookups get a budget). */
export const VERIFY_REQUESTS_PER_MINUTE = 120;

/**
 * A fixed one-minute window per client address, in memory. Codes carry 50 random bits, so this is
 * not what stops guessing; it keeps one client from spending the server's CPU on hashing uploads.
 */
function perAddressLimit(perMinute: number): RequestHandler {
  const windows = new Map<string, { start: number; count: number }>();
  return (req, res, next) => {
    const now = Date.now();
    const key = req.ip ?? "unknown";
    let w = windows.get(key);
    if (!w || now - w.start >= 60_000) {
      if (windows.size > 50_000) windows.clear(); // bounded memory under a flood of addresses
      w = { start: now, count: 0 };
      windows.set(key, w);
    }
    if (++w.count > perMinute) {
      const seconds = Math.ceil((w.start + 60_000 - now) / 1000);
      res.setHeader("Retry-After", String(seconds));
      return next(new AppError("RATE_LIMITED", "verify rate limit", { messageKey: "errors.too_many_attempts", params: { seconds } }));
    }
    next();
  };
}

/** The uploaded PDF: a raw application/pdf body, or the `file` field of a multipart form. */
function uploadedPdf(req: Request): Buffer {
  const contentType = req.get("content-type") ?? "";
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  let pdf = body;
  if (mediaType === "multipart/form-data") pdf = parseMultipart(body, multipartBoundary(contentType)).find((p) => p.name === "file")?.data ?? Buffer.alloc(0);
  else if (mediaType !== "application/pdf" && mediaType !== "application/octet-stream") {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", `verify upload ${mediaType}`, {
      messageKey: "errors.unsupported_media_type",
      params: { type: mediaType || "(none)", expected: "application/pdf, multipart/form-data" },
    });
  }
  if (!isPdf(pdf)) throw new AppError("BAD_REQUEST", "not a PDF", { messageKey: "documents.errors.verify_pdf_required" });
  return pdf;
}

function wantsJson(req: Request): boolean {
  return req.accepts(["html", "json"]) === "json";
}

function sendHtml(res: Response, status: number, html: string): void {
  res.status(status).setHeader("Content-Security-Policy", VERIFY_PAGE_CSP).setHeader("X-Content-Type-Options", "nosniff").setHeader("Referrer-Policy", "no-referrer");
  res.type("html").send(html);
}

function notFound(req: Request, res: Response, code: string): void {
  if (wantsJson(req)) throw new AppError("NOT_FOUND", "verify code", { messageKey: "documents.errors.verify_not_found" });
  sendHtml(res, 404, renderVerifyPage({ kind: "not_found", code: code.slice(0, 40) }));
}

/**
 * The public verification page linked from every issued document's QR code: `GET /verify/:code`
 * shows number, date, issuer, trích yếu and the PDF's SHA-256; `POST /verify/:code` with a PDF
 * (raw or multipart) says whether that file is the issued one. HTML by default, JSON when asked.
 */
export function verifyRoutes({ db, config }: Pick<AppDeps, "db" | "config">, { perMinute = VERIFY_REQUESTS_PER_MINUTE } = {}): Router {
  const router = Router();
  router.use("/verify", perAddressLimit(perMinute));
  const upload = express.raw({ type: () => true, limit: config.MAX_BODY_BYTES });
  const found = async (req: Request, res: Response): Promise<Verification | null> => {
    const code = String(req.params.code ?? "");
    const v = await findVerification(db, code);
    if (!v) notFound(req, res, code);
    return v;
  };

  router.get("/verify/:code", async (req, res) => {
    const v = await found(req, res);
    if (!v) return;
    if (wantsJson(req)) return void res.json(v);
    sendHtml(res, 200, renderVerifyPage({ kind: "found", verification: v }));
  });

  router.post("/verify/:code", upload, async (req, res) => {
    const v = await found(req, res);
    if (!v) return;
    const check = matchesIssuedPdf(v, uploadedPdf(req));
    if (wantsJson(req)) return void res.json({ code: v.code, symbol: v.symbol, status: v.status, matches: check.matches, sha256: check.sha256, expected_sha256: v.pdf_sha256 });
    sendHtml(res, 200, renderVerifyPage({ kind: "found", verification: v, check }));
  });
  return router;
}
