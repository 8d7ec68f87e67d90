/** Test data builders shared by the integration tests. */
import { randomBytes } from "node:crypto";
import type { Db } from "../../server/db/prisma.ts";
import { createToken } from "../../server/features/auth/create-token.ts";
import { hashPassword } from "../../server/features/auth/password-hash.ts";

type Kind = "MINISTRY" | "DEPARTMENT" | "COMMUNE" | "DISTRICT_OFFICE" | "SCHOOL" | "CENTER";
type Level = "MAM_NON" | "TIEU_HOC" | "THCS" | "THPT" | "NHIEU_CAP" | "GDTX";

/** Creates an organisation (and its principal when `principal` is given). */
export async function createOrg(
  db: Db,
  o: { code: string; name?: string; kind: Kind; level?: Level; parentCode?: string; principal?: string; phone?: string; symbol?: string; place?: string; governingBody?: string },
) {
  const parent = o.parentCode ? await db.organization.findUniqueOrThrow({ where: { code: o.parentCode } }) : null;
  const org = await db.organization.create({
    data: {
      code: o.code,
      name: o.name ?? `Đơn vị ${o.code}`,
      kind: o.kind,
      level: o.level ?? null,
      parentId: parent?.id ?? null,
      symbol: o.symbol ?? null,
      place: o.place ?? null,
      governingBody: o.governingBody ?? null,
    },
  });
  const principal = o.principal ? await db.person.create({ data: { name: o.principal, phone: o.phone ?? null, role: "PRINCIPAL", organizationId: org.id } }) : null;
  return { org, principal };
}

/**
 * A small province: Sở SGD with two communes and a THPT; each commune has a preschool, a primary
 * and a lower-secondary school; commune X1 also has a school two levels down (under a district office).
 */
export async function createProvince(db: Db) {
  await createOrg(db, {
    code: "SGD",
    name: "Sở Giáo dục và Đào tạo",
    kind: "DEPARTMENT",
    symbol: "SGDĐT",
    place: "Thành phố Hồ Chí Minh",
    governingBody: "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
  });
  await createOrg(db, { code: "THPT1", name: "Trường THPT Nguyễn Du", kind: "SCHOOL", level: "THPT", parentCode: "SGD", principal: "Nguyễn Văn An" });
  await createOrg(db, { code: "THPT2", name: "Trường THPT Lê Lợi", kind: "SCHOOL", level: "THPT", parentCode: "SGD", principal: "Trần Thị Bình" });
  for (const x of ["X1", "X2"]) {
    await createOrg(db, { code: x, name: `UBND xã ${x}`, kind: "COMMUNE", parentCode: "SGD" });
    await createOrg(db, { code: `${x}-MN`, name: `Trường Mầm non ${x}`, kind: "SCHOOL", level: "MAM_NON", parentCode: x, principal: `Hiệu trưởng MN ${x}` });
    await createOrg(db, { code: `${x}-TH`, name: `Trường Tiểu học ${x}`, kind: "SCHOOL", level: "TIEU_HOC", parentCode: x, principal: `Hiệu trưởng TH ${x}` });
    await createOrg(db, { code: `${x}-THCS`, name: `Trường THCS ${x}`, kind: "SCHOOL", level: "THCS", parentCode: x, principal: `Hiệu trưởng THCS ${x}` });
  }
  await createOrg(db, { code: "X1-PGD", name: "Phòng GD&ĐT cũ", kind: "DISTRICT_OFFICE", parentCode: "X1" });
  await createOrg(db, { code: "X1-PGD-MN2", name: "Trường Mầm non Hoa Sen", kind: "SCHOOL", level: "MAM_NON", parentCode: "X1-PGD", principal: "Lê Thị Hoa" });
}

/** Creates a user and returns a bearer token for it. */
export async function createUserWithToken(db: Db, o: { role?: "ADMIN" | "OFFICER" | "CLERK" | "VIEWER"; orgCode?: string } = {}) {
  const email = `u${randomBytes(4).toString("hex")}@sgd.example.vn`;
  const password = "mat-khau-du-dai";
  const org = o.orgCode ? await db.organization.findUniqueOrThrow({ where: { code: o.orgCode } }) : null;
  const user = await db.user.create({
    data: { email, name: "Cán bộ", passwordHash: await hashPassword(password), role: o.role ?? "ADMIN", organizationId: org?.id ?? null },
  });
  const { token } = await createToken(db, { email, password });
  return { user, token, email, password };
}

/** Links a person to a Telegram chat directly (the bot flow is tested on its own). */
export async function linkTelegram(db: Db, personId: number, chatId: string | number) {
  return db.chatIdentity.create({ data: { personId, channel: "TELEGRAM", externalId: String(chatId) } });
}
