/**
 * One HTTP exchange with a Zalo server, with a timeout, turned into either the decoded JSON body or
 * a classified failure. Shared by the OA client and the OAuth refresh. Text and JSON bodies go over
 * node:http(s) with kept-alive connections unless a `fetch` is given: Node's fetch (web streams, a
 * transferable AbortSignal per call) cost about a millisecond of CPU per message, three times
 * grammY's request, and every directive and reply on the OA is one. Uploads (FormData) use fetch.
 */
import http from "node:http";
import https from "node:https";
import { parseJsonKeepingIds } from "../../../server/domain/parse-json-keeping-ids.ts";
import { zaloHttpFailure, zaloNetworkFailure } from "./to-zalo-oa-failure.ts";

export type ZaloHttpRequest = {
  url: string;
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string | FormData | URLSearchParams;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Sends through this fetch (tests, uploads); unset: node:http for text bodies, the global fetch for forms. */
  fetch?: typeof fetch | undefined;
};

type Answer = { status: number; retryAfter: string | null; text: string };

const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/** The exchange over node:http(s); rejects like fetch does (a TimeoutError past `timeoutMs`, AbortError on `signal`). */
function overNodeHttp(r: ZaloHttpRequest, body: string | undefined): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(r.url);
    const secure = url.protocol === "https:";
    const headers: Record<string, string> = { ...r.headers };
    if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
    // What fetch would have said for a form.
    if (r.body instanceof URLSearchParams && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
      headers["content-type"] = "application/x-www-form-urlencoded;charset=UTF-8";
    const req = (secure ? https : http).request(url, { method: r.method, headers, agent: secure ? agents.https : agents.http }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        done();
        const retry = res.headers["retry-after"];
        resolve({ status: res.statusCode ?? 0, retryAfter: typeof retry === "string" ? retry : null, text: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", fail);
    });
    const timer = setTimeout(() => fail(Object.assign(new Error("The operation was aborted due to timeout"), { name: "TimeoutError" })), r.timeoutMs);
    const onAbort = () => fail(Object.assign(new Error("This operation was aborted"), { name: "AbortError" }));
    function done() {
      clearTimeout(timer);
      r.signal?.removeEventListener("abort", onAbort);
    }
    function fail(err: Error) {
      done();
      req.destroy();
      reject(err);
    }
    if (r.signal?.aborted) return onAbort();
    r.signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", fail);
    req.end(body);
  });
}

async function overFetch(r: ZaloHttpRequest): Promise<Answer> {
  const timeout = AbortSignal.timeout(r.timeoutMs);
  const signal = r.signal ? AbortSignal.any([r.signal, timeout]) : timeout;
  const res = await (r.fetch ?? fetch)(r.url, { method: r.method, headers: r.headers, body: r.body, signal });
  return { status: res.status, retryAfter: res.headers.get("retry-after"), text: await res.text() };
}

/**
 * Sends the request and returns the JSON body of a 2xx answer (large integers kept as strings).
 * @throws ChannelFailure: `retry_later` for network failures, timeouts, 429 and 5xx; HTTP 401/403 →
 * `needs_admin`; other statuses and a 2xx body that is not JSON → `rejected`.
 */
export async function requestZaloJson(r: ZaloHttpRequest): Promise<unknown> {
  let res: Answer;
  try {
    res = !r.fetch && (r.body === undefined || typeof r.body === "string" || r.body instanceof URLSearchParams) ? await overNodeHttp(r, r.body?.toString()) : await overFetch(r);
  } catch (err) {
    throw zaloNetworkFailure(err);
  }
  const text = res.text;
  if (res.status < 200 || res.status >= 300) {
    // OAuth answers some refusals with 4xx and a JSON body; let the caller read the code in it.
    const json = tryJson(text);
    if (json !== undefined && typeof json === "object" && json !== null && "error" in json && res.status < 500 && res.status !== 429) return json;
    throw zaloHttpFailure(res.status, res.retryAfter, text);
  }
  const json = tryJson(text);
  if (json === undefined) throw zaloHttpFailure(res.status, null, `not JSON: ${text}`);
  return json;
}

function tryJson(text: string): unknown {
  try {
    return parseJsonKeepingIds(text);
  } catch {
    return undefined;
  }
}
