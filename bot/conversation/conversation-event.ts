/**
 * What the conversation core reads: a platform's {@link InboundEvent} plus the few things some
 * platforms also tell (the person's language and name, a file sent with the words, and which of our
 * messages carried a pressed button). Every extra is optional: a platform that lacks it still works.
 */
import type { InboundEvent } from "../../server/domain/inbound-event.ts";
import type { Locale } from "../../server/i18n.ts";

export type ConversationEvent = InboundEvent & {
  /** The language to answer in; Vietnamese when unknown. */
  locale?: Locale | undefined;
  /** The person's name on the platform, kept with a new link. */
  displayName?: string | null | undefined;
  /** A file or photo that came with the words, named for the officer ("báo cáo.pdf", "ảnh"). */
  attachment?: string | undefined;
  /**
   * Our message that carried the pressed button, with the payloads of all its buttons, when the
   * platform says which (Telegram does; on Zalo a press is a message of its own).
   */
  carrier?: { messageId: string; payloads: string[] } | undefined;
};

/** An event as stored in the inbox (JSON), back to its type: only the time needs reviving. */
export function reviveConversationEvent(stored: unknown): ConversationEvent {
  const e = stored as ConversationEvent & { at: string | Date };
  return { ...e, at: new Date(e.at) };
}
