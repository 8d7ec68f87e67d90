/**
 * One HTTP request with exactly the bytes given: the path is sent as written (malformed
 * percent-escapes included) and the body is never re-encoded (supertest serialises a Buffer as JSON
 * when the content type is JSON, which hides what a hostile client really sends).
 */
import http from "node:http";

export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; text: string; json: unknown };

export type RawRequest = { method: string; path: string; headers?: Record<string, string>; body?: Buffer | string; timeoutMs?: number };

/** Sends `req` to `base` (`http://127.0.0.1:<port>`); keep-alive through `agent` when given. */
export function rawRequest(base: string, req: RawRequest, agent?: http.Agent): Promise<RawResponse> {
  const url = new URL(base);
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers: { ...(body ? { "Content-Length": String(body.length) } : {}), ...req.headers },
        agent: agent ?? false,
        timeout: req.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown = undefined;
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON (HTML pages, files)
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on("error", reject);
      },
    );
    r.on("timeout", () => r.destroy(new Error(`timeout: ${req.method} ${req.path}`)));
    r.on("error", reject);
    r.end(body);
  });
}
