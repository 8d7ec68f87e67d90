/** Builds the Prisma client over node-postgres (`@prisma/adapter-pg`); the client is WebAssembly, no native engine. */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.ts";

export type Db = PrismaClient;
export type { Prisma } from "./generated/client.ts";

/** Creates a Prisma client for `databaseUrl` with a pool of at most `max` connections. */
export function createPrisma(databaseUrl: string, max = 10): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max }) });
}
