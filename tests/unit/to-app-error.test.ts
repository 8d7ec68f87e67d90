import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import express from "express";
import { describe, expect, it } from "vitest";
import { toAppError } from "../../server/http/middleware/error-handler.ts";

/** The error express.json passes on for `body` sent with `headers` (the real parser, no server). */
function bodyParserError(body: Buffer, headers: Record<string, string>): Promise<unknown> {
  const req = Object.assign(Readable.from([body]), { headers: { "content-length": String(body.length), "content-type": "application/json", ...headers } });
  return new Promise((resolve) => express.json()(req as never, {} as never, (err?: unknown) => resolve(err)));
}

describe("toAppError: the one mapping of framework errors", () => {
  it.each([
    ["gzip header, plain bytes", Buffer.from('{"a":1}'), { "content-encoding": "gzip" }, 400, "errors.bad_content_encoding"],
    ["gzip truncated", gzipSync('{"a":1}').subarray(0, 12), { "content-encoding": "gzip" }, 400, "errors.bad_content_encoding"],
    ["deflate garbage", Buffer.from("garbage"), { "content-encoding": "deflate" }, 400, "errors.bad_content_encoding"],
    ["brotli garbage", Buffer.from("garbage garbage"), { "content-encoding": "br" }, 400, "errors.bad_content_encoding"],
    ["unknown encoding", Buffer.from("{}"), { "content-encoding": "x-zip" }, 415, "errors.unsupported_content_encoding"],
    ["bad JSON", Buffer.from("{nope"), {}, 400, "errors.invalid_json"],
    ["bad charset", Buffer.from("{}"), { "content-type": "application/json; charset=x-klingon" }, 415, "errors.unsupported_media_type"],
  ])("%s → %i %s", async (_name, body, headers, status, key) => {
    const err = await bodyParserError(body, headers);
    expect(err).toBeDefined();
    const appError = toAppError(err);
    expect([appError.status, appError.messageKey]).toEqual([status, key]);
  });

  it("a URIError from decoding a path parameter is a 400", () => {
    let err: unknown;
    try {
      decodeURIComponent("%E0%A4%A");
    } catch (e) {
      err = e;
    }
    expect([toAppError(err).status, toAppError(err).messageKey]).toEqual([400, "errors.bad_percent_encoding"]);
  });

  it.each([
    [{ status: 400, message: "x" }, 400],
    [{ statusCode: 413, message: "x" }, 413],
    [{ status: 405, message: "x" }, 400],
    [{ status: 503, message: "x" }, 500],
    [new Error("boom"), 500],
    [undefined, 500],
    ["a string", 500],
  ])("other errors keep a 4xx status they carry, else 500: %j", (err, status) => {
    expect(toAppError(err).status).toBe(status);
  });
});
