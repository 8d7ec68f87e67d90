import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeZaloOa, type FakeZaloOa } from "../helpers/fake-zalo-oa.ts";
import { createTestDb, type TestDb } from "../helpers/test-db.ts";

const root = path.resolve(import.meta.dirname, "../..");
const USER = "8471234567890123456";

/** Lines a child prints, as a queue the test can wait on. */
function linesOf(child: ChildProcessWithoutNullStreams) {
  const lines: string[] = [];
  let buffer = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    buffer += d.toString("utf8");
    const parts = buffer.split("\n");
    buffer = parts.pop()!;
    lines.push(...parts.filter(Boolean));
  });
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  return {
    async next(timeoutMs = 20_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      while (!lines.length) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`child gave no line: ${stderr.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return lines.shift()!;
    },
  };
}

describe("Zalo OA token refresh across real processes", () => {
  let t: TestDb;
  let zalo: FakeZaloOa;

  beforeAll(async () => {
    t = await createTestDb();
    // A slow OAuth answer keeps the race window wide open.
    zalo = await startFakeZaloOa({ oauthLatencyMs: 300 });
    zalo.addUser(USER);
  });
  afterAll(async () => {
    await zalo.close();
    await t.drop();
  });

  it("two processes whose token expired together rotate it exactly once and lose no message", async () => {
    const args = {
      databaseUrl: t.url,
      apiBase: zalo.apiBase,
      oauthBase: zalo.oauthBase,
      templateBase: zalo.templateBase,
      appId: zalo.appId,
      appSecret: zalo.appSecret,
      oaId: zalo.oaId,
      seed: zalo.pair,
      userId: USER,
      count: 20,
    };
    const children = [0, 1].map(() =>
      spawn(process.execPath, ["--import", "tsx", "tests/helpers/zalo-oa-token-process.ts", JSON.stringify(args)], { cwd: root, stdio: ["pipe", "pipe", "pipe"] }),
    );
    try {
      const outs = children.map(linesOf);
      for (const o of outs) expect(await o.next()).toBe("ready");
      // Both processes hold the same token in memory; Zalo now refuses it.
      zalo.expireAccessTokens(-216);
      for (const c of children) c.stdin.write("go\n");
      const results = await Promise.all(outs.map(async (o) => JSON.parse(await o.next()) as { sent: number; failures: string[] }));
      expect(results).toEqual([
        { sent: 20, failures: [] },
        { sent: 20, failures: [] },
      ]);
      expect(zalo.stats.oauthCalls).toBe(1);
      expect(zalo.stats.rotations).toBe(1);
      expect(zalo.stats.refreshRefused).toBe(0);
      expect(zalo.sentTo(USER)).toHaveLength(40);
      const row = await t.db.zaloOaToken.findUnique({ where: { oaId: zalo.oaId } });
      expect(row).toMatchObject({ rotations: 1, accessToken: zalo.pair.accessToken, refreshToken: zalo.pair.refreshToken, needsAdminAt: null });
    } finally {
      for (const c of children) if (c.exitCode === null) c.kill();
    }
  }, 60_000);
});
