/**
 * Decides what an import upload is: CSV text or an .xlsx workbook, sent raw or as the `file` field
 * of a multipart form. Types are checked against the bytes too (an .xlsx must be a ZIP).
 */
import type { Request } from "express";
import { AppError } from "../../domain/errors.ts";
import { multipartBoundary, parseMultipart } from "./parse-multipart.ts";

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CSV_TYPES = new Set(["text/csv", "application/csv", "text/plain", "application/vnd.ms-excel", "text/comma-separated-values"]);
const ACCEPTED = `text/csv, ${XLSX_TYPE}, multipart/form-data`;

export type Upload = { format: "csv"; bytes: Buffer } | { format: "xlsx"; bytes: Buffer };

const isZip = (b: Buffer) => b.length >= 4 && b.readUInt32LE(0) === 0x04034b50;
const isOle = (b: Buffer) => b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));

function unsupported(type: string): AppError {
  return new AppError("UNSUPPORTED_MEDIA_TYPE", `unsupported ${type}`, { messageKey: "errors.unsupported_media_type", params: { type: type || "(none)", expected: ACCEPTED } });
}

function classify(bytes: Buffer, mediaType: string, filename: string | null): Upload {
  // Old binary .xls (an OLE container) is a frequent mistake; say so rather than "not a zip".
  if (isOle(bytes)) throw new AppError("UNSUPPORTED_MEDIA_TYPE", "legacy xls", { messageKey: "errors.import.legacy_xls" });
  const xlsxByName = filename ? /\.xlsx$/i.test(filename) : false;
  if (mediaType === XLSX_TYPE || xlsxByName || (mediaType === "application/octet-stream" && isZip(bytes))) {
    if (!isZip(bytes)) throw new AppError("VALIDATION", "xlsx is not a zip", { messageKey: "errors.import.malformed_xlsx", params: { detail: "not an .xlsx (ZIP) file" } });
    return { format: "xlsx", bytes };
  }
  if (CSV_TYPES.has(mediaType) || (filename ? /\.(csv|txt)$/i.test(filename) : false) || mediaType === "application/octet-stream") {
    return { format: "csv", bytes };
  }
  throw unsupported(mediaType);
}

/**
 * The uploaded file of an import request whose body was read by `express.raw`.
 * @throws AppError UNSUPPORTED_MEDIA_TYPE (415) for other content types or a non-UTF-8 charset;
 * BAD_REQUEST for a multipart body without a `file` field.
 */
export function readUpload(req: Request): Upload {
  const contentType = req.get("content-type") ?? "";
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  const body = Buffer.isBuffer(req.body) ? req.body : null;
  if (!body) {
    // body-parser leaves req.body unset when there is no body at all.
    if (mediaType === XLSX_TYPE || CSV_TYPES.has(mediaType)) throw new AppError("VALIDATION", "empty upload", { messageKey: "errors.import.empty" });
    throw unsupported(mediaType);
  }
  const charset = /;\s*charset="?([^";\s]+)/i.exec(contentType)?.[1]?.toLowerCase();
  if (charset && charset !== "utf-8" && charset !== "utf8") {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", `charset ${charset}`, { messageKey: "errors.unsupported_media_type", params: { type: contentType, expected: "UTF-8" } });
  }
  if (mediaType === "multipart/form-data") {
    const part = parseMultipart(body, multipartBoundary(contentType)).find((p) => p.name === "file");
    if (!part) throw new AppError("BAD_REQUEST", "no file field", { messageKey: "errors.import.no_file_field" });
    const partType = (part.contentType ?? "").split(";")[0]!.trim().toLowerCase();
    return classify(part.data, partType || "application/octet-stream", part.filename);
  }
  if (mediaType === XLSX_TYPE || CSV_TYPES.has(mediaType)) return classify(body, mediaType, null);
  throw unsupported(mediaType);
}
