/** Object-level access over the organisation tree: a document is reachable only from its issuer's ancestors (and itself). */
import request from "supertest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SAMPLES } from "../fixtures/document-samples.ts";
import { createProvince, createUserWithToken } from "../helpers/factories.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

let t: TestApp;
const ORGS = ["SGD", "X1", "X1-TH", "X1-PGD", "X1-PGD-MN2", "X2", "X2-THCS", "THPT1"];
// Parent of each organisation in createProvince's tree.
const PARENT: Record<string, string | null> = { SGD: null, X1: "SGD", "X1-TH": "X1", "X1-PGD": "X1", "X1-PGD-MN2": "X1-PGD", X2: "SGD", "X2-THCS": "X2", THPT1: "SGD" };
const docs = new Map<string, number>();
const tokens = new Map<string, { Authorization: string }>();

function isAncestorOrSelf(a: string, b: string): boolean {
  for (let o: string | null = b; o; o = PARENT[o] ?? null) if (o === a) return true;
  return false;
}

beforeAll(async () => {
  t = await createTestApp();
  await createProvince(t.db);
  for (const code of ORGS) {
    const org = await t.db.organization.findUniqueOrThrow({ where: { code } });
    docs.set(code, (await t.db.document.create({ data: { template: "cong_van", issuerOrgId: org.id, data: SAMPLES.cong_van as object } })).id);
    tokens.set(code, { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "CLERK", orgCode: code })).token}` });
  }
});
afterAll(() => t.drop());

it("every user × document pair: 200 within the subtree, 404 outside it, for reads and writes alike", async () => {
  const wrong: string[] = [];
  for (const user of ORGS) {
    for (const issuer of ORGS) {
      const id = docs.get(issuer)!;
      const allowed = isAncestorOrSelf(user, issuer);
      const read = await request(t.app).get(`/api/v1/documents/${id}`).set(tokens.get(user)!);
      const preview = await request(t.app).get(`/api/v1/documents/${id}/preview.pdf`).set(tokens.get(user)!);
      const patch = await request(t.app).patch(`/api/v1/documents/${id}`).set(tokens.get(user)!).send({ data: SAMPLES.cong_van });
      const expected = allowed ? 200 : 404;
      for (const [what, res] of [["read", read], ["preview", preview], ["patch", patch]] as const) {
        if (res.status !== expected) wrong.push(`${user} ${what} ${issuer}'s document: ${res.status}, expected ${expected}`);
      }
      const create = await request(t.app).post("/api/v1/documents").set(tokens.get(user)!).send({ template: "cong_van", issuer, data: SAMPLES.cong_van });
      if (create.status !== (allowed ? 201 : 403)) wrong.push(`${user} drafts for ${issuer}: ${create.status}`);
    }
  }
  expect(wrong).toEqual([]);
}, 120_000);
