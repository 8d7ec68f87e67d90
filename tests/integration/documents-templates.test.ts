/** GET /templates: every template with its fields as JSON Schema, usable to build forms. */
import request from "supertest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createUserWithToken } from "../helpers/factories.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

let t: TestApp;
let auth: { Authorization: string };

beforeAll(async () => {
  t = await createTestApp();
  auth = { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "VIEWER" })).token}` };
});
afterAll(() => t.drop());

it("lists the seven letter templates and the three certificates with type names, abbreviations and JSON Schemas", async () => {
  const res = await request(t.app).get("/api/v1/templates").set(auth).expect(200);
  const byName = new Map(res.body.map((x: { name: string }) => [x.name, x]));
  expect([...byName.keys()].sort()).toEqual([
    "bao_cao",
    "chi_thi",
    "chung_nhan_kiem_dinh",
    "cong_nhan_chuan_quoc_gia",
    "cong_van",
    "giay_khen",
    "giay_moi",
    "ke_hoach",
    "quyet_dinh",
    "thong_bao",
  ]);
  expect(res.body.filter((x: { kind: string }) => x.kind === "certificate").map((x: { name: string }) => x.name)).toEqual([
    "chung_nhan_kiem_dinh",
    "cong_nhan_chuan_quoc_gia",
    "giay_khen",
  ]);
  expect(byName.get("cong_van")).toMatchObject({ label: "Công văn", type_name: "", abbreviation: null });
  expect(byName.get("quyet_dinh")).toMatchObject({ type_name: "QUYẾT ĐỊNH", abbreviation: "QĐ" });
  const giayMoi = byName.get("giay_moi") as {
    abbreviation: string;
    schema: { type: string; properties: Record<string, { type?: string; maxLength?: number }>; required: string[]; additionalProperties: boolean };
  };
  expect(giayMoi.abbreviation).toBe("GM");
  expect(giayMoi.schema.type).toBe("object");
  expect(giayMoi.schema.required).toEqual(expect.arrayContaining(["subject", "body", "signer", "recipients", "time", "place"]));
  expect(giayMoi.schema.properties.subject).toMatchObject({ type: "string", maxLength: 500 });
  expect(giayMoi.schema.properties.signer).toMatchObject({ type: "object", required: expect.arrayContaining(["title", "name"]) });
  expect(giayMoi.schema.additionalProperties).toBe(false);
  // Fields with defaults are optional in a form; limits checked after normalisation are kept.
  const congVan = byName.get("cong_van") as { schema: { required: string[]; properties: Record<string, { items?: { maxLength?: number } }> } };
  expect(congVan.schema.required).toEqual(["subject", "body", "signer"]);
  expect(congVan.schema.properties.recipients?.items?.maxLength).toBe(300);
  expect((await request(t.app).get("/api/v1/templates")).status).toBe(401);
});
