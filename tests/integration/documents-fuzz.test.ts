/**
 * Mutation fuzzing of POST /documents and the draft preview: valid sample data with fields
 * replaced by hostile values, for every template. Every answer must be a 201 or a 4xx naming a
 * field, never a 5xx, and every accepted draft must render and issue (final PDF, DOCX, register). Seeded, so a failure replays.
 */
import request from "supertest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SAMPLES } from "../fixtures/document-samples.ts";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

let t: TestApp;
let auth: { Authorization: string };
let clerk: { Authorization: string };

beforeAll(async () => {
  t = await createTestApp();
  await createProvince(t.db);
  auth = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "OFFICER", orgCode: "SGD" })).token}` };
  clerk = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "CLERK", orgCode: "SGD" })).token}` };
});
afterAll(() => t.drop());

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE: unknown[] = [
  "",
  " ",
  "\u0000",
  "a\u0007b",
  "\u202Eđảo ngược",
  "Tiếng Việt".normalize("NFD"),
  "🎉",
  "\uD800",
  "x".repeat(10_000),
  "từ ".repeat(4000),
  "<script>alert(1)</script>",
  "**",
  "*nghiêng* **đậm** ***cả hai***",
  "1.\n2.1.\na)\n-\n+",
  "./.",
  "=1+1",
  "@SUM(A1)",
  "${7*7}",
  "{{7*7}}",
  "../../etc/passwd",
  "KT. GIÁM ĐỐC",
  "TM.",
  "Q. ",
  "ĐƠN VỊ",
  "KTKĐ",
  "ab",
  "AB",
  0,
  -1,
  1.5,
  1e308,
  100_001,
  true,
  null,
  [],
  [""],
  ["a".repeat(301)],
  Array.from({ length: 201 }, () => "x"),
  {},
  { title: "t", name: "n" },
  { authority: "KT. Giám đốc", title: "Phó Giám đốc", name: "A" },
  { __proto__: { x: 1 } },
];

function mutate(sample: Record<string, unknown>, rnd: () => number): Record<string, unknown> {
  const data: Record<string, unknown> = structuredClone(sample);
  const keys = [...Object.keys(data), "signer.title", "signer.name", "signer.authority", "extra_field", "drafting_unit", "copies", "drafter_initials"];
  const changes = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < changes; i++) {
    const key = keys[Math.floor(rnd() * keys.length)]!;
    const value = HOSTILE[Math.floor(rnd() * HOSTILE.length)];
    if (key.startsWith("signer.")) {
      const signer = (typeof data.signer === "object" && data.signer !== null ? data.signer : {}) as Record<string, unknown>;
      signer[key.slice(7)] = value;
      data.signer = signer;
    } else if (rnd() < 0.1) delete data[key];
    else data[key] = value;
  }
  return data;
}

it("300 mutated documents: 201 or 4xx naming a field, never a 5xx; every accepted draft renders and issues", async () => {
  const rnd = prng(20261123);
  const templates = Object.keys(SAMPLES);
  const seen = new Map<number, number>();
  for (let i = 0; i < 300; i++) {
    const template = templates[i % templates.length]!;
    const data = mutate(SAMPLES[template]!, rnd);
    const res = await request(t.app).post("/api/v1/documents").set(auth).send({ template, issuer: "SGD", data });
    seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
    expect([201, 422], `case ${i} (${template}): ${JSON.stringify(res.body).slice(0, 300)}`).toContain(res.status);
    if (res.status === 422) {
      expect(res.body.error.issues.length).toBeGreaterThan(0);
      for (const issue of res.body.error.issues) expect(issue.path).toMatch(/^data(\.|$)/);
    } else {
      const preview = await request(t.app).get(`/api/v1/documents/${res.body.id}/preview.pdf`).set(auth);
      expect(preview.status, `case ${i} preview`).toBe(200);
      const issued = await request(t.app).post(`/api/v1/documents/${res.body.id}/issue`).set(clerk).send({});
      expect(issued.status, `case ${i} issue: ${JSON.stringify(issued.body).slice(0, 300)}`).toBe(200);
    }
  }
  // Both outcomes occur, so the mutations neither all pass nor all fail.
  expect(seen.get(201)).toBeGreaterThan(20);
  expect(seen.get(422)).toBeGreaterThan(20);
}, 240_000);
