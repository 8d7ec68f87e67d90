/**
 * Object-level access over the organisation tree, as one table: every /api/v1 route that takes an id
 * or an organisation code × the caller's role × where the target sits relative to the caller's office
 * → the expected answer. The tree and the targets are built once; each cell is one real request.
 *
 * The rule the table encodes: an office reaches itself and everything below it, at any depth, and
 * nothing above or beside it. A directive belongs to its issuing office (not to its audience); a
 * document to its issuer. Ids outside one's reach are 404 (as if they did not exist); naming an
 * organisation outside one's reach in a body or query is 403 or 404 as each route documents; a role
 * that may not write is 403 before anything is looked up.
 */
import request, { type Response } from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLES } from "../fixtures/document-samples.ts";
import { createOrg, createUserWithToken } from "../helpers/factories.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { asBuffer } from "../helpers/binary-body.ts";

/**
 * The caller's office is U. Its child C, grandchild G and great-grandchild GG are inside its reach;
 * its parent A, grandparent R, sibling S, the sibling's child S1, the parent's sibling B and Z, the
 * root of another tree, are outside.
 *
 *     R ─┬─ A ─┬─ U ─ C ─ G ─ GG        Z
 *        │     └─ S ─ S1
 *        └─ B
 */
const POSITIONS = ["own", "child", "grandchild", "great-grandchild", "parent", "grandparent", "sibling", "nephew", "uncle", "unrelated"] as const;
type Position = (typeof POSITIONS)[number];
const INSIDE: readonly Position[] = ["own", "child", "grandchild", "great-grandchild"];
const TREE: { pos: Position; code: string; kind: "MINISTRY" | "DEPARTMENT" | "COMMUNE" | "DISTRICT_OFFICE" | "CENTER"; parent?: string }[] = [
  { pos: "grandparent", code: "R", kind: "MINISTRY" },
  { pos: "parent", code: "A", kind: "DEPARTMENT", parent: "R" },
  { pos: "uncle", code: "B", kind: "DEPARTMENT", parent: "R" },
  { pos: "own", code: "U", kind: "COMMUNE", parent: "A" },
  { pos: "child", code: "C", kind: "DISTRICT_OFFICE", parent: "U" },
  { pos: "grandchild", code: "G", kind: "CENTER", parent: "C" },
  { pos: "great-grandchild", code: "GG", kind: "CENTER", parent: "G" },
  { pos: "sibling", code: "S", kind: "COMMUNE", parent: "A" },
  { pos: "nephew", code: "S1", kind: "DISTRICT_OFFICE", parent: "S" },
  { pos: "unrelated", code: "Z", kind: "DEPARTMENT" },
];

/** "system" is an ADMIN without an organisation; the others belong to U. */
const ROLES = ["system", "ADMIN", "OFFICER", "CLERK", "VIEWER"] as const;
type Role = (typeof ROLES)[number];

type Target = { code: string; orgId: number; personId: number; draftId: number; issuedId: number; directiveId: number };
type Case = { role: Role; pos: Position; auth: { Authorization: string }; target: Target; n: number };

/**
 * How each route is called for one case. Routes that use their target up (issue, withdraw) get a
 * fresh one per case; the rest share the targets built once.
 */
const REQUESTS = {
  "GET /directives/:id": (c: Case) => get(c, `/api/v1/directives/${c.target.directiveId}`),
  "GET /directives/:id/recipients": (c: Case) => get(c, `/api/v1/directives/${c.target.directiveId}/recipients`),
  "GET /directives/:id/recipients.xlsx": (c: Case) => get(c, `/api/v1/directives/${c.target.directiveId}/recipients.xlsx`),
  "GET /directives/:id/replies": (c: Case) => get(c, `/api/v1/directives/${c.target.directiveId}/replies`),
  "POST /directives/:id/publish": (c: Case) => request(t.app).post(`/api/v1/directives/${c.target.directiveId}/publish`).set(c.auth),
  "POST /directives {audience.under}": (c: Case) => postDirective(c, { audience: { under: c.target.code } }),
  "POST /directives {document_id: issued}": (c: Case) => postDirective(c, { audience: {}, document_id: c.target.issuedId }),
  "POST /directives {document_id: draft}": (c: Case) => postDirective(c, { audience: {}, document_id: c.target.draftId }),
  "GET /orgs?under=": (c: Case) => get(c, `/api/v1/orgs?under=${c.target.code}`),
  "GET /orgs/:code": (c: Case) => get(c, `/api/v1/orgs/${c.target.code}`),
  "PATCH /orgs/:code": (c: Case) =>
    request(t.app)
      .patch(`/api/v1/orgs/${c.target.code}`)
      .set(c.auth)
      .send({ place: `Nơi ${c.n}` }),
  "POST /orgs/import {parent_code}": (c: Case) =>
    request(t.app)
      .post("/api/v1/orgs/import")
      .set(c.auth)
      .set("Content-Type", "text/csv")
      .send(`code,name,kind,level,parent_code\nNEW${c.n},Trường ${c.n},school,thcs,${c.target.code}\n`),
  "GET /people?org=": (c: Case) => get(c, `/api/v1/people?org=${c.target.code}`),
  "POST /people/:id/link-code": (c: Case) => request(t.app).post(`/api/v1/people/${c.target.personId}/link-code`).set(c.auth),
  "POST /documents {issuer}": (c: Case) => request(t.app).post("/api/v1/documents").set(c.auth).send({ template: "cong_van", issuer: c.target.code, data: SAMPLES.cong_van }),
  "GET /documents?issuer=": (c: Case) => get(c, `/api/v1/documents?issuer=${c.target.code}`),
  "GET /documents/:id": (c: Case) => get(c, `/api/v1/documents/${c.target.draftId}`),
  "GET /documents/:id/preview.pdf": (c: Case) => get(c, `/api/v1/documents/${c.target.draftId}/preview.pdf`),
  "GET /documents/:id.pdf": (c: Case) => get(c, `/api/v1/documents/${c.target.issuedId}.pdf`),
  "GET /documents/:id.docx": (c: Case) => get(c, `/api/v1/documents/${c.target.issuedId}.docx`),
  "PATCH /documents/:id": (c: Case) => request(t.app).patch(`/api/v1/documents/${c.target.draftId}`).set(c.auth).send({ data: SAMPLES.cong_van }),
  "POST /documents/:id/issue": async (c: Case) =>
    request(t.app)
      .post(`/api/v1/documents/${await draftOf(c.target.orgId)}/issue`)
      .set(c.auth)
      .send({}),
  "POST /documents/:id/withdraw": async (c: Case) =>
    request(t.app)
      .post(`/api/v1/documents/${await issuedOf(c.target.code)}/withdraw`)
      .set(c.auth)
      .send({ reason: "Thu hồi" }),
  "GET /register?issuer=": (c: Case) => get(c, `/api/v1/register?issuer=${c.target.code}`),
  "GET /register.xlsx?issuer=": (c: Case) => get(c, `/api/v1/register.xlsx?issuer=${c.target.code}`),
  "GET /templates": (c: Case) => get(c, "/api/v1/templates"),
} satisfies Record<string, (c: Case) => PromiseLike<Response>>;
type RouteName = keyof typeof REQUESTS;

/**
 * The expected answer per role. A cell is one answer for every position, or "inside/outside": the
 * first for own, child, grandchild and great-grandchild, the second for parent, grandparent,
 * sibling, nephew, uncle and unrelated. "row-error" is an import answered 200 that refused its row.
 */
// prettier-ignore
const MATRIX: [RouteName, string, string, string, string, string][] = [
  //  route                                     system  ADMIN      OFFICER    CLERK      VIEWER
  ["GET /directives/:id",                      "200",  "200/404", "200/404", "200/404", "200/404"],
  ["GET /directives/:id/recipients",           "200",  "200/404", "200/404", "200/404", "200/404"],
  ["GET /directives/:id/recipients.xlsx",      "200",  "200/404", "200/404", "200/404", "200/404"],
  ["GET /directives/:id/replies",              "200",  "200/404", "200/404", "200/404", "200/404"],
  ["POST /directives/:id/publish",             "202",  "202/404", "202/404", "403",     "403"],
  ["POST /directives {audience.under}",        "201",  "201/403", "201/403", "403",     "403"],
  ["POST /directives {document_id: issued}",   "201",  "201/422", "201/422", "403",     "403"],
  ["POST /directives {document_id: draft}",    "422",  "422",     "422",     "403",     "403"],
  ["GET /orgs?under=",                         "200",  "200/404", "200/404", "200/404", "200/404"],
  ["GET /orgs/:code",                          "200",  "200/404", "200/404", "200/404", "200/404"],
  ["PATCH /orgs/:code",                        "200",  "200/404", "200/404", "403",     "403"],
  ["POST /orgs/import {parent_code}",          "200",  "200/row-error", "200/row-error", "403", "403"],
  ["GET /people?org=",                         "200",  "200/404", "200/404", "200/404", "200/404"],
  ["POST /people/:id/link-code",               "201",  "201/404", "201/404", "403",     "403"],
  ["POST /documents {issuer}",                 "201",  "201/403", "201/403", "201/403", "403"],
  ["GET /documents?issuer=",                   "200",  "200/403", "200/403", "200/403", "200/403"],
  ["GET /documents/:id",                       "200",  "200/404", "200/404", "200/404", "200/404"],
  ["GET /documents/:id/preview.pdf",           "200",  "200/404", "200/404", "200/404", "200/404"],
  ["GET /documents/:id.pdf",                   "200",  "200/404", "200/404", "200/404", "200/404"],
  ["GET /documents/:id.docx",                  "200",  "200/404", "200/404", "200/404", "200/404"],
  ["PATCH /documents/:id",                     "200",  "200/404", "200/404", "200/404", "403"],
  ["POST /documents/:id/issue",                "200",  "200/404", "403",     "200/404", "403"],
  ["POST /documents/:id/withdraw",             "200",  "200/404", "403",     "200/404", "403"],
  ["GET /register?issuer=",                    "200",  "200/403", "200/403", "200/403", "200/403"],
  ["GET /register.xlsx?issuer=",               "200",  "200/403", "200/403", "200/403", "200/403"],
  ["GET /templates",                           "200",  "200",     "200",     "200",     "200"],
];

/**
 * Lists without a target: which positions' objects each role sees. "inside" is own and the offices
 * below it; "own" the caller's office alone; "all" every position; a number is a status.
 */
// prettier-ignore
const LISTS: [string, (r: Response) => string[], string, string, string, string, string][] = [
  //  route                          what names a position                              system  ADMIN     OFFICER   CLERK     VIEWER
  ["GET /orgs",                      (r) => r.body.map((o: { code: string }) => o.code),            "all",  "inside", "inside", "inside", "inside"],
  ["GET /people",                    (r) => r.body.map((p: { org_code: string }) => p.org_code),    "all",  "inside", "inside", "inside", "inside"],
  ["GET /documents?limit=500",       (r) => r.body.map((d: { issuer: string }) => d.issuer),        "all",  "own",    "own",    "own",    "own"],
  ["GET /register",                  (r) => [r.body.issuer.code],                                   "422",  "own",    "own",    "own",    "own"],
];

let t: TestApp;
const targets = new Map<Position, Target>();
const auths = new Map<Role, { Authorization: string }>();
let counter = 0;

const get = (c: Case, path: string) => asBuffer(request(t.app).get(path).set(c.auth));
const postDirective = (c: Case, body: object) =>
  request(t.app)
    .post("/api/v1/directives")
    .set(c.auth)
    .send({ title: `Chỉ đạo ${c.n}`, body: "Nội dung", ...body });

async function draftOf(orgId: number): Promise<number> {
  return (await t.db.document.create({ data: { template: "cong_van", issuerOrgId: orgId, data: SAMPLES.cong_van! as object } })).id;
}

/** An issued document of `code`, issued through the API by the system administrator (files and register entry included). */
async function issuedOf(code: string): Promise<number> {
  const system = auths.get("system")!;
  const draft = await request(t.app).post("/api/v1/documents").set(system).send({ template: "cong_van", issuer: code, data: SAMPLES.cong_van }).expect(201);
  await request(t.app).post(`/api/v1/documents/${draft.body.id}/issue`).set(system).send({}).expect(200);
  return draft.body.id;
}

/** A draft directive issued by `orgId` (superiors address U's subtree, as the hole needed; the rest their own). */
async function directiveOf(pos: Position, orgId: number, uId: number): Promise<number> {
  const underOrgId = pos === "parent" || pos === "grandparent" ? uId : orgId;
  const audience = await t.db.audience.create({ data: { kinds: [], levels: [], underOrgId } });
  return (await t.db.directive.create({ data: { title: `Chỉ đạo của ${pos}`, body: "Nội dung", audienceId: audience.id, issuerOrgId: orgId } })).id;
}

function expected(cell: string, pos: Position): string {
  const [inside, outside] = cell.split("/") as [string, string?];
  return INSIDE.includes(pos) ? inside : (outside ?? inside);
}

function outcome(res: Response): string {
  if (res.status === 200 && Array.isArray(res.body?.errors) && res.body.errors.length > 0) return "row-error";
  return String(res.status);
}

beforeAll(async () => {
  t = await createTestApp();
  for (const o of TREE) {
    await createOrg(t.db, { code: o.code, kind: o.kind, ...(o.parent ? { parentCode: o.parent } : {}), symbol: `S${o.code}`, place: "Hà Nội" });
    // A school with a principal below every office, so that an audience under any of them reaches someone.
    await createOrg(t.db, { code: `${o.code}-T`, kind: "SCHOOL", level: "THCS", parentCode: o.code, principal: `Hiệu trưởng ${o.code}` });
  }
  auths.set("system", { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: "ADMIN" })).token}` });
  for (const role of ROLES.filter((r) => r !== "system")) {
    auths.set(role, { Authorization: `Bearer ${(await createUserWithToken(t.db, { role: role as Exclude<Role, "system">, orgCode: "U" })).token}` });
  }
  const uId = (await t.db.organization.findUniqueOrThrow({ where: { code: "U" } })).id;
  for (const o of TREE) {
    const orgId = (await t.db.organization.findUniqueOrThrow({ where: { code: o.code } })).id;
    const person = await t.db.person.create({ data: { name: `Cán bộ ${o.code}`, role: "STAFF", organizationId: orgId } });
    targets.set(o.pos, {
      code: o.code,
      orgId,
      personId: person.id,
      draftId: await draftOf(orgId),
      issuedId: await issuedOf(o.code),
      directiveId: await directiveOf(o.pos, orgId, uId),
    });
  }
}, 120_000);
afterAll(() => t.drop());

describe("lists show each role exactly the positions within its reach", () => {
  it.each(LISTS.map(([route, names, ...cells]) => ({ route, names, cells })))("$route", async ({ route, names, cells }) => {
    const wrong: string[] = [];
    for (const [i, role] of ROLES.entries()) {
      const res = await request(t.app)
        .get(`/api/v1${route.slice(4)}`)
        .set(auths.get(role)!);
      const cell = cells[i]!;
      if (/^\d+$/.test(cell)) {
        if (String(res.status) !== cell) wrong.push(`${role}: ${res.status}, expected ${cell}`);
        continue;
      }
      if (res.status !== 200) {
        wrong.push(`${role}: ${res.status}, expected 200`);
        continue;
      }
      const seen = new Set(names(res));
      const sees = POSITIONS.filter((p) => seen.has(targets.get(p)!.code));
      const want = cell === "all" ? POSITIONS : cell === "inside" ? INSIDE : ["own"];
      if (sees.join() !== want.join()) wrong.push(`${role}: sees ${sees.join(", ")}; expected ${want.join(", ")}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe("route × role × position of the target", () => {
  it.each(MATRIX.map(([route, ...cells]) => ({ route, cells })))(
    "$route",
    async ({ route, cells }) => {
      const wrong: string[] = [];
      for (const [i, role] of ROLES.entries()) {
        for (const pos of POSITIONS) {
          const want = expected(cells[i]!, pos);
          const res = await REQUESTS[route]({ role, pos, auth: auths.get(role)!, target: targets.get(pos)!, n: ++counter });
          const got = outcome(res);
          if (got !== want) wrong.push(`${role} → ${pos}: ${got}, expected ${want}`);
        }
      }
      expect(wrong).toEqual([]);
    },
    60_000,
  );
});
