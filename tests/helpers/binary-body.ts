/** supertest reads JSON and text for us; files (PDF, DOCX, XLSX) need their raw bytes. */
import type { Test } from "supertest";

/** Makes `req` collect the response body as one Buffer (`res.body`). */
export function asBuffer(req: Test): Test {
  return req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on("data", (c: Buffer) => chunks.push(c));
    res.on("end", () => cb(null, Buffer.concat(chunks)));
  });
}
