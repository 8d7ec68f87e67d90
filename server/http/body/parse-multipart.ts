/**
 * A small multipart/form-data reader for one uploaded file. The whole body is already in memory
 * (bounded by MAX_BODY_BYTES through express.raw), so a buffer scan is enough and no dependency
 * such as busboy is needed.
 */
import { AppError } from "../../domain/errors.ts";

export type MultipartPart = { name: string; filename: string | null; contentType: string | null; data: Buffer };

function badMultipart(detail: string): AppError {
  return new AppError("BAD_REQUEST", `bad multipart: ${detail}`, { messageKey: "errors.import.bad_multipart", params: { detail } });
}

/** The `boundary` parameter of a multipart Content-Type. */
export function multipartBoundary(contentType: string): string {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw badMultipart("no boundary in Content-Type");
  return boundary;
}

/** Reads `name="…"` style parameters of a Content-Disposition header (RFC 7578; quoted or bare). */
function dispositionParam(header: string, param: string): string | null {
  const m = new RegExp(`;\\s*${param}="((?:[^"\\\\]|\\\\.)*)"|;\\s*${param}=([^;\\s]+)`, "i").exec(header);
  const v = m?.[1] ?? m?.[2];
  return v === undefined ? null : v.replace(/\\(.)/g, "$1");
}

/**
 * Splits a multipart body into its parts.
 * @throws AppError BAD_REQUEST when the body does not follow the boundary structure.
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw badMultipart("boundary not found");
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === "--") return parts; // closing delimiter
    if (body.subarray(pos, pos + 2).toString() !== "\r\n") throw badMultipart("malformed delimiter line");
    const headerEnd = body.indexOf("\r\n\r\n", pos + 2);
    if (headerEnd < 0) throw badMultipart("part without headers");
    const headers = new Map<string, string>();
    for (const line of body
      .subarray(pos + 2, headerEnd)
      .toString("utf8")
      .split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headerEnd + 4);
    if (next < 0) throw badMultipart("unterminated part");
    const disposition = headers.get("content-disposition") ?? "";
    parts.push({
      name: dispositionParam(disposition, "name") ?? "",
      filename: dispositionParam(disposition, "filename"),
      contentType: headers.get("content-type") ?? null,
      data: body.subarray(headerEnd + 4, next),
    });
    pos = next + 2;
  }
}
