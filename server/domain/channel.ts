/**
 * The port every chat channel implements. Features talk to channels only through
 * {@link ChannelAdapter} (sending) and {@link ChannelPort} (everything else one enabled channel
 * brings to a process); platform errors arrive as {@link ChannelError}. The channels themselves
 * live in bot/channels/<platform>/, listed once in bot/channels/channel-registry.ts.
 */

/** Every channel chidao knows, mirroring the database's `Channel` enum, in default preference order. */
export const CHANNEL_KINDS = ["TELEGRAM", "ZALO_OA", "ZALO_BOT"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** A directive as one recipient should see it. */
export type OutboundDirective = {
  deliveryId: number;
  directiveId: number;
  /** The platform's chat id (Telegram chat id, Zalo user id), as a string. */
  chatId: string;
  title: string;
  body: string;
  /** Issuing office shown under the title. */
  issuerName: string | null;
  deadline: Date | null;
  requireAck: boolean;
  /** An issued document (PDF) that travels with the directive. */
  attachment?: { filename: string; bytes: Uint8Array; caption?: string } | undefined;
  /**
   * The recipient as this channel knows them: a template message may name them or go by phone, and
   * Zalo OA's interaction window counts from their last interaction (null: not known).
   */
  recipient?: { name: string; phone: string | null; lastInteractionAt: Date | null } | undefined;
};

/** What kind of message carried a directive: a bot's message, or a Zalo OA consultation or template message. */
export type MessageKind = "BOT_MESSAGE" | "CONSULTATION" | "TEMPLATE";

export type SendResult = {
  /** Platform id of the message carrying the acknowledge button (the last part when split). */
  messageId: string;
  /** Default: a bot's ordinary message. */
  messageKind?: MessageKind | undefined;
  /** Whether the message cost money; undefined when not known. Default for a bot's message: free. */
  billable?: boolean | undefined;
};

/**
 * A message of our own to one chat (a reminder digest, an escalation, the answer to an extension
 * request): text with choices the person can pick, rendered by each channel its own way (buttons,
 * or lines that say what to write).
 */
export type OutboundNotice = { chatId: string; text: string; choices?: { label: string; payload: string }[] | undefined };

export interface ChannelAdapter {
  readonly kind: ChannelKind;
  /** The adapter needs {@link OutboundDirective.recipient} (name, phone, last interaction); others are sent without it. */
  readonly wantsRecipient?: boolean;
  /** Sends one directive; throws {@link ChannelError} for platform failures. */
  sendDirective(message: OutboundDirective): Promise<SendResult>;
  /** Sends a notice (reminders); throws {@link ChannelError} for platform failures. Optional: a channel without it gets no reminders. */
  sendNotice?(notice: OutboundNotice): Promise<SendResult>;
}

export type ChannelErrorOptions = {
  channel: ChannelKind;
  /** Worth trying again later (network, 5xx, 429). */
  retryable: boolean;
  /** The person cannot be reached on this channel (blocked the bot, never started it, deactivated). */
  unreachable?: boolean;
  /** The platform asked us to wait this long (429 retry_after). */
  retryAfterMs?: number | undefined;
  providerCode?: number | string | undefined;
  /** The kind of message that was being sent when it failed (when the channel has several). */
  messageKind?: MessageKind | undefined;
  cause?: unknown;
};

/** A platform refused or failed a send. */
export class ChannelError extends Error {
  readonly channel: ChannelKind;
  readonly retryable: boolean;
  readonly unreachable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly providerCode: number | string | undefined;
  readonly messageKind: MessageKind | undefined;

  constructor(message: string, options: ChannelErrorOptions) {
    super(message, { cause: options.cause });
    this.name = "ChannelError";
    this.channel = options.channel;
    this.retryable = options.retryable;
    this.unreachable = options.unreachable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.providerCode = options.providerCode;
    this.messageKind = options.messageKind;
  }
}

/** Channels by kind; only enabled channels are present. */
export type ChannelRegistry = ReadonlyMap<ChannelKind, ChannelAdapter>;

/**
 * One enabled channel in one process, as the channel registry starts it from configuration. The
 * platform's own parts stay behind it: inbound requests are verified (secret, signature) and parsed
 * by the webhook's handlers or the polling loop, before any state changes, into events for the
 * conversation core. `H` is the web framework's handler type (the domain names no framework).
 */
export interface ChannelPort<H = unknown> {
  readonly kind: ChannelKind;
  /** Sends directives (the delivery worker). */
  readonly adapter: ChannelAdapter;
  /** Messages per second this channel allows across workers; 0 = no limit of ours. */
  readonly ratePerSecond: number;
  /** The way in for a link code on this platform: a deep link or a follow link; null when it has none. */
  linkUrl(code: string): string | null;
  /**
   * The route this process receives the platform's webhook on (webhook mode, receiving role): the
   * handlers verify and parse the request themselves (body parser included), then hand the events on.
   */
  readonly webhook?: { path: string; handlers: readonly H[] } | undefined;
  /** Stops receiving (polling, timers); idempotent. */
  stop(): Promise<void>;
}

/** The response field that carries a channel's way in for a link code ("telegram_url", "zalo_oa_url", …). */
export type LinkUrlField = `${Lowercase<ChannelKind>}_url`;
export const linkUrlField = (kind: ChannelKind): LinkUrlField => `${kind.toLowerCase() as Lowercase<ChannelKind>}_url`;
