/**
 * Runs the Zalo OA stand-in (tests/helpers/fake-zalo-oa.ts) in its own process for the benchmarks, so
 * its work shares no event loop with chidao or the load. Options come as JSON in argv[2]. IPC: it
 * announces its hosts and keys once ready; requests `{ id, cmd }` are answered with `{ id, result }`:
 * "addUsers" (`users`: followers who wrote a minute ago), "stats" (sends, rejections by Zalo code,
 * first and last accepted send since the last "reset"), "reset", "setRateLimit" (`rateLimit`, or
 * null for none), "close".
 */
import { startFakeZaloOa, type FakeZaloOaOptions } from "../../tests/helpers/fake-zalo-oa.ts";

const options = JSON.parse(process.argv[2] ?? "{}") as FakeZaloOaOptions;
const oa = await startFakeZaloOa(options);

type Request = { id: number; cmd: "addUsers" | "stats" | "reset" | "setRateLimit" | "close"; users?: string[]; rateLimit?: FakeZaloOaOptions["rateLimit"] | null };

function stats() {
  // `sent` grows in order: its first and last entries bound the sustained rate.
  const first = oa.sent[0]?.at ?? null;
  const last = oa.sent[oa.sent.length - 1]?.at ?? null;
  return { sent: oa.stats.sent, rejected: { ...oa.stats.rejected }, rotations: oa.stats.rotations, firstSentAt: first, lastSentAt: last };
}

process.on("message", (msg) => {
  const req = msg as Request;
  switch (req.cmd) {
    case "addUsers":
      for (const u of req.users ?? []) oa.addUser(u);
      process.send!({ id: req.id, result: req.users?.length ?? 0 });
      return;
    case "stats":
      process.send!({ id: req.id, result: stats() });
      return;
    case "reset":
      // A phase's figures start from zero.
      oa.sent.length = 0;
      oa.calls.length = 0;
      oa.stats.sent = 0;
      oa.stats.rejected = {};
      process.send!({ id: req.id, result: true });
      return;
    case "setRateLimit":
      if (req.rateLimit) options.rateLimit = req.rateLimit;
      else delete options.rateLimit;
      process.send!({ id: req.id, result: true });
      return;
    case "close":
      void oa.close().then(() => process.exit(0));
      return;
  }
});
// Orphaned (the benchmark died): go too.
process.on("disconnect", () => process.exit(0));
process.send!({
  ready: true,
  apiBase: oa.apiBase,
  oauthBase: oa.oauthBase,
  templateBase: oa.templateBase,
  appId: oa.appId,
  oaId: oa.oaId,
  appSecret: oa.appSecret,
  oaSecretKey: oa.oaSecretKey,
  accessToken: oa.pair.accessToken,
  refreshToken: oa.pair.refreshToken,
});
