/**
 * What a chat platform told us, in one shape for every channel: the platform adapters parse their
 * webhooks and updates into this, and the conversation core reads nothing else.
 */
import type { ChannelKind } from "./channel.ts";

export type InboundEventKind =
  /** The person wrote text. */
  | "text"
  /** The person pressed a button of ours; `payload` is what we put on it. */
  | "button"
  | "follow"
  | "unfollow"
  /** The platform reports our message `messageId` reached the person's device. */
  | "delivered"
  /** The platform reports the person opened our message `messageId`. */
  | "seen";

export type InboundEvent = {
  channel: ChannelKind;
  /** The person's id on the platform, as a string (Zalo's ids exceed 2^53). */
  externalUserId: string;
  kind: InboundEventKind;
  text?: string;
  payload?: string;
  /** The platform's message id: the person's message (text, button) or ours (delivered, seen). */
  messageId?: string;
  at: Date;
  /** Identifies the event for deduplication: a platform that sends an event twice sends the same key. */
  dedupeKey: string;
};
