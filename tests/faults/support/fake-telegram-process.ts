/**
 * Runs the Bot API stand-in in its own process (benchmarks and the fault suite), so its work does not
 * share an event loop with the processes being measured, and it outlives every process a scenario
 * kills. Options come as JSON in argv[2]. IPC: the string "stats" is answered with `{ stats }`, "close"
 * exits; a request `{ id, cmd }` is answered with `{ id, result }`, where cmd is "stats", "chatLog"
 * (sends per chat, in order), "calls" (with `method`: that method's recorded calls) or "pressAcks"
 * (with `chats` and `times`: presses the acknowledge buttons of those chats' messages); for the
 * benchmarks also "counts" (calls per method), "reset" (send statistics back to zero), "setRateLimit"
 * (`rateLimit`, or null) and "messagesWith" (`data`: every message whose keyboard carries that
 * callback data, as Telegram would put it in a callback query).
 */
import { startFakeTelegram, type FakeTelegramOptions } from "../../helpers/fake-telegram.ts";

const options = JSON.parse(process.argv[2] ?? "{}") as FakeTelegramOptions;
const tg = await startFakeTelegram({ recordCalls: false, ...options });

type Request = {
  id: number;
  cmd: "stats" | "chatLog" | "calls" | "pressAcks" | "counts" | "reset" | "setRateLimit" | "messagesWith";
  method?: string;
  chats?: string[];
  times?: number;
  rateLimit?: { perSecond: number } | null;
  data?: string;
};

/** The principal of each chat in `chats` presses the "Đã nhận" button of every message it got, `times` times. */
function pressAcks(chats: string[], times: number): number {
  let pressed = 0;
  for (const chat of chats) {
    for (const m of tg.messagesTo(chat)) {
      const data = (m.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard
        ?.flat()
        .find((b) => b.callback_data?.startsWith("ack:"))?.callback_data;
      if (!data) continue;
      for (let i = 0; i < times; i++, pressed++) tg.pressButton(chat, m.message_id, data);
    }
  }
  return pressed;
}

function answer(req: Request): unknown {
  switch (req.cmd) {
    case "stats":
      return { ...tg.stats };
    case "chatLog":
      return [...tg.chatLog.entries()];
    case "calls":
      return tg.callsOf(req.method ?? "").map((c) => ({ at: c.at, params: c.params }));
    case "pressAcks":
      return pressAcks(req.chats ?? [], req.times ?? 1);
    case "counts":
      return { ...tg.counts };
    case "reset":
      Object.assign(tg.stats, { sent: 0, rejected429: 0, rejected403: 0, rejectedOther: 0, firstSentAt: null, lastSentAt: null });
      for (const k of Object.keys(tg.counts)) delete tg.counts[k];
      return true;
    case "setRateLimit":
      tg.setRateLimit(req.rateLimit ?? null);
      return true;
    case "messagesWith":
      return [...tg.messages.values()].filter((m) =>
        (m.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard?.flat().some((b) => b.callback_data === req.data),
      );
  }
}

process.on("message", (msg) => {
  if (msg === "stats") process.send!({ stats: { ...tg.stats } });
  else if (msg === "close") void tg.close().then(() => process.exit(0));
  else if (typeof msg === "object" && msg !== null && "cmd" in msg) process.send!({ id: (msg as Request).id, result: answer(msg as Request) });
});
// Orphaned (the test runner died): go too.
process.on("disconnect", () => process.exit(0));
process.send!({ ready: true, apiRoot: tg.apiRoot, token: tg.token, username: tg.username });
