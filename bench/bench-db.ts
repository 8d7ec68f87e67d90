/** A fresh database for a benchmark run, migrated and seeded with N schools whose principals have linked Telegram chats. */
import pg from "pg";
import { migrate } from "../server/db/migrate.ts";
import { createPrisma, type Db } from "../server/db/prisma.ts";
import { dbUrl, TEST_PG_ADMIN_URL } from "../tests/helpers/test-env.ts";

export async function createBenchDb(name: string): Promise<{ url: string; db: Db; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = dbUrl(name);
  await migrate(url);
  const db = createPrisma(url, 20);
  return {
    url,
    db,
    async drop() {
      await db.$disconnect();
      const c = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** One Sở with `n` THPT schools, each with a principal linked to Telegram chat 100000+i. */
export async function seedSchools(db: Db, n: number): Promise<void> {
  const sgd = await db.organization.create({ data: { code: "SGD", name: "Sở Giáo dục và Đào tạo", kind: "DEPARTMENT" } });
  const orgs = Array.from({ length: n }, (_, i) => ({ code: `S${i}`, name: `Trường THPT số ${i}`, kind: "SCHOOL" as const, level: "THPT" as const, parentId: sgd.id }));
  for (let i = 0; i < n; i += 5000) await db.organization.createMany({ data: orgs.slice(i, i + 5000) });
  await db.$executeRaw`INSERT INTO "Person" (name, role, "organizationId", "updatedAt") SELECT 'Hiệu trưởng ' || o.code, 'PRINCIPAL', o.id, now() FROM "Organization" o WHERE o.kind = 'SCHOOL'`;
  await db.$executeRaw`INSERT INTO "ChatIdentity" ("personId", channel, "externalId", "updatedAt") SELECT p.id, 'TELEGRAM', (100000 + p.id)::text, now() FROM "Person" p`;
}
