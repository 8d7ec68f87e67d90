/**
 * A separate process that sends through the Zalo OA client with the database-backed token store, for
 * the cross-process refresh test. Configuration arrives as JSON in argv[2]. It loads its token, says
 * "ready", waits for "go" on stdin (so that several processes start together), sends `count` messages
 * at once, and prints one JSON line with what happened.
 */
import { createInterface } from "node:readline";
import { refreshZaloOaToken } from "../../bot/channels/zalo-oa/refresh-zalo-oa-token.ts";
import { createZaloOaClient } from "../../bot/channels/zalo-oa/zalo-oa-client.ts";
import { createPrisma } from "../../server/db/prisma.ts";
import { createZaloOaTokenStore } from "../../server/features/zalo/create-zalo-oa-token-store.ts";

type Args = {
  databaseUrl: string;
  apiBase: string;
  oauthBase: string;
  templateBase: string;
  appId: string;
  appSecret: string;
  oaId: string;
  seed: { accessToken: string; refreshToken: string };
  userId: string;
  count: number;
};

const a = JSON.parse(process.argv[2]!) as Args;
const db = createPrisma(a.databaseUrl, 4);
const store = createZaloOaTokenStore(db, {
  oaId: a.oaId,
  seed: a.seed,
  refresh: (refreshToken, signal) => refreshZaloOaToken({ oauthBase: a.oauthBase, appId: a.appId, appSecret: a.appSecret, refreshToken, ...(signal ? { signal } : {}) }),
});
const client = createZaloOaClient({ apiBase: a.apiBase, templateBase: a.templateBase, tokens: store });
await store.accessToken();
process.stdout.write("ready\n");
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line.trim() === "go") break;
const results = await Promise.allSettled(Array.from({ length: a.count }, (_, i) => client.sendText({ userId: a.userId, text: `tin ${process.pid}-${i}` })));
const failures = results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason?.message ?? r));
process.stdout.write(`${JSON.stringify({ sent: results.length - failures.length, failures })}\n`);
await db.$disconnect();
process.exit(0);
