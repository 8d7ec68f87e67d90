/**
 * One HTTP exchange with a Zalo server over fetch, with a timeout, turned into either the decoded
 * JSON body or a classified failure. Shared by the OA client and the OAuth refresh.
 */
import { parseJsonKeepingIds } from "../../../server/domain/parse-json-keeping-ids.ts";
import { zaloHttpFailure, zaloNetworkFailure } from "./to-zalo-oa-failure.ts";

export type ZaloHttpRequest = {
  url: string;
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string | FormData | URLSearchParams;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  fetch: typeof fetch;
};

/**
 * Sends the request and returns the JSON body of a 2xx answer (large integers kept as strings).
 * @throws ChannelFailure: `retry_later` for network failures, timeouts, 429 and 5xx; HTTP 401/403 →
 * `needs_admin`; other statuses and a 2xx body that is not JSON → `rejected`.
 */
export async function requestZaloJson(r: ZaloHttpRequest): Promise<unknown> {
  const timeout = AbortSignal.timeout(r.timeoutMs);
  const signal = r.signal ? AbortSignal.any([r.signal, timeout]) : timeout;
  let res: Response;
  let text: string;
  try {
    res = await r.fetch(r.url, { method: r.method, headers: r.headers, body: r.body, signal });
    text = await res.text();
  } catch (err) {
    throw zaloNetworkFailure(err);
  }
  if (res.status < 200 || res.status >= 300) {
    // OAuth answers some refusals with 4xx and a JSON body; let the caller read the code in it.
    const json = tryJson(text);
    if (json !== undefined && typeof json === "object" && json !== null && "error" in json && res.status < 500 && res.status !== 429) return json;
    throw zaloHttpFailure(res.status, res.headers.get("retry-after"), text);
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
