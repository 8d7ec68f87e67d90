/**
 * A real chidao process for the fault suite: `node --import tsx server/main.ts` with the role and
 * environment a scenario gives, its pino log lines parsed as they arrive, its stderr kept, and its
 * pid, exit and memory observable. Started by node itself (not the tsx CLI, which would put a
 * second process between us and the server), so the pid is the server's and a signal reaches it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** One pino line from the process (level 30 info, 40 warn, 50 error, 60 fatal). */
export type LogLine = { level: number; msg?: string; time?: number; [key: string]: unknown };

export type ChidaoProcessOptions = {
  role: "web" | "worker" | "all";
  /** Environment on top of PATH/HOME (DATABASE_URL, REDIS_URL, QUEUE_PREFIX, …). PORT defaults to 0. */
  env: Record<string, string>;
  /** Extra node flags, e.g. `--expose-gc`. */
  nodeArgs?: string[];
  /** A name for messages (`web-1`). */
  name?: string;
  /**
   * When the process counts as started. Default for web and all: the "chidao is listening" line;
   * a worker logs nothing at start, so give it a predicate (or `() => true` to return at once).
   */
  ready?: (line: LogLine) => boolean;
  readyTimeoutMs?: number;
};

export type ChidaoProcess = {
  name: string;
  pid: number;
  /** Base URL of the HTTP server (web and all). */
  url: string | null;
  child: ChildProcess;
  /** Every log line so far. */
  logs: LogLine[];
  /** stderr, line by line (node's own warnings and crashes land here, not in the log). */
  stderr: string[];
  /** stdout lines that were not JSON. */
  otherStdout: string[];
  /** Set once the process has exited. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  alive(): boolean;
  /** Resident set size in bytes (Linux /proc), 0 once gone. */
  rssBytes(): number;
  /** Resolves with the first line (from now on, or already seen when `includePast`) matching `pred`. */
  waitForLog(pred: (line: LogLine) => boolean, o?: { timeoutMs?: number; includePast?: boolean }): Promise<LogLine>;
  /** SIGTERM (graceful stop), SIGKILL after `timeoutMs`; resolves when the process is gone. */
  stop(timeoutMs?: number): Promise<void>;
  /** SIGKILL, resolves when gone. */
  kill(): Promise<void>;
};

/** Lines of a stream, as they complete. */
function onLines(stream: NodeJS.ReadableStream, each: (line: string) => void): void {
  let rest = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    rest += chunk;
    let nl: number;
    while ((nl = rest.indexOf("\n")) >= 0) {
      each(rest.slice(0, nl));
      rest = rest.slice(nl + 1);
    }
  });
  stream.on("end", () => {
    if (rest) each(rest);
  });
}

/** Starts one chidao process and waits until it is ready; rejects (and kills it) if it exits or times out first. */
export async function startChidaoProcess(o: ChidaoProcessOptions): Promise<ChidaoProcess> {
  const name = o.name ?? o.role;
  const child = spawn(process.execPath, ["--import", "tsx", ...(o.nodeArgs ?? []), "server/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", PORT: "0", LOG_LEVEL: "info", ...o.env, CHIDAO_ROLE: o.role },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (!child.pid) throw new Error(`${name}: could not spawn`);
  const logs: LogLine[] = [];
  const stderr: string[] = [];
  const otherStdout: string[] = [];
  const waiters = new Set<{ pred: (l: LogLine) => boolean; resolve: (l: LogLine) => void }>();
  let exitResolve!: () => void;
  const exited = new Promise<void>((r) => (exitResolve = r));

  const proc: ChidaoProcess = {
    name,
    pid: child.pid,
    url: null,
    child,
    logs,
    stderr,
    otherStdout,
    exit: null,
    alive: () => proc.exit === null,
    rssBytes() {
      try {
        const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.pid}/status`, "utf8"))?.[1];
        return kb ? Number(kb) * 1024 : 0;
      } catch {
        return 0;
      }
    },
    waitForLog(pred, { timeoutMs = 30_000, includePast = false } = {}) {
      const past = includePast ? logs.find(pred) : undefined;
      if (past) return Promise.resolve(past);
      return new Promise((resolve, reject) => {
        const w = {
          pred,
          resolve: (l: LogLine) => {
            clearTimeout(timer);
            waiters.delete(w);
            resolve(l);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`${name}: no matching log line within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(w);
      });
    },
    async stop(timeoutMs = 15_000) {
      if (!proc.alive()) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (!proc.alive()) return;
      child.kill("SIGKILL");
      await exited;
    },
  };

  onLines(child.stdout, (line) => {
    let parsed: LogLine;
    try {
      parsed = JSON.parse(line) as LogLine;
    } catch {
      otherStdout.push(line);
      return;
    }
    logs.push(parsed);
    for (const w of [...waiters]) if (w.pred(parsed)) w.resolve(parsed);
  });
  onLines(child.stderr, (line) => stderr.push(line));
  child.on("exit", (code, signal) => {
    proc.exit = { code, signal };
    exitResolve();
  });

  const ready = o.ready ?? ((l: LogLine) => l.msg === "chidao is listening");
  try {
    const line = await Promise.race([
      proc.waitForLog(ready, { timeoutMs: o.readyTimeoutMs ?? 60_000, includePast: true }),
      exited.then(() => {
        throw new Error(`${name} exited during start-up (${JSON.stringify(proc.exit)}):\n${[...stderr, ...logs.map((l) => JSON.stringify(l))].slice(-20).join("\n")}`);
      }),
    ]);
    if (typeof line.url === "string") proc.url = line.url;
  } catch (err) {
    await proc.kill();
    const tail = [...stderr, ...otherStdout, ...logs.map((l) => JSON.stringify(l))].slice(-20).join("\n");
    throw new Error(`${(err as Error).message}\n${tail}`, { cause: err });
  }
  return proc;
}

/** Memory of a process started with {@link MEMORY_PROBE_ARGS}, after a full garbage collection. */
export type MemoryProbe = { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number; gc: boolean; snapshot?: string };

/** Node flags that let {@link probeMemory} measure a process's heap after GC (and snapshot it). */
export const MEMORY_PROBE_ARGS = ["--expose-gc", "--import", fileURLToPath(new URL("./memory-probe.ts", import.meta.url))];

/** Asks a process started with {@link MEMORY_PROBE_ARGS} to collect garbage and report its memory. */
export async function probeMemory(proc: ChidaoProcess, timeoutMs = 60_000): Promise<MemoryProbe> {
  const line = proc.waitForLog((l) => l.msg === "memory probe", { timeoutMs });
  proc.child.kill("SIGUSR2");
  return (await line) as unknown as MemoryProbe;
}
