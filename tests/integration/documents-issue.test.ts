/** Numbering under load and failure: gapless, unique, per-type sequences, year rollover, rollback. */
import pg from "pg";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "../../server/db/prisma.ts";
import type { AuthUser } from "../../server/features/auth/find-user-by-token.ts";
import { issueDocument } from "../../server/features/documents/issue-document.ts";
import { SAMPLES } from "../fixtures/document-samples.ts";
import { createOrg, createProvince, createUserWithToken } from "../helpers/factories.ts";
import { pdftotext } from "../helpers/pdf-tools.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

let t: TestApp;
let clerk: { Authorization: string };
let clerkUser: AuthUser;

beforeAll(async () => {
  t = await createTestApp();
  await createProvince(t.db);
  await createOrg(t.db, { code: "SGD2", name: "Sở Giáo dục và Đào tạo tỉnh B", kind: "DEPARTMENT", symbol: "SGDĐT", place: "Bắc Ninh" });
  await createOrg(t.db, { code: "UBND", name: "Ủy ban nhân dân xã Y", kind: "COMMUNE", symbol: "UBND", place: "Xã Y" });
  await t.db.organization.update({ where: { code: "UBND" }, data: { registerPerType: true } });
  const c = await createUserWithToken(t.db, { role: "CLERK" });
  clerk = { Authorization: `Bearer ${c.token}` };
  clerkUser = { id: c.user.id, email: c.email, name: c.user.name, role: "CLERK", organizationId: null, locale: "vi" };
});
afterAll(() => t.drop());

/** `n` drafts of `template` for `issuer`, inserted directly (the API path is tested elsewhere). */
async function drafts(n: number, template: string, issuer: string): Promise<number[]> {
  const org = await t.db.organization.findUniqueOrThrow({ where: { code: issuer } });
  const created = await t.db.document.createManyAndReturn({
    data: Array.from({ length: n }, () => ({ template, issuerOrgId: org.id, data: SAMPLES[template] as Prisma.InputJsonValue })),
    select: { id: true },
  });
  return created.map((r) => r.id);
}

const issue = (id: number) => request(t.app).post(`/api/v1/documents/${id}/issue`).set(clerk).send({});

describe("concurrent issuing", () => {
  it("100 concurrent issues of 100 drafts get 01..100 exactly once", async () => {
    const ids = await drafts(100, "cong_van", "SGD");
    const started = performance.now();
    const results = await Promise.all(ids.map((id) => issue(id)));
    const elapsed = performance.now() - started;
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 200));
    const numbers = results.map((r) => r.body.number as number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.body.symbol)).size).toBe(100);
    expect(results.find((r) => r.body.number === 7)?.body.symbol).toBe("07/SGDĐT-KTKĐ");
    const sgd = await t.db.organization.findUniqueOrThrow({ where: { code: "SGD" } });
    const entries = await t.db.registerEntry.findMany({ where: { organizationId: sgd.id }, orderBy: { number: "asc" } });
    expect(entries.map((e) => e.number)).toEqual(numbers);
    expect(entries.every((e, i) => e.documentId === results.find((r) => r.body.number === i + 1)?.body.id)).toBe(true);
    expect((await t.db.registerCounter.findFirstOrThrow({ where: { organizationId: sgd.id } })).lastNumber).toBe(100);
    // Each stored PDF carries its own number.
    const sample = await t.db.document.findFirstOrThrow({ where: { issuerOrgId: sgd.id, number: 42 } });
    expect(await pdftotext(sample.pdf!)).toContain("Số: 42/SGDĐT-KTKĐ");
    console.info(`100 concurrent issues: ${elapsed.toFixed(0)} ms (${(100_000 / elapsed).toFixed(0)} issues/s)`);
  }, 120_000);

  it("ten concurrent issues of the same draft: one number, nine 409s", async () => {
    const [id] = await drafts(1, "thong_bao", "SGD2");
    const results = await Promise.all(Array.from({ length: 10 }, () => issue(id!)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
    const sgd2 = await t.db.organization.findUniqueOrThrow({ where: { code: "SGD2" } });
    expect((await t.db.registerCounter.findFirstOrThrow({ where: { organizationId: sgd2.id } })).lastNumber).toBe(1);
  });

  it("an office with per-type registers numbers each type on its own, concurrently", async () => {
    const cv = await drafts(6, "cong_van", "UBND");
    const tb = await drafts(4, "thong_bao", "UBND");
    const qd = await drafts(3, "quyet_dinh", "UBND");
    const all = [...cv, ...tb, ...qd].sort(() => Math.random() - 0.5);
    const results = await Promise.all(all.map((id) => issue(id)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const bySeries = async (series: string) =>
      (await t.db.registerEntry.findMany({ where: { series, organization: { code: "UBND" } }, orderBy: { number: "asc" } })).map((e) => e.symbol);
    expect(await bySeries("CV")).toEqual(["01/UBND-KTKĐ", "02/UBND-KTKĐ", "03/UBND-KTKĐ", "04/UBND-KTKĐ", "05/UBND-KTKĐ", "06/UBND-KTKĐ"]);
    expect(await bySeries("TB")).toEqual(["01/TB-UBND", "02/TB-UBND", "03/TB-UBND", "04/TB-UBND"]);
    expect(await bySeries("QĐ")).toEqual(["01/QĐ-UBND", "02/QĐ-UBND", "03/QĐ-UBND"]);
    const register = await request(t.app).get("/api/v1/register?issuer=UBND&series=TB").set(clerk).expect(200);
    expect(register.body.rows.map((r: { number: number }) => r.number)).toEqual([1, 2, 3, 4]);
  });
});

describe("the calendar year", () => {
  it("restarts at 01 on 1 January, Vietnam time", async () => {
    await createOrg(t.db, { code: "THCS-Y", name: "Trường THCS Y", kind: "SCHOOL", level: "THCS", symbol: "THCSY", place: "Xã Y" });
    const ids = await drafts(3, "thong_bao", "THCS-Y");
    const at = (iso: string, id: number) =>
      issueDocument(t.db, { user: clerkUser, documentId: id, input: {}, signing: null, verifyUrl: (c) => `http://x/verify/${c}`, now: new Date(iso) });
    // 23:59:59 on 31 December in Hanoi is still 2026; one second later it is 2027 there (16:59:59Z / 17:00:00Z).
    const last = await at("2026-12-31T16:59:59Z", ids[0]!);
    const first = await at("2026-12-31T17:00:00Z", ids[1]!);
    const second = await at("2027-01-02T01:00:00Z", ids[2]!);
    expect([last.number, last.symbol]).toEqual([1, "01/TB-THCSY"]);
    expect([first.number, first.symbol]).toEqual([1, "01/TB-THCSY"]);
    expect(second.number).toBe(2);
    const rows = await t.db.registerEntry.findMany({ where: { organization: { code: "THCS-Y" } }, orderBy: [{ year: "asc" }, { number: "asc" }] });
    expect(rows.map((r) => [r.year, r.number])).toEqual([
      [2026, 1],
      [2027, 1],
      [2027, 2],
    ]);
    const doc = await t.db.document.findUniqueOrThrow({ where: { id: ids[1]! } });
    expect((await pdftotext(doc.pdf!)).replace(/\s+/g, " ")).toContain("Xã Y, ngày 01 tháng 01 năm 2027");
  });
});

/**
 * Failures inside the issuing transaction, after the number is taken and the files rendered, made
 * by the database itself (test-only DDL on this file's own database): a trigger on the register
 * entry's insert fails the chosen documents, after waiting on an advisory lock the test holds
 * ("wait"), or by terminating its own connection ("kill"). Signing happens after the commit, so a
 * failing signer no longer reaches into the transaction (documents-signing.test.ts).
 */
const FAULTS = `
  CREATE TABLE test_issue_fault (document_id int PRIMARY KEY, mode text NOT NULL);
  CREATE FUNCTION test_issue_fault() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE m text;
  BEGIN
    SELECT mode INTO m FROM test_issue_fault WHERE document_id = NEW."documentId";
    IF m IS NULL THEN RETURN NEW; END IF;
    IF m = 'wait' THEN PERFORM pg_advisory_xact_lock(4242); END IF;
    IF m = 'kill' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;
    RAISE EXCEPTION 'forced failure of document %', NEW."documentId";
  END $$;
  CREATE TRIGGER test_issue_fault BEFORE INSERT ON "RegisterEntry" FOR EACH ROW EXECUTE FUNCTION test_issue_fault();`;

async function withClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: t.url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function fail(ids: number[], mode: "raise" | "wait" | "kill"): Promise<void> {
  await withClient(async (c) => {
    if (!(await c.query(`SELECT 1 FROM pg_class WHERE relname = 'test_issue_fault'`)).rowCount) await c.query(FAULTS);
    for (const id of ids) await c.query(`INSERT INTO test_issue_fault VALUES ($1, $2)`, [id, mode]);
  });
}

const opts = (documentId: number) => ({ user: clerkUser, documentId, input: {}, signing: null, verifyUrl: (code: string) => `http://x/verify/${code}` });

describe("failure inside the issuing transaction", () => {
  it("rolls back the number: a failed issue leaves no gap, and a waiting issuer gets the same number", async () => {
    await createOrg(t.db, { code: "TH-Z", name: "Trường Tiểu học Z", kind: "SCHOOL", level: "TIEU_HOC", symbol: "THZ", place: "Xã Z" });
    const [a, b, c] = await drafts(3, "cong_van", "TH-Z");
    await fail([a!], "wait");
    const gate = new pg.Client({ connectionString: t.url });
    await gate.connect();
    try {
      await gate.query("SELECT pg_advisory_lock(4242)");
      const failed = issueDocument(t.db, opts(a!)).then(
        () => "issued",
        (e: Error) => e.message,
      );
      // Wait until the first issue holds the counter row and waits in the trigger.
      for (let i = 0; i < 200 && !(await gate.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).rowCount; i++)
        await new Promise((r) => setTimeout(r, 25));
      const waiting = issueDocument(t.db, opts(b!));
      // The second issuer is blocked on the counter row while the first holds it.
      const raced = await Promise.race([waiting.then(() => "finished"), new Promise((r) => setTimeout(() => r("blocked"), 300))]);
      expect(raced).toBe("blocked");
      await gate.query("SELECT pg_advisory_unlock(4242)");
      expect(await failed).toMatch(/forced failure of document/);
      expect((await waiting).number).toBe(1);
    } finally {
      await gate.end();
    }
    expect((await issueDocument(t.db, opts(c!))).number).toBe(2);
    const docA = await t.db.document.findUniqueOrThrow({ where: { id: a! } });
    expect(docA).toMatchObject({ status: "DRAFT", number: null, symbol: null, pdf: null, verifyCode: null });
    const entries = await t.db.registerEntry.findMany({ where: { organization: { code: "TH-Z" } }, orderBy: { number: "asc" } });
    expect(entries.map((e) => [e.number, e.documentId])).toEqual([
      [1, b],
      [2, c],
    ]);
  });
});

describe("gapless under forced failures", () => {
  it("200 concurrent issues with ~10% forced rollbacks leave numbers 1..successes with no gap or duplicate", async () => {
    await createOrg(t.db, { code: "MN-R", name: "Trường Mầm non R", kind: "SCHOOL", level: "MAM_NON", symbol: "MNR", place: "Xã R" });
    const ids = await drafts(200, "thong_bao", "MN-R");
    await fail(
      ids.filter(() => Math.random() < 0.1),
      "raise",
    );
    const outcomes = await Promise.allSettled(ids.map((id) => issueDocument(t.db, opts(id))));
    const ok = outcomes.filter((o) => o.status === "fulfilled").map((o) => (o as PromiseFulfilledResult<{ number: number }>).value.number);
    const failed = outcomes.filter((o) => o.status === "rejected");
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((f) => String(f.reason).includes("forced failure"))).toBe(true);
    expect(ok.sort((a, b) => a - b)).toEqual(Array.from({ length: ok.length }, (_, i) => i + 1));
    const gaps = await t.db.$queryRaw<{ n: number }[]>`
      SELECT g.n::int AS n FROM generate_series(1, (SELECT max(number) FROM "RegisterEntry" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.code = 'MN-R')) AS g(n)
      WHERE NOT EXISTS (SELECT 1 FROM "RegisterEntry" e JOIN "Organization" o ON o.id = e."organizationId" WHERE o.code = 'MN-R' AND e.number = g.n)`;
    expect(gaps).toEqual([]);
    expect(await t.db.document.count({ where: { id: { in: ids }, status: "DRAFT" } })).toBe(failed.length);
    console.info(`forced rollbacks: ${failed.length} of 200; register 01..${ok.length} without gaps`);
  }, 120_000);

  it("a database connection killed while the number is held rolls back, and the number is given again", async () => {
    await createOrg(t.db, { code: "MN-K", name: "Trường Mầm non K", kind: "SCHOOL", level: "MAM_NON", symbol: "MNK", place: "Xã K" });
    const [a, b] = await drafts(2, "cong_van", "MN-K");
    await fail([a!], "kill");
    await expect(issueDocument(t.db, opts(a!))).rejects.toBeDefined();
    const next = await issueDocument(t.db, opts(b!));
    expect(next.number).toBe(1);
    expect((await t.db.document.findUniqueOrThrow({ where: { id: a! } })).status).toBe("DRAFT");
  });
});

describe("switching between one sequence and per-type sequences during a year", () => {
  it("never gives the same số/ký hiệu twice: a colliding number is passed over", async () => {
    await createOrg(t.db, { code: "TH-S", name: "Trường Tiểu học S", kind: "SCHOOL", level: "TIEU_HOC", symbol: "THS", place: "Xã S" });
    const at = (id: number) => issueDocument(t.db, { user: clerkUser, documentId: id, input: {}, signing: null, verifyUrl: (c) => `http://x/verify/${c}` });
    const [tb1, cv2, tb3] = [...(await drafts(1, "thong_bao", "TH-S")), ...(await drafts(1, "cong_van", "TH-S")), ...(await drafts(1, "thong_bao", "TH-S"))];
    expect((await at(tb1!)).symbol).toBe("01/TB-THS");
    expect((await at(cv2!)).symbol).toBe("02/THS-KTKĐ");
    expect((await at(tb3!)).symbol).toBe("03/TB-THS");
    await t.db.organization.update({ where: { code: "TH-S" }, data: { registerPerType: true } });
    const [a, b] = await drafts(2, "thong_bao", "TH-S");
    // The new TB sequence starts at 01, which is taken: 02 is free; then 03 is taken and 04 is next.
    expect((await at(a!)).symbol).toBe("02/TB-THS");
    expect((await at(b!)).symbol).toBe("04/TB-THS");
    const symbols = (await t.db.registerEntry.findMany({ where: { organization: { code: "TH-S" } } })).map((e) => e.symbol);
    expect(new Set(symbols).size).toBe(symbols.length);
  });
});
