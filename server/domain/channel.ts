/**
 * The port every chat channel implements (Telegram now, Zalo later). Features talk to channels only
 * through {@link ChannelAdapter}; platform errors arrive as {@link ChannelError}.
 */

export type ChannelKind = "TELEGRAM" | "ZALO_OA" | "ZALO_BOT";

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
};

export type SendResult = {
  /** Platform id of the message carrying the acknowledge button (the last part when split). */
  messageId: string;
};

export interface ChannelAdapter {
  readonly kind: ChannelKind;
  /** Sends one directive; throws {@link ChannelError} for platform failures. */
  sendDirective(message: OutboundDirective): Promise<SendResult>;
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
  cause?: unknown;
};

/** A platform refused or failed a send. */
export class ChannelError extends Error {
  readonly channel: ChannelKind;
  readonly retryable: boolean;
  readonly unreachable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly providerCode: number | string | undefined;

  constructor(message: string, options: ChannelErrorOptions) {
    super(message, { cause: options.cause });
    this.name = "ChannelError";
    this.channel = options.channel;
    this.retryable = options.retryable;
    this.unreachable = options.unreachable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.providerCode = options.providerCode;
  }
}

/** Channels by kind; only enabled channels are present. */
export type ChannelRegistry = ReadonlyMap<ChannelKind, ChannelAdapter>;
