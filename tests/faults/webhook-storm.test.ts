/**
 * Each webhook update delivered five times, concurrently and out of order, spread over two web
 * processes in webhook mode (PUBLIC_URL set, secret checked): button presses and text replies
 * ("đã nhận ạ") of principals who got a directive.
 * Proves: exactly one effect per update — one acknowledgement row per principal, one callback answer
 * per press, one reply per text, every copy answered 200.
 */
import { afterAll, expect, it } from "vitest";
import { freePort } from "../helpers/free-port.ts";
import { printFigures, publish, startDeployment, type ChidaoProcess, type Deployment } from "./support/processes.ts";

const RECIPIENTS = 200;
const COPIES = 5;
const SECRET = "fault-suite-webhook-secret";

let d: Deployment | undefined;
afterAll(() => d?.close());

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

it("gives each update exactly one effect, however often and in whatever order it comes", async () => {
  const t0 = Date.now();
  d = await startDeployment({ recipients: RECIPIENTS, standIn: { recordCalls: true, chatLog: true } });
  const dep = d;
  const startWeb = async (name: string): Promise<ChidaoProcess> => {
    const port = await freePort();
    return dep.start("web", { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, TELEGRAM_WEBHOOK_SECRET: SECRET }, name);
  };
  const [webA, webB] = await Promise.all([startWeb("web-a"), startWeb("web-b"), dep.start("worker")]);
  const id = await dep.createDirective(webA, "Bão webhook");
  expect(await publish(webA, dep.auth, id)).toBe(202);
  await dep.settled(id, 30_000);
  const deliveries = await dep.db.delivery.findMany({ where: { directiveId: id }, select: { externalChatId: true, platformMessageId: true } });

  // Half the principals press the button under the directive, the other half write back.
  let updateId = 500_000;
  const updates = deliveries.map((row, i) => {
    const chat = Number(row.externalChatId);
    const from = { id: chat, is_bot: false, first_name: `HT ${chat}`, language_code: "vi" };
    if (i % 2 === 0) {
      const message = {
        message_id: Number(row.platformMessageId),
        chat: { id: chat, type: "private" },
        date: Math.floor(Date.now() / 1000),
        text: "📢 Bão webhook",
        reply_markup: { inline_keyboard: [[{ text: "✅ Đã nhận", callback_data: `ack:${id}` }]] },
      };
      return { update_id: updateId++, callback_query: { id: `cb-${chat}`, from, message, chat_instance: `ci-${chat}`, data: `ack:${id}` } };
    }
    return { update_id: updateId++, message: { message_id: 900_000 + i, from, chat: { id: chat, type: "private" }, date: Math.floor(Date.now() / 1000), text: "đã nhận ạ" } };
  });
  const copies = shuffle(updates.flatMap((u) => Array.from({ length: COPIES }, () => u)));
  const statuses: number[] = [];
  let next = 0;
  const post = async () => {
    while (next < copies.length) {
      const n = next++;
      const web = n % 2 ? webA : webB;
      const res = await fetch(`${web.url}/webhooks/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
        body: JSON.stringify(copies[n]),
      });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
  };
  const stormStart = Date.now();
  await Promise.all(Array.from({ length: 40 }, post));
  const stormMs = Date.now() - stormStart;
  // Effects that leave the webhook's answer (edits after the callback answer) finish shortly after.
  await new Promise((r) => setTimeout(r, 1000));

  const acks = await dep.db.acknowledgement.groupBy({ by: ["personId"], where: { directiveId: id }, _count: true });
  const answers = await dep.standIn.calls("answerCallbackQuery");
  const answersPerPress = new Map<string, number>();
  for (const a of answers) answersPerPress.set(String(a.params.callback_query_id), (answersPerPress.get(String(a.params.callback_query_id)) ?? 0) + 1);
  const log = await dep.standIn.chatLog();
  const textChats = updates.filter((u) => u.message).map((u) => String(u.message!.chat.id));
  // Each text chat got the directive, then one reply.
  const repliesPerText = textChats.map((c) => (log.get(c) ?? []).filter((e) => e.code === 200).length - 1);
  const edits = await dep.standIn.calls("editMessageText");
  const editsPerChat = new Map<string, number>();
  for (const e of edits) editsPerChat.set(String(e.params.chat_id), (editsPerChat.get(String(e.params.chat_id)) ?? 0) + 1);
  const processed = await dep.db.inboxEvent.count();
  const errors = [webA, webB].flatMap((p) => p.errors);

  printFigures(`${updates.length} webhook updates × ${COPIES} copies, concurrent and shuffled, over 2 web processes`, {
    "webhook posts / answered 200": `${statuses.length} / ${statuses.filter((s) => s === 200).length}`,
    "acknowledgement rows / principals who answered": `${acks.length} / ${updates.length}`,
    "principals with more than one row": acks.filter((a) => a._count > 1).length,
    "callback answers per press (min–max)": `${Math.min(...answersPerPress.values())}–${Math.max(...answersPerPress.values())} over ${answersPerPress.size} presses`,
    "message edits per pressed chat (min–max)": `${Math.min(...editsPerChat.values())}–${Math.max(...editsPerChat.values())}`,
    "replies per text update (min–max)": `${Math.min(...repliesPerText)}–${Math.max(...repliesPerText)}`,
    "inbox events recorded": processed,
    "storm duration": `${stormMs} ms`,
    "error lines logged by the web processes": errors.length,
    "scenario wall time": `${((Date.now() - t0) / 1000).toFixed(1)} s`,
  });

  expect(statuses.filter((s) => s !== 200)).toEqual([]);
  expect(acks.length).toBe(updates.length);
  expect(acks.filter((a) => a._count > 1)).toEqual([]);
  expect(answersPerPress.size).toBe(updates.length / 2);
  expect([...answersPerPress.values()].filter((n) => n !== 1)).toEqual([]);
  expect([...editsPerChat.values()].filter((n) => n !== 1)).toEqual([]);
  expect(repliesPerText.filter((n) => n !== 1)).toEqual([]);
  expect(processed).toBe(updates.length);
  expect(errors).toEqual([]);
}, 150_000);
