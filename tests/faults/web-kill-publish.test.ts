/**
 * The web process SIGKILLed during a publish (while its transaction writes the delivery rows) and right
 * after one (the transaction committed, the jobs not all enqueued). The officer publishes again on a
 * new web process, as anyone would after a dropped connection.
 * Proves: every recipient gets exactly one delivery row per directive, and is sent exactly once.
 */
import { afterAll, expect, it } from "vitest";
import { printFigures, publish, startDeployment, type ChidaoProcess, type Deployment } from "./support/processes.ts";

const RECIPIENTS = 5000;
const SWEEP_S = 2;

let d: Deployment | undefined;
afterAll(() => d?.close());

/** Polls `probe` every few ms until it is true (or `timeoutMs` passes); true when it became true. */
async function when(probe: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((r) => setTimeout(r, 2));
  }
  return false;
}

it("gives every recipient one delivery row and one message, whenever the web process dies", async () => {
  const t0 = Date.now();
  d = await startDeployment({ recipients: RECIPIENTS, standIn: { chatLog: true }, env: { SWEEP_INTERVAL_SECONDS: String(SWEEP_S) } });
  const dep = d;
  let [web] = await Promise.all([dep.start("web"), dep.start("worker"), dep.start("worker")]);
  const during = await dep.createDirective(web, "Chết giữa lúc phát hành");
  const after = await dep.createDirective(web, "Chết ngay sau khi phát hành");
  const statusOf = async (id: number) => (await dep.db.directive.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;

  // 1. During: the INSERT of the delivery rows is running in the web process's transaction.
  const inserting = () =>
    dep.db.$queryRaw<
      { n: bigint }[]
    >`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%INSERT INTO "Delivery"%' AND pid <> pg_backend_pid()`.then(
      (r) => r[0]!.n > 0n,
    );
  const answer1 = publish(web, dep.auth, during);
  const caughtInsert = await when(inserting, 10_000);
  await web.kill("SIGKILL");
  const status1 = await answer1;
  const rowsAfterKill1 = await dep.db.delivery.count({ where: { directiveId: during } });
  const directiveAfterKill1 = await statusOf(during);

  // 2. Right after: the directive is PUBLISHED (committed) and the enqueue has just begun.
  web = await dep.start("web", {}, "web-2");
  const answer2 = publish(web, dep.auth, after);
  const caughtCommit = await when(async () => (await statusOf(after)) === "PUBLISHED", 20_000);
  await web.kill("SIGKILL");
  const status2 = await answer2;
  const sentBeforeSweep = await dep.db.delivery.count({ where: { directiveId: after, status: "SENT" } });

  // The officer publishes both again on a fresh web process.
  const web3: ChidaoProcess = await dep.start("web", {}, "web-3");
  const again1 = await publish(web3, dep.auth, during);
  const again2 = await publish(web3, dep.auth, after);
  const settle1 = await dep.settled(during, 60_000);
  const settle2 = await dep.settled(after, SWEEP_S * 1000 + 60_000);

  const perRecipient = await dep.db.$queryRaw<{ directiveId: number; persons: bigint; rows: bigint; sent: bigint }[]>`
    SELECT "directiveId", count(DISTINCT "personId") AS persons, count(*) AS rows, count(*) FILTER (WHERE status = 'SENT') AS sent
    FROM "Delivery" WHERE "directiveId" IN (${during}, ${after}) GROUP BY "directiveId" ORDER BY "directiveId"`;
  const log = await dep.standIn.chatLog();
  const sendsPerChat = [...log.values()].map((e) => e.filter((x) => x.code === 200).length);
  const figures = Object.fromEntries(perRecipient.map((r) => [`directive ${r.directiveId}: recipients / rows / SENT`, `${r.persons} / ${r.rows} / ${r.sent}`]));
  printFigures(`web process SIGKILLed during and right after publishing to ${RECIPIENTS}`, {
    "during: kill caught the INSERT / HTTP answer": `${caughtInsert} / ${status1 || "connection lost"}`,
    "during: rows and status after the kill": `${rowsAfterKill1} rows, ${directiveAfterKill1}`,
    "right after: kill caught the commit / HTTP answer": `${caughtCommit} / ${status2 || "connection lost"}`,
    "right after: SENT before the sweep ran": sentBeforeSweep,
    "published again (HTTP)": `${again1}, ${again2}`,
    ...figures,
    "chats / messages (two directives each)": `${log.size} / ${sendsPerChat.reduce((a, b) => a + b, 0)}`,
    "chats not given exactly two messages": sendsPerChat.filter((n) => n !== 2).length,
    "all final after the re-publish": `${(settle1 / 1000).toFixed(1)} s and ${(settle2 / 1000).toFixed(1)} s`,
    "scenario wall time": `${((Date.now() - t0) / 1000).toFixed(1)} s`,
  });

  expect(caughtInsert).toBe(true);
  expect(caughtCommit).toBe(true);
  expect(again1).toBe(202);
  expect(again2).toBe(202);
  for (const r of perRecipient) {
    expect(Number(r.persons)).toBe(RECIPIENTS);
    expect(Number(r.rows)).toBe(RECIPIENTS);
    expect(Number(r.sent)).toBe(RECIPIENTS);
  }
  expect(log.size).toBe(RECIPIENTS);
  expect(sendsPerChat.filter((n) => n !== 2)).toEqual([]);
}, 200_000);
