/**
 * The load for bench:inbound, in a process of its own: reads prepared webhook requests (a JSON file
 * named in argv[2]: `{ base, concurrency, requests: [{ path, headers, body }] }`), and on "go" posts
 * them with `concurrency` senders over keep-alive connections, each sender taking the next request
 * as soon as its previous one was answered. Reports, over IPC, when the first request left and the
 * last answer came, every request's latency (ms, from writing the request to the end of the answer)
 * and the statuses.
 */
import { readFileSync } from "node:fs";
import http from "node:http";

type Prepared = { base: string; concurrency: number; requests: { path: string; headers: Record<string, string>; body: string }[] };

const input = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Prepared;
const base = new URL(input.base);
const agent = new http.Agent({ keepAlive: true, maxSockets: input.concurrency });

function post(r: Prepared["requests"][number]): Promise<number> {
  return new Promise((resolve) => {
    const body = Buffer.from(r.body);
    const req = http.request(
      { host: base.hostname, port: base.port, path: r.path, method: "POST", agent, headers: { ...r.headers, "content-length": String(body.length) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", () => resolve(0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

async function run() {
  const n = input.requests.length;
  const latencies = new Array<number>(n);
  const statuses: Record<string, number> = {};
  let next = 0;
  const startedAt = Date.now();
  await Promise.all(
    Array.from({ length: input.concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        const status = await post(input.requests[i]!);
        latencies[i] = performance.now() - t;
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const endedAt = Date.now();
  agent.destroy();
  process.send!({ done: true, startedAt, endedAt, latencies, statuses });
}

process.on("message", (m) => {
  if (m === "go") void run();
});
process.on("disconnect", () => process.exit(0));
process.send!({ ready: true, requests: input.requests.length });
