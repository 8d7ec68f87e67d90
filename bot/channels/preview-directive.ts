/**
 * How a directive will look on each channel, for the dashboard's compose page: the channels' own
 * formatters (the ones their adapters send with), read back as plain text parts and button labels.
 * Injected into the web layer by server/runtime.ts, since server/ does not import bot/.
 */
import type { ChannelKind, OutboundDirective } from "../../server/domain/channel.ts";
import type { ChannelPreview } from "../../server/http/deps.ts";
import { formatDirective } from "./telegram/format-directive.ts";
import { formatZaloBotDirective } from "./zalo-bot/format-zalo-bot.ts";
import { formatZaloOaDirective } from "./zalo-oa/format-zalo-oa.ts";

/** Telegram's HTML parse mode back to what the person reads. */
const telegramText = (html: string) =>
  html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

type PreviewInput = Pick<OutboundDirective, "title" | "body" | "issuerName" | "deadline" | "requireAck">;

/** The directive as each of `kinds` shows it. */
export function previewDirective(kinds: readonly ChannelKind[], d: PreviewInput): ChannelPreview[] {
  return kinds.map((kind) => {
    if (kind === "TELEGRAM") return { kind, parts: formatDirective(d).texts.map(telegramText), buttons: d.requireAck ? ["✅ Đã nhận"] : [] };
    if (kind === "ZALO_OA") {
      const m = formatZaloOaDirective({ ...d, directiveId: 0 });
      return { kind, parts: m.parts, buttons: m.buttons.map((b) => b.title) };
    }
    return { kind, parts: [formatZaloBotDirective(d)], buttons: [] };
  });
}
