/**
 * 50 SIGKILLs of worker processes during a 5,000-delivery broadcast. Sends take 200 ms at the stand-in,
 * so every kill lands with sends in flight (accepted by the platform, outcome not yet written).
 * Proves: 0 lost; duplicate sends ≤ the sends in flight at the kills (and only of deliveries a killed
 * worker held); 0 duplicate acknowledgement rows; each stranded delivery sent again within its lease
 * plus one sweep interval.
 */
import { afterAll, expect, it } from "vitest";
import { printFigures, publish, startDeployment, type ChidaoProcess, type Deployment } from "./support/processes.ts";

const RECIPIENTS = 5000;
const KILLS = Number(process.env.FAULTS_KILLS ?? 50);
/** Worker processes at the start; each kill is replaced, at most REPLACING starting at once. */
const WORKERS = 6;
const REPLACING = 2;
const LATENCY_MS = 200;
const LEASE_S = 3;
const SWEEP_S = 2;

let d: Deployment | undefined;
afterAll(() => d?.close());

it("loses nothing and sends again only what a killed worker had in flight, within lease + sweep", async () => {
  const t0 = Date.now();
  d = await startDeployment({
    recipients: RECIPIENTS,
    standIn: { latencyMs: LATENCY_MS, chatLog: true },
    env: { DELIVERY_CONCURRENCY: "10", DELIVERY_LEASE_SECONDS: String(LEASE_S), SWEEP_INTERVAL_SECONDS: String(SWEEP_S) },
  });
  const dep = d;
  const [web, ...first] = await Promise.all([dep.start("web"), ...Array.from({ length: WORKERS }, () => dep.start("worker"))]);
  const live = new Set<ChidaoProcess>(first);
  const progress = (what: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${what}`);
  progress(`web and workers ready (logs in ${dep.logDir})`);
  const id = await dep.createDirective(web!, "Kiểm tra khi tiến trình bị giết");
  const started = Date.now();
  expect(await publish(web!, dep.auth, id)).toBe(202);

  type Claim = { id: number; claimedAt: Date };
  const inFlightAtKill: number[] = [];
  const stranded = new Map<number, Date>();
  const checks: Promise<void>[] = [];
  const starting: Promise<unknown>[] = [];
  let replacing = 0;
  let owed = 0;
  const replace = () => {
    while (owed > 0 && replacing < REPLACING) {
      owed--;
      replacing++;
      starting.push(
        dep
          .start("worker", {}, `worker-r${kills}`)
          .then((p) => void live.add(p))
          .finally(() => {
            replacing--;
            replace();
          }),
      );
    }
  };
  let kills = 0;
  while (kills < KILLS && (await dep.open(id)) > 0) {
    await new Promise((r) => setTimeout(r, 400 + Math.random() * 400));
    const ready = [...live];
    // Never below two: the scenario is about crashes, not about running none.
    if (ready.length < 3) continue;
    const victim = ready[Math.floor(Math.random() * ready.length)]!;
    live.delete(victim);
    await victim.kill("SIGKILL");
    kills++;
    // Claimed and not yet written: the sends in flight at this kill, across every worker.
    const held = await dep.db.$queryRaw<Claim[]>`SELECT id, "claimedAt" FROM "Delivery" WHERE "directiveId" = ${id} AND status = 'SENDING'`;
    inFlightAtKill.push(held.length);
    // Live workers finish theirs within a send; what still holds the same claim later was the dead one's.
    checks.push(
      new Promise((r) => setTimeout(r, LEASE_S * 500)).then(async () => {
        const still = await dep.db.$queryRaw<Claim[]>`SELECT id, "claimedAt" FROM "Delivery" WHERE id = ANY(${held.map((h) => h.id)}::int[]) AND status = 'SENDING'`;
        const before = new Map(held.map((h) => [h.id, h.claimedAt.getTime()]));
        for (const s of still) if (before.get(s.id) === s.claimedAt.getTime()) stranded.set(s.id, s.claimedAt);
      }),
    );
    owed++;
    replace();
    if (kills % 10 === 0) progress(`${kills} kills, ${await dep.open(id)} deliveries open, ${live.size} workers up`);
  }
  progress(`kills done: ${kills}`);
  const settleMs = await dep.settled(id, 60_000);
  progress("broadcast settled");
  const broadcastS = (Date.now() - started) / 1000;
  await Promise.all([...checks, ...starting.map((p) => p.catch(() => {}))]);

  const rows = await dep.db.delivery.findMany({ where: { directiveId: id }, select: { id: true, status: true, externalChatId: true, sentAt: true } });
  const log = await dep.standIn.chatLog();
  const sendsTo = (chat: string) => (log.get(chat) ?? []).filter((e) => e.code === 200);
  const duplicated = rows.filter((r) => sendsTo(r.externalChatId!).length > 1);
  const duplicateSends = duplicated.reduce((n, r) => n + sendsTo(r.externalChatId!).length - 1, 0);

  // When each stranded delivery's second send left: its acceptance by the stand-in minus the stand-in's latency.
  const recoveries: number[] = [];
  for (const r of rows) {
    const claimedAt = stranded.get(r.id);
    if (!claimedAt) continue;
    // The last accepted send is the one that took over (the dead worker's may have been accepted too).
    const resend = sendsTo(r.externalChatId!).at(-1);
    recoveries.push(resend ? resend.at - LATENCY_MS - claimedAt.getTime() : Infinity);
  }
  recoveries.sort((a, b) => a - b);

  // Principals press every button they got (a duplicate message has one too), and 200 press twice.
  const pressChats = [...new Set([...duplicated.map((r) => r.externalChatId!), ...rows.slice(0, 200).map((r) => r.externalChatId!)])];
  const presses = await dep.standIn.pressAcks(pressChats, 2);
  const ackDeadline = Date.now() + 30_000;
  while ((await dep.db.acknowledgement.count({ where: { directiveId: id } })) < pressChats.length && Date.now() < ackDeadline) await new Promise((r) => setTimeout(r, 200));
  const acks = await dep.db.acknowledgement.count({ where: { directiveId: id } });
  const duplicateAcks = await dep.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM (SELECT 1 FROM "Acknowledgement" GROUP BY "directiveId", "personId" HAVING count(*) > 1) x`;

  const sent = rows.filter((r) => r.status === "SENT").length;
  const inFlight = inFlightAtKill.reduce((a, b) => a + b, 0);
  const leaseMs = LEASE_S * 1000;
  const sweepMs = SWEEP_S * 1000;
  printFigures(`worker SIGKILLs during a ${RECIPIENTS}-delivery broadcast`, {
    "worker SIGKILLs": kills,
    "deliveries SENT / rows": `${sent} / ${rows.length}`,
    "lost (not SENT)": rows.length - sent,
    "sends in flight at the kills (sum)": inFlight,
    "stranded deliveries (a dead worker's claims)": stranded.size,
    "duplicate sends": duplicateSends,
    "recovery of stranded (claim → resend) min / median / max": recoveries.length ? `${recoveries[0]} / ${recoveries[Math.floor(recoveries.length / 2)]} / ${recoveries.at(-1)} ms` : "-",
    "budget (lease + sweep interval)": `${leaseMs + sweepMs} ms`,
    "button presses / acknowledgement rows / duplicates": `${presses} / ${acks} / ${Number(duplicateAcks[0]!.n)}`,
    "broadcast (publish → all final)": `${broadcastS.toFixed(1)} s (last ${(settleMs / 1000).toFixed(1)} s after the kills)`,
    "scenario wall time": `${((Date.now() - t0) / 1000).toFixed(1)} s`,
  });

  expect(kills).toBe(KILLS);
  expect(sent).toBe(RECIPIENTS);
  expect(duplicateSends).toBeLessThanOrEqual(inFlight);
  // Only deliveries a killed worker held were sent twice.
  for (const r of duplicated) expect(stranded.has(r.id), `delivery ${r.id} sent twice without a dead worker's claim`).toBe(true);
  expect(recoveries.at(-1) ?? 0).toBeLessThanOrEqual(leaseMs + sweepMs);
  expect(acks).toBe(pressChats.length);
  expect(Number(duplicateAcks[0]!.n)).toBe(0);
  expect(web!.errors).toEqual([]);
}, 240_000);
