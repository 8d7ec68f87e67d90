/**
 * Runs the Bot API stand-in in its own process for benchmarks, so its work does not share an event
 * loop with the workers being measured. Options come as JSON in argv[2]; it answers the IPC message
 * "stats" with its counters and "close" by exiting.
 */
import { startFakeTelegram, type FakeTelegramOptions } from "../tests/helpers/fake-telegram.ts";

const options = JSON.parse(process.argv[2] ?? "{}") as FakeTelegramOptions;
const tg = await startFakeTelegram({ ...options, recordCalls: false });

process.on("message", (msg) => {
  if (msg === "stats") process.send!({ stats: { ...tg.stats } });
  else if (msg === "close") void tg.close().then(() => process.exit(0));
});
process.send!({ ready: true, apiRoot: tg.apiRoot, token: tg.token });
