import request from "supertest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

let t: TestApp;
let auth: { Authorization: string };

beforeAll(async () => {
  t = await createTestApp();
  await createProvince(t.db);
  auth = { Authorization: `Bearer ${(await createUserWithToken(t.db)).token}` };
});
afterAll(() => t.drop());

/** 200 communes under SGD with 99 schools each; children listed before their commune. */
function bigCsv(version: string): string {
  const lines = ["code,name,kind,level,parent_code,principal_name,principal_phone"];
  for (let c = 0; c < 200; c++) {
    for (let s = 0; s < 99; s++)
      lines.push(
        `S${c}-${s},Trường ${version} ${c}-${s},Trường,${["Mầm non", "Tiểu học", "THCS"][s % 3]},C${c},Hiệu trưởng ${version} ${c}-${s},09${String(c * 100 + s).padStart(8, "0")}`,
      );
    lines.push(`C${c},UBND xã ${c},Xã,,SGD,,`);
  }
  return `${lines.join("\n")}\n`;
}

it("imports 20,000 rows with principals in a few seconds, then re-imports them as updates", async () => {
  const csv = bigCsv("A");
  expect(csv.length).toBeLessThan(5 * 1024 * 1024);
  let started = performance.now();
  const first = await request(t.app).post("/api/v1/orgs/import").set(auth).set("Content-Type", "text/csv").send(csv);
  const createMs = performance.now() - started;
  expect(first.status, JSON.stringify(first.body).slice(0, 500)).toBe(200);
  expect(first.body).toEqual({ created: 20_000, updated: 0, errors: [] });
  started = performance.now();
  const second = await request(t.app).post("/api/v1/orgs/import").set(auth).set("Content-Type", "text/csv").send(bigCsv("B"));
  const updateMs = performance.now() - started;
  expect(second.body).toEqual({ created: 0, updated: 20_000, errors: [] });
  console.info(`20,000-row import: create ${Math.round(createMs)} ms, update ${Math.round(updateMs)} ms`);
  expect(createMs).toBeLessThan(15_000);
  expect(updateMs).toBeLessThan(15_000);
  expect(await t.db.person.count({ where: { role: "PRINCIPAL", name: { startsWith: "Hiệu trưởng B" } } })).toBe(19_800);
  expect(await t.db.person.count({ where: { name: { startsWith: "Hiệu trưởng A" } } })).toBe(0);
  const leaf = await t.db.organization.findUniqueOrThrow({ where: { code: "S199-98" }, include: { parent: { include: { parent: true } } } });
  expect(leaf.parent?.parent?.code).toBe("SGD");
});
