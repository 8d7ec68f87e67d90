// Generates the Prisma client after `npm install`/`npm ci`. Generation needs no native engine, but the
// CLI insists that one exists; PRISMA_SCHEMA_ENGINE_BINARY pointing at any file satisfies it offline
// (../shared/docs/PRISMA-OFFLINE.md).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = existsSync("/bin/true") ? "/bin/true" : process.execPath;
execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "generate"], { stdio: "inherit", env });
