/** Neutral choices and links as Telegram inline keyboards: one button per row. */
import { InlineKeyboard } from "grammy";
import type { Choice } from "../../conversation/reply.ts";

/** One callback button per choice and row, then the link as a URL button. */
export function inlineKeyboardOf(choices: Choice[], link?: { label: string; url: string }): InlineKeyboard {
  const keyboard = InlineKeyboard.from(choices.map((c) => [InlineKeyboard.text(c.label, c.payload)]));
  return link ? keyboard.row().url(link.label, link.url) : keyboard;
}
