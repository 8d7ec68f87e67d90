/**
 * The JSON body parser every JSON route uses: express.json under the size limit, then the text rule
 * (no NUL, no unpaired surrogate anywhere in the body; 422 naming the field). A body that does not
 * match its Content-Encoding, bad JSON and an oversized body become 4xx in the error handler.
 */
import express, { type RequestHandler } from "express";
import { assertStorableBody } from "../middleware/storable-text.ts";

/** express.json followed by the storable-text check. */
export function jsonBody({ limit }: { limit: number }): RequestHandler[] {
  const parse = express.json({ limit });
  const check: RequestHandler = (req, _res, next) => {
    assertStorableBody(req);
    next();
  };
  return [parse, check];
}
