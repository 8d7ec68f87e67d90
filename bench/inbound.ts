/**
 * npm run bench:inbound — acknowledgements arriving by webhook, measured on the product as its users
 * run it: chidao (`server/main.ts`, what `npm start` runs; BENCH_ROLES=split for separate web and
 * worker processes) against a fresh PostgreSQL database and Redis, the Telegram and Zalo OA
 * stand-ins each in a process of its own, and the load in another.
 *
 * Seeds through the HTTP API (schools and principals by CSV import, each principal linked by a link
 * code sent back by webhook: half on Telegram, half on the Zalo OA), publishes one directive to all
 * of them, waits for every delivery, then fires one acknowledgement per principal by webhook — a
 * Telegram callback query on the directive's message, or a signed Zalo OA button event
 * (`user_send_text` "#ack:<id>") — from BENCH_SENDERS (50) concurrent senders, interleaved.
 *
 * Prints acknowledgements recorded per second (rows counted in the database from the first request
 * until all are there), webhook latency (p50/p95/p99/max) and when the last reply (callback answer
 * and stamp edit on Telegram, the confirmation message on Zalo) reached the stand-ins.
 *
 * Environment: BENCH_LINK=sql (principals' chats written into the database, not linked by webhook:
 * quicker, for trying changes), BENCH_ACKS (10000), BENCH_SENDERS (50), BENCH_ROLES (all | split), BENCH_LOG_LEVEL
 * (info, the product's default).
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { signZaloOaEvent } from "../tests/helpers/fake-zalo-oa.ts";
import {
  cleanup,
  cpuMs,
  forkChild,
  freePort,
  freshDatabase,
  freshQueuePrefix,
  machineNote,
  productEnv,
  publishToAll,
  seedThroughApi,
  startChidao,
  startStandIns,
  TELEGRAM_SECRET,
  transactions,
  waitDeliveriesFinal,
  zaloText,
} from "./support/product.ts";

const N = Number(process.env.BENCH_ACKS ?? 10_000);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 50);
const split = process.env.BENCH_ROLES === "split";

type FakeMessage = { message_id: number; chat: { id: number } };

/** CPU time of every PostgreSQL process on the machine (the server is shared: other work counts too). */
function postgresCpuMs(): number {
  let total = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("postgres")) total += cpuMs(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const t0 = Date.now();
  console.log(`bench:inbound — ${N} acknowledgements by webhook (half Telegram, half Zalo OA), ${SENDERS} concurrent senders`);
  console.log(`machine: ${await machineNote()}`);
  const db = await freshDatabase("inbound");
  const prefix = freshQueuePrefix("inbound");
  const { telegram, zalo } = await startStandIns();
  const port = await freePort();
  const env = productEnv({ databaseUrl: db.url, queuePrefix: prefix, port, telegram, zalo, extra: { TELEGRAM_RATE_LIMIT: "0", ZALO_OA_RATE_LIMIT: "0" } });
  const chidao = await startChidao(env, { split, logLevel: process.env.BENCH_LOG_LEVEL ?? "info" });
  console.log(`chidao: ${chidao.processes.map((p) => `${p.name} pid ${p.pid}`).join(", ")} at ${chidao.url} (queue on Redis, prefix ${prefix}; database ${db.name})`);

  const seeded = await seedThroughApi({ base: chidao.url, n: N, telegram, zalo, ...(process.env.BENCH_LINK === "sql" ? { linkInDb: db.pool } : {}) });
  const linked = await db.pool.query<{ channel: string; n: string }>(`SELECT channel, count(*) AS n FROM "ChatIdentity" GROUP BY channel ORDER BY channel`);
  console.log(`seeded through the API in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${linked.rows.map((r) => `${r.n} on ${r.channel}`).join(", ")}`);

  const published = await publishToAll(chidao.url, seeded.token, "Bench xác nhận");
  await waitDeliveriesFinal(db.pool, published.id);
  const sent = await db.pool.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM "Delivery" WHERE "directiveId" = $1 GROUP BY status`, [published.id]);
  console.log(`directive #${published.id} delivered: ${sent.rows.map((r) => `${r.n} ${r.status}`).join(", ")}`);

  // The presses, prepared before the clock starts.
  const data = `ack:${published.id}`;
  const messages = await telegram.ask<FakeMessage[]>("messagesWith", { data });
  const keys = zalo.ready;
  const zaloUsers = seeded.principals.filter((p) => p.channel === "ZALO_OA").map((p) => p.externalId);
  const tgRequests = messages.map((message, i) => {
    const chat = message.chat.id;
    const update = {
      update_id: 10_000_000 + i,
      callback_query: { id: `cb-${chat}`, from: { id: chat, is_bot: false, first_name: `HT ${chat}`, language_code: "vi" }, message, chat_instance: `ci-${chat}`, data },
    };
    return { path: "/webhooks/telegram", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": TELEGRAM_SECRET }, body: JSON.stringify(update) };
  });
  const zaloRequests = zaloUsers.map((user) => {
    const { body, headers } = signZaloOaEvent(keys, zaloText(keys, user, `#${data}`));
    return { path: "/webhooks/zalo-oa", headers, body };
  });
  const requests = Array.from({ length: Math.max(tgRequests.length, zaloRequests.length) }, (_, i) => [tgRequests[i], zaloRequests[i]])
    .flat()
    .filter((r) => r !== undefined);
  if (requests.length !== N) throw new Error(`prepared ${requests.length} presses for ${N} principals (${tgRequests.length} Telegram messages found)`);
  const file = path.join(tmpdir(), `chidao-bench-inbound-${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ base: chidao.url, concurrency: SENDERS, requests }));
  const load = await forkChild<{ requests: number }>(path.join(import.meta.dirname, "support/webhook-load.ts"), [file], "load");
  rmSync(file);
  await Promise.all([telegram.ask("reset"), zalo.ask("reset")]);

  // The clock: the first request leaves → every acknowledgement row is in the database.
  const done = new Promise<{ startedAt: number; endedAt: number; latencies: number[]; statuses: Record<string, number> }>((resolve) =>
    load.child.on("message", (m) => {
      if ((m as { done?: boolean }).done) resolve(m as never);
    }),
  );
  const cpuBefore = chidao.processes.map((p) => cpuMs(p.pid));
  const pgCpuBefore = postgresCpuMs();
  const txBefore = await transactions(db.pool, db.name);
  const goAt = Date.now();
  load.child.send("go");
  let recordedAt = 0;
  const progress: string[] = [];
  for (let lastPrint = goAt; ;) {
    const { rows } = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM "Acknowledgement" WHERE "directiveId" = $1`, [published.id]);
    const n = Number(rows[0]!.n);
    if (Date.now() - lastPrint >= 2000) {
      lastPrint = Date.now();
      progress.push(`${((lastPrint - goAt) / 1000).toFixed(0)} s: ${n}`);
    }
    if (n >= N) {
      recordedAt = Date.now();
      break;
    }
    if (Date.now() - goAt > 600_000) throw new Error(`only ${n} of ${N} acknowledgements recorded after 10 minutes`);
    // Every 50 ms: counting the rows is PostgreSQL work too, kept small beside the load.
    await new Promise((r) => setTimeout(r, 50));
  }
  const result = await done;
  const cpu = chidao.processes.map((p, i) => cpuMs(p.pid) - cpuBefore[i]!);
  const pgCpu = postgresCpuMs() - pgCpuBefore;
  // The poller's own queries count too: a few per 20 ms, listed apart.
  const txCount = (await transactions(db.pool, db.name)) - txBefore;
  // Every press answered (Telegram: the callback answer and the stamp edit; Zalo: a message).
  let repliedAt = 0;
  let counts: Record<string, number> = {};
  let zaloSent = 0;
  for (const until = Date.now() + 120_000; Date.now() < until;) {
    counts = await telegram.ask<Record<string, number>>("counts");
    zaloSent = (await zalo.ask<{ sent: number }>("stats")).sent;
    if ((counts.answerCallbackQuery ?? 0) >= tgRequests.length && (counts.editMessageText ?? 0) >= tgRequests.length && zaloSent >= zaloRequests.length) {
      repliedAt = Date.now();
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  const start = result.startedAt;
  const seconds = (recordedAt - start) / 1000;
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const acks = await db.pool.query<{ channel: string; n: string }>(
    `SELECT channel, count(*) AS n FROM "Acknowledgement" WHERE "directiveId" = $1 GROUP BY channel ORDER BY channel`,
    [published.id],
  );
  const errors = chidao.processes.flatMap((p) => p.logs.filter((l) => l.level >= 50));
  console.log(`\nprogress (acknowledgements recorded): ${progress.join(", ")}`);
  console.log(`webhook answers: ${JSON.stringify(result.statuses)} in ${((result.endedAt - start) / 1000).toFixed(2)} s`);
  console.log(`acknowledgement rows: ${acks.rows.map((r) => `${r.n} ${r.channel}`).join(", ")}`);
  console.log(
    `replies seen by the stand-ins: ${counts.answerCallbackQuery ?? 0} callback answers, ${counts.editMessageText ?? 0} stamp edits, ${zaloSent} Zalo messages` +
      (repliedAt ? `; the last ${((repliedAt - start) / 1000).toFixed(2)} s after the first press` : " (NOT all within 2 minutes)"),
  );
  console.log(
    `cost per acknowledgement: chidao CPU ${chidao.processes.map((p, i) => `${p.name} ${(cpu[i]! / N).toFixed(2)} ms`).join(", ")}; PostgreSQL CPU ${(pgCpu / N).toFixed(2)} ms (every PostgreSQL process on the machine: the bench's polling and other databases included); ` +
      `${(txCount / N).toFixed(2)} database transactions (the bench's own polling included: ~${Math.round((recordedAt - goAt) / 50)})`,
  );
  console.log(`error lines logged by chidao: ${errors.length}${errors.length ? ` (first: ${JSON.stringify(errors[0]).slice(0, 300)})` : ""}`);
  console.log(`machine after the run: ${await machineNote()}`);
  console.log(`\n==> ${(N / seconds).toFixed(0)} acknowledgements recorded per second (${N} in ${seconds.toFixed(2)} s; goal ≥ 1000)`);
  console.log(
    `==> webhook latency p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted[sorted.length - 1]!.toFixed(1)} ms (goal p99 ≤ 100 ms)`,
  );
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => cleanup().then(() => process.exit()));
