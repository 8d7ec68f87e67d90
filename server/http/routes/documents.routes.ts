import { Router, type Response } from "express";
import type { AppDeps } from "../deps.ts";
import { isAppError } from "../../domain/errors.ts";
import { parseWith } from "../../domain/zod-issues.ts";
import { createDocument, CreateDocumentSchema } from "../../features/documents/create-document.ts";
import { toDocumentJson } from "../../features/documents/document-json.ts";
import { findDocuments, FindDocumentsQuerySchema } from "../../features/documents/find-documents.ts";
import { getAccessibleDocument } from "../../features/documents/get-accessible-document.ts";
import { getDocumentFile } from "../../features/documents/get-document-file.ts";
import { issueDocument, IssueDocumentSchema } from "../../features/documents/issue-document.ts";
import { renderDocumentPreview } from "../../features/documents/render-document-preview.ts";
import { updateDocument, UpdateDocumentSchema } from "../../features/documents/update-document.ts";
import { verifyUrl } from "../../features/documents/verify-url.ts";
import { withdrawDocument, WithdrawDocumentSchema } from "../../features/documents/withdraw-document.ts";
import { isCertificateTemplate } from "../../features/documents/get-document-template.ts";
import { issueCertificateDocument, IssueCertificateSchema, renderCertificatePreview } from "../../features/certificates/certificate-documents.ts";
import { signingFromConfig } from "../../signing/signing-from-config.ts";
import { currentUser, requireRole } from "../middleware/auth.ts";
import { parseId } from "../params.ts";
import { contentDisposition } from "../content-disposition.ts";

const MEDIA = { pdf: "application/pdf", docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" } as const;

/** "15/SGDĐT-KTKĐ" → "15-SGDĐT-KTKĐ": a slash cannot be part of a file name. */
const fileBase = (symbol: string) => symbol.replace(/[/\\]/g, "-");

function sendFile(res: Response, bytes: Uint8Array, format: keyof typeof MEDIA, name: string, kind: "attachment" | "inline" = "attachment"): void {
  res.setHeader("Content-Type", MEDIA[format]);
  res.setHeader("Content-Disposition", contentDisposition(kind, name));
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Cache-Control", "private, no-store");
  res.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/**
 * Documents: drafts from templates, draft preview, issue (number, files, register entry), withdraw,
 * and the issued PDF and DOCX. Reading needs access to the issuer's subtree; officers and clerks
 * draft; only clerks (văn thư) and administrators issue and withdraw.
 */
export function documentsRoutes({ db, config, logger, signing: injected }: Pick<AppDeps, "db" | "config" | "logger" | "signing">): Router {
  const router = Router();
  const draft = requireRole("ADMIN", "OFFICER", "CLERK");
  const clerk = requireRole("ADMIN", "CLERK");
  const signing = injected ?? signingFromConfig(config);
  const log = logger.child({ module: "documents" });
  const urlOf = (code: string) => verifyUrl(config, code);

  router.post("/documents", draft, async (req, res) => {
    const input = parseWith(CreateDocumentSchema, req.body);
    res.status(201).json(await createDocument(db, currentUser(req), input));
  });

  router.get("/documents", async (req, res) => {
    res.json(await findDocuments(db, currentUser(req), parseWith(FindDocumentsQuerySchema, req.query), urlOf));
  });

  // Registered before "/documents/:id", which would otherwise take "5.pdf" as an id.
  for (const format of ["pdf", "docx"] as const) {
    router.get(`/documents/:id.${format}`, async (req, res) => {
      const file = await getDocumentFile(db, currentUser(req), parseId(req.params.id, "document"), format).catch((err: unknown) => {
        // An unsigned PDF is never served as the signed one: the client is told to come back.
        if (isAppError(err, "CONFLICT") && err.messageKey === "documents.errors.signature_pending") res.setHeader("Retry-After", "2");
        throw err;
      });
      if (file.sha256) res.setHeader("ETag", `"${file.sha256}"`);
      sendFile(res, file.bytes, format, `${fileBase(file.symbol)}.${format}`);
    });
  }

  router.get("/documents/:id/preview.pdf", async (req, res) => {
    const id = parseId(req.params.id, "document");
    const user = currentUser(req);
    // Certificates have their own layout (A4 landscape, frame); the access check is the same.
    const certificate = isCertificateTemplate((await getAccessibleDocument(db, user, id)).template);
    sendFile(res, await (certificate ? renderCertificatePreview(db, user, id) : renderDocumentPreview(db, user, id)), "pdf", `du-thao-${id}.pdf`, "inline");
  });

  router.get("/documents/:id", async (req, res) => {
    res.json(toDocumentJson(await getAccessibleDocument(db, currentUser(req), parseId(req.params.id, "document")), urlOf));
  });

  router.patch("/documents/:id", draft, async (req, res) => {
    const id = parseId(req.params.id, "document");
    await updateDocument(db, currentUser(req), id, parseWith(UpdateDocumentSchema, req.body ?? {}));
    res.json(toDocumentJson(await getAccessibleDocument(db, currentUser(req), id), urlOf));
  });

  router.post("/documents/:id/issue", clerk, async (req, res) => {
    const id = parseId(req.params.id, "document");
    if (isCertificateTemplate((await getAccessibleDocument(db, currentUser(req), id)).template)) {
      const input = parseWith(IssueCertificateSchema, req.body ?? {});
      return void res.json(await issueCertificateDocument(db, { user: currentUser(req), documentId: id, input, verifyUrl: urlOf }));
    }
    const input = parseWith(IssueDocumentSchema, req.body ?? {});
    const issued = await issueDocument(db, {
      user: currentUser(req),
      documentId: id,
      input,
      signing: await signing(),
      signingWaitMs: config.SIGNING_WAIT_SECONDS * 1000,
      verifyUrl: urlOf,
      onSigningError: (err) => log.warn({ err, documentId: id }, "signing after issue failed; the signing sweep will retry"),
    });
    res.json(issued);
  });

  router.post("/documents/:id/withdraw", clerk, async (req, res) => {
    const id = parseId(req.params.id, "document");
    res.json(await withdrawDocument(db, currentUser(req), id, parseWith(WithdrawDocumentSchema, req.body ?? {})));
  });
  return router;
}
