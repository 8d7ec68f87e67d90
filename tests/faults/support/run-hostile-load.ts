/**
 * Sends a seeded stream of hostile requests to a running server with bounded concurrency over
 * keep-alive connections, and counts what came back: statuses, kinds, every 5xx with the request
 * that caused it, and connection errors.
 */
import http from "node:http";
import { rawRequest } from "../../helpers/raw-http.ts";
import { hostileRequest, type HostileContext, type HostileRequest } from "./malformed-requests.ts";

export type LoadResult = {
  requests: number;
  wallMs: number;
  statuses: Map<number, number>;
  /** Requests answered ≥ 500, with what was sent (bodies cut short). */
  serverErrors: { n: number; kind: string; route: string; method: string; path: string; status: number; text: string }[];
  /** Requests that got no HTTP answer (reset, timeout). */
  connectionErrors: { n: number; kind: string; route: string; error: string }[];
  byKind: Map<string, Map<number, number>>;
  /** Total response time per kind, in ms (where the time goes). */
  msByKind: Map<string, number>;
  /** Routes (`METHOD /pattern`) the requests went to. */
  routes: Set<string>;
};

const bump = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);

/** Node's own limit on a request's head (request line and headers): beyond it Node answers 431 and closes the socket. */
const NODE_MAX_HEADER_BYTES = http.maxHeaderSize;

/**
 * True when a connection error is Node's parser refusing a head over its limit: it writes 431 and
 * destroys the socket while the client is still sending, so the client reads the 431 or, when the
 * close wins the race, a reset. chidao never sees such a request; any other reset still counts.
 */
function isHeadLimitReset(req: HostileRequest, err: unknown): boolean {
  const head = req.method.length + req.path.length + Object.entries(req.headers ?? {}).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 0);
  return head > NODE_MAX_HEADER_BYTES && /ECONNRESET|EPIPE/.test((err as Error).message);
}

/** Sends requests `from` … `from + count - 1` of the stream for `seed`. */
export async function runHostileLoad(o: {
  base: string;
  seed: number;
  from?: number;
  count: number;
  concurrency: number;
  ctx: HostileContext;
  onlyKinds?: string[];
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const result: LoadResult = { requests: 0, wallMs: 0, statuses: new Map(), serverErrors: [], connectionErrors: [], byKind: new Map(), msByKind: new Map(), routes: new Set() };
  const from = o.from ?? 0;
  let next = from;
  const started = performance.now();
  const one = async (n: number) => {
    const req: HostileRequest = hostileRequest(o.seed, n, o.ctx);
    if (o.onlyKinds && !o.onlyKinds.includes(req.kind)) return;
    result.routes.add(req.route);
    const t0 = performance.now();
    try {
      const res = await rawRequest(o.base, { ...req, timeoutMs: 30_000 }, agent);
      result.msByKind.set(req.kind, (result.msByKind.get(req.kind) ?? 0) + performance.now() - t0);
      bump(result.statuses, res.status);
      const perKind = result.byKind.get(req.kind) ?? new Map<number, number>();
      bump(perKind, res.status);
      result.byKind.set(req.kind, perKind);
      if (res.status >= 500)
        result.serverErrors.push({ n, kind: req.kind, route: req.route, method: req.method, path: req.path.slice(0, 200), status: res.status, text: res.text.slice(0, 300) });
    } catch (err) {
      if (isHeadLimitReset(req, err)) {
        bump(result.statuses, 431);
        const perKind = result.byKind.get(req.kind) ?? new Map<number, number>();
        bump(perKind, 431);
        result.byKind.set(req.kind, perKind);
      } else result.connectionErrors.push({ n, kind: req.kind, route: req.route, error: (err as Error).message });
    }
    result.requests++;
  };
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (next < from + o.count) await one(next++);
    }),
  );
  result.wallMs = performance.now() - started;
  agent.destroy();
  return result;
}
