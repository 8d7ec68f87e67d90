/**
 * Redis loses everything mid-broadcast, twice over: a private redis-server without persistence is
 * killed and restarted empty (connections drop, every key is gone), then the deployment's keys are
 * deleted under the running processes (FLUSHDB of the queue's prefix). Nothing of ours is restarted.
 * Proves: 0 lost; complete within one sweep interval plus a minute of the loss.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, expect, it } from "vitest";
import { freePort } from "../helpers/free-port.ts";
import { printFigures, publish, startDeployment, wipeRedisPrefix, type Deployment } from "./support/processes.ts";

const RECIPIENTS = 5000;
const SWEEP_S = 2;

/** A redis-server of our own that keeps nothing on disk. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (b: Buffer) => {
      if (b.toString().includes("Ready to accept connections")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return child;
}

const stopRedis = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });

let d: Deployment | undefined;
let redis: ChildProcess | undefined;
afterAll(async () => {
  await d?.close();
  if (redis) await stopRedis(redis);
});

async function broadcastThroughLoss(dep: Deployment, title: string, lose: () => Promise<void>) {
  const web = dep.processes.find((p) => p.role === "web")!;
  const id = await dep.createDirective(web, title);
  const started = Date.now();
  expect(await publish(web, dep.auth, id)).toBe(202);
  // Lose Redis once about a fifth of the broadcast went out.
  while ((await dep.db.delivery.count({ where: { directiveId: id, status: "SENT" } })) < RECIPIENTS / 5) await new Promise((r) => setTimeout(r, 50));
  const sentAtLoss = await dep.db.delivery.count({ where: { directiveId: id, status: "SENT" } });
  const lostAt = Date.now();
  await lose();
  const afterLossMs = await dep.settled(id, SWEEP_S * 1000 + 60_000);
  const rows = await dep.db.delivery.groupBy({ by: ["status"], where: { directiveId: id }, _count: true });
  return {
    id,
    sentAtLoss,
    afterLossMs: Date.now() - lostAt,
    totalS: (Date.now() - started) / 1000,
    settleMs: afterLossMs,
    sent: rows.find((r) => r.status === "SENT")?._count ?? 0,
  };
}

it("recovers from an emptied Redis on its own, within a sweep interval plus a minute", async () => {
  const t0 = Date.now();
  const port = await freePort();
  redis = await startRedis(port);
  d = await startDeployment({
    recipients: RECIPIENTS,
    standIn: { latencyMs: 50, chatLog: true },
    env: { REDIS_URL: `redis://127.0.0.1:${port}/0`, DELIVERY_CONCURRENCY: "20", SWEEP_INTERVAL_SECONDS: String(SWEEP_S) },
  });
  const dep = d;
  await Promise.all([dep.start("web"), dep.start("worker"), dep.start("worker")]);

  // 1. The private redis-server dies and comes back empty on the same port.
  const restart = await broadcastThroughLoss(dep, "Mất Redis (khởi động lại rỗng)", async () => {
    await stopRedis(redis!);
    await new Promise((r) => setTimeout(r, 500));
    redis = await startRedis(port);
  });
  const log1 = await dep.standIn.chatLog();

  // 2. The deployment's keys are deleted under the running processes (FLUSHDB of the prefix; the
  //    machine's shared Redis is never flushed), without a restart or a dropped connection.
  const wipe = await broadcastThroughLoss(dep, "Mất Redis (xoá khoá)", async () => {
    await wipeRedisPrefix(`redis://127.0.0.1:${port}/0`, dep.prefix);
  });
  const log2 = await dep.standIn.chatLog();
  const perChat = (log: Map<string, { code: number }[]>) => [...log.values()].map((e) => e.filter((x) => x.code === 200).length);
  const duplicates1 = perChat(log1).filter((n) => n > 1).length;
  const duplicates2 = perChat(log2).filter((n) => n > 2).length;
  const errors = dep.processes.flatMap((p) => p.errors.map((e) => `${p.name}: ${e.slice(0, 200)}`));

  const budget = SWEEP_S * 1000 + 60_000;
  printFigures(`Redis emptied mid-broadcast (${RECIPIENTS} recipients, sweep every ${SWEEP_S} s, no restart of ours)`, {
    "restart empty: SENT / recipients": `${restart.sent} / ${RECIPIENTS} (${restart.sentAtLoss} before the loss)`,
    "restart empty: loss → all final": `${restart.afterLossMs} ms (budget ${budget} ms)`,
    "restart empty: chats sent twice": duplicates1,
    "keys wiped: SENT / recipients": `${wipe.sent} / ${RECIPIENTS} (${wipe.sentAtLoss} before the loss)`,
    "keys wiped: loss → all final": `${wipe.afterLossMs} ms (budget ${budget} ms)`,
    "keys wiped: chats sent twice": duplicates2,
    "error lines logged": errors.length,
    "scenario wall time": `${((Date.now() - t0) / 1000).toFixed(1)} s`,
  });
  if (errors.length) console.log(errors.slice(0, 10).join("\n"));
  expect(restart.sent).toBe(RECIPIENTS);
  expect(wipe.sent).toBe(RECIPIENTS);
  expect(restart.afterLossMs).toBeLessThanOrEqual(budget);
  expect(wipe.afterLossMs).toBeLessThanOrEqual(budget);
}, 240_000);
