// Prisma CLI configuration. The URL is only needed by `prisma migrate`/`studio` for users who have
// Prisma's native engine; chidao itself migrates through server/db/migrate.ts.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/chidao" },
});
