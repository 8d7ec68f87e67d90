/**
 * Preloaded into a chidao process by the fault suite (`--expose-gc --import <this file>`): on
 * SIGUSR2 it collects garbage fully and prints one JSON line, `{"msg":"memory probe", rss,
 * heapUsed, external, arrayBuffers}`, which the suite reads from stdout like a log line. With
 * MEMORY_PROBE_SNAPSHOT_DIR set it also writes a heap snapshot there. Nothing of chidao changes.
 */
import { writeHeapSnapshot } from "node:v8";

const gc = (globalThis as { gc?: () => void }).gc;
let probes = 0;

process.on("SIGUSR2", () => {
  // Twice: the first pass can leave objects only the second frees (weak references, finalizers).
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  const dir = process.env.MEMORY_PROBE_SNAPSHOT_DIR;
  const snapshot = dir ? writeHeapSnapshot(`${dir}/probe-${process.pid}-${++probes}.heapsnapshot`) : undefined;
  process.stdout.write(
    `${JSON.stringify({ level: 30, msg: "memory probe", gc: Boolean(gc), rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, snapshot })}\n`,
  );
});
