/**
 * npm run bench:broadcast — a directive published to 10,000 principals, measured on the product as
 * its users run it: chidao (`server/main.ts`, what `npm start` runs; BENCH_ROLES=split for separate
 * web and worker processes) on a fresh PostgreSQL database, its queues on Redis (BENCH_QUEUE=postgres:
 * BullMQ's PostgreSQL backend, what `npm start` uses without REDIS_URL), the Telegram and Zalo OA
 * stand-ins each in a process of its own. Principals are seeded and linked through the HTTP API and
 * webhooks (half on Telegram, half on the Zalo OA; see support/product.ts), the directive created and
 * published through the API.
 *
 * Phase 1: no platform limit and none of ours (TELEGRAM_RATE_LIMIT=0, ZALO_OA_RATE_LIMIT=0):
 *          deliveries recorded final in the database per second, from the publish call.
 * Phase 2: chidao restarted with the default limits (Telegram 30/s, Zalo OA 50/s); the stand-ins
 *          enforce Telegram's 30 messages in any sliding second (429 + retry_after) and Zalo's
 *          4,000 OA requests a minute (-32): each channel's sustained rate and its share of refusals.
 *
 * Environment: BENCH_LINK=sql (principals' chats written into the database, not linked by webhook:
 * quicker, for trying changes), BENCH_RECIPIENTS (10000), BENCH_PHASES (2; 1 = no limited phase), BENCH_ROLES,
 * BENCH_QUEUE, BENCH_CONCURRENCY (DELIVERY_CONCURRENCY; the product's default when unset),
 * BENCH_LOG_LEVEL (info, the product's default).
 */
import {
  cleanup,
  cpuMs,
  freePort,
  freshDatabase,
  freshQueuePrefix,
  machineNote,
  productEnv,
  publishToAll,
  seedThroughApi,
  startChidao,
  startStandIns,
  waitDeliveriesFinal,
  type Chidao,
} from "./support/product.ts";

const N = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
const split = process.env.BENCH_ROLES === "split";
const postgresQueue = process.env.BENCH_QUEUE === "postgres";

type TgStats = { sent: number; rejected429: number; rejected403: number; rejectedOther: number; firstSentAt: number | null; lastSentAt: number | null };
type ZaloStats = { sent: number; rejected: Record<string, number>; firstSentAt: number | null; lastSentAt: number | null };

async function main() {
  const t0 = Date.now();
  console.log(`bench:broadcast — ${N} principals (half Telegram, half Zalo OA), chidao as ${split ? "web + worker processes" : "one npm start process"}`);
  console.log(`machine: ${await machineNote()}`);
  const db = await freshDatabase("broadcast");
  const prefix = freshQueuePrefix("broadcast");
  const { telegram, zalo } = await startStandIns();
  const port = await freePort();
  const env = (extra: Record<string, string>) => {
    const e = productEnv({ databaseUrl: db.url, queuePrefix: prefix, port, telegram, zalo, extra });
    if (postgresQueue) delete e.REDIS_URL;
    if (process.env.BENCH_CONCURRENCY) e.DELIVERY_CONCURRENCY = process.env.BENCH_CONCURRENCY;
    return e;
  };
  const logLevel = process.env.BENCH_LOG_LEVEL ?? "info";
  let chidao: Chidao = await startChidao(env({ TELEGRAM_RATE_LIMIT: "0", ZALO_OA_RATE_LIMIT: "0" }), { split, logLevel });
  console.log(`chidao: ${chidao.processes.map((p) => `${p.name} pid ${p.pid}`).join(", ")}; queue on ${postgresQueue ? "PostgreSQL" : "Redis"}; database ${db.name}`);
  const seeded = await seedThroughApi({ base: chidao.url, n: N, telegram, zalo, ...(process.env.BENCH_LINK === "sql" ? { linkInDb: db.pool } : {}) });
  console.log(`seeded and linked through the API in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  async function phase(title: string) {
    await Promise.all([telegram.ask("reset"), zalo.ask("reset")]);
    const cpuBefore = chidao.processes.map((p) => cpuMs(p.pid));
    const start = performance.now();
    const p = await publishToAll(chidao.url, seeded.token, title);
    let last = Date.now();
    await waitDeliveriesFinal(db.pool, p.id, (open) => {
      if (Date.now() - last > 15_000) {
        last = Date.now();
        console.log(`  … ${p.recipients - open}/${p.recipients} final after ${((performance.now() - start) / 1000).toFixed(0)} s`);
      }
    });
    const seconds = (performance.now() - start) / 1000;
    const cpu = chidao.processes.map((proc, i) => `${proc.name} ${((cpuMs(proc.pid) - cpuBefore[i]!) / p.recipients).toFixed(2)} ms`).join(", ");
    const { rows } = await db.pool.query<{ channel: string; status: string; n: string }>(
      `SELECT channel, status, count(*) AS n FROM "Delivery" WHERE "directiveId" = $1 GROUP BY channel, status ORDER BY channel, status`,
      [p.id],
    );
    const [tg, za] = await Promise.all([telegram.ask<TgStats>("stats"), zalo.ask<ZaloStats>("stats")]);
    return { p, seconds, cpu, statuses: rows.map((r) => `${r.n} ${r.channel} ${r.status}`).join(", "), tg, za };
  }

  console.log(`\nphase 1 — no platform limit, none of ours`);
  const one = await phase("Bench không giới hạn");
  console.log(`  publish call ${one.p.publishMs.toFixed(0)} ms for ${one.p.recipients} recipients; statuses: ${one.statuses}`);
  console.log(`  stand-ins accepted ${one.tg.sent} Telegram and ${one.za.sent} Zalo OA messages; chidao CPU per delivery: ${one.cpu}`);
  console.log(`  ==> ${(one.p.recipients / one.seconds).toFixed(0)} deliveries recorded per second (${one.p.recipients} in ${one.seconds.toFixed(2)} s; goal ≥ 2000)`);

  if (process.env.BENCH_PHASES !== "1") {
    await chidao.stop();
    await Promise.all([telegram.ask("setRateLimit", { rateLimit: { perSecond: 30 } }), zalo.ask("setRateLimit", { rateLimit: { max: 4000, windowMs: 60_000 } })]);
    chidao = await startChidao(env({ TELEGRAM_RATE_LIMIT: "30", ZALO_OA_RATE_LIMIT: "50" }), { split, logLevel });
    console.log(`\nphase 2 — stand-ins enforce Telegram's 30/s (sliding second) and Zalo's 4,000/min; chidao at its defaults (30/s, 50/s)`);
    const two = await phase("Bench có giới hạn");
    const rate = (sent: number, first: number | null, lastAt: number | null) => (first !== null && lastAt !== null && lastAt > first ? (sent - 1) / ((lastAt - first) / 1000) : 0);
    const tgRefused = two.tg.rejected429;
    const zaRefused = two.za.rejected["-32"] ?? 0;
    console.log(`  statuses: ${two.statuses}; all final after ${two.seconds.toFixed(1)} s`);
    console.log(
      `  ==> Telegram: ${two.tg.sent} sent, sustained ${rate(two.tg.sent, two.tg.firstSentAt, two.tg.lastSentAt).toFixed(2)}/s (limit 30), ` +
        `429s ${tgRefused} of ${two.tg.sent + tgRefused} = ${((100 * tgRefused) / Math.max(1, two.tg.sent + tgRefused)).toFixed(3)}% (goal < 0.1%)`,
    );
    console.log(
      `  ==> Zalo OA: ${two.za.sent} sent, sustained ${rate(two.za.sent, two.za.firstSentAt, two.za.lastSentAt).toFixed(2)}/s (ours 50/s; Zalo 4,000/min), ` +
        `-32s ${zaRefused} of ${two.za.sent + zaRefused} = ${((100 * zaRefused) / Math.max(1, two.za.sent + zaRefused)).toFixed(3)}% (goal < 0.1%)`,
    );
  }
  const errors = chidao.processes.flatMap((p) => p.logs.filter((l) => l.level >= 50));
  console.log(`\nerror lines logged by chidao: ${errors.length}; machine after the run: ${await machineNote()}`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => cleanup().then(() => process.exit()));
