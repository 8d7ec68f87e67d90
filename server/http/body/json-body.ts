/**
 * The JSON body parser every JSON route uses. Three bounds, each answered before work is spent:
 * - size: at most MAX_BODY_BYTES and never more than {@link JSON_BODY_MAX_BYTES} (uploads keep the
 *   full MAX_BODY_BYTES; no JSON request needs more than a megabyte, and a parsed body costs several
 *   times its size in memory and CPU while it is validated);
 * - nesting: at most {@link JSON_MAX_DEPTH} levels, checked on the raw bytes before JSON.parse (a
 *   few hundred kilobytes of `[[[[…` otherwise cost a second of CPU to parse and walk);
 * - text: no NUL and no unpaired surrogate anywhere (422 naming the field; see storable-text.ts).
 * Bad JSON, a body that does not match its Content-Encoding and an oversized body become 4xx in the
 * error handler.
 */
import express, { type RequestHandler } from "express";
import { assertStorableBody } from "../middleware/storable-text.ts";

/** The largest JSON body accepted, whatever MAX_BODY_BYTES allows (documents, the largest, stay well under). */
export const JSON_BODY_MAX_BYTES = 1024 * 1024;

/** Deepest nesting of arrays and objects accepted; chidao's requests use fewer than six levels. */
export const JSON_MAX_DEPTH = 32;

/** Nesting depth of raw JSON bytes (brackets inside strings do not count). One pass, no parse. */
export function jsonDepth(bytes: Uint8Array): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x5b || b === 0x7b) {
      if (++depth > max) max = depth;
    } else if (b === 0x5d || b === 0x7d) depth--;
  }
  return max;
}

/** The error body-parser passes on from `verify` (its `type` and `status` are kept; error-handler maps it). */
function tooDeep(depth: number): Error {
  return Object.assign(new Error(`JSON nested ${depth} levels deep`), { type: "entity.too.deep", status: 400, depth, limit: JSON_MAX_DEPTH });
}

/** express.json under both size limits and the depth limit, then the storable-text check. */
export function jsonBody({ limit }: { limit: number }): RequestHandler[] {
  const parse = express.json({
    limit: Math.min(limit, JSON_BODY_MAX_BYTES),
    verify: (_req, _res, buf) => {
      const depth = jsonDepth(buf);
      if (depth > JSON_MAX_DEPTH) throw tooDeep(depth);
    },
  });
  const check: RequestHandler = (req, _res, next) => {
    assertStorableBody(req);
    next();
  };
  return [parse, check];
}
