/**
 * Why a send failed, in the terms the delivery core acts on. {@link ChannelError} says only "retry or
 * not" and "reachable or not"; Zalo needs more: a closed interaction window calls for a template
 * message, a refused OAuth refresh for an administrator. A {@link ChannelFailure} is still a
 * ChannelError, so code that knows only the port keeps working.
 */
import { ChannelError, type ChannelKind, type MessageKind } from "./channel.ts";

export type ChannelFailureReason =
  /** Transient (rate limit, quota for the moment, network, 5xx, night ban): send again later, after `retryAfterMs` when known. */
  | "retry_later"
  /** This person cannot be reached on this channel (blocked, unfollowed, unknown, banned): try the next channel. */
  | "unreachable"
  /** Free-form messages are closed for this person (Zalo's 7-day interaction window): send a template message or fall back. */
  | "needs_template"
  /** Nothing will work until an administrator acts (bad or refused credentials, missing permission, quota, billing). */
  | "needs_admin"
  /** The access token was refused; the client refreshes once and repeats the call, so this rarely escapes it. */
  | "token_expired"
  /** The platform refused the request itself (bad parameter, too long): sending it again cannot help. */
  | "rejected";

export type ChannelFailureOptions = {
  retryAfterMs?: number | undefined;
  providerCode?: number | string | undefined;
  messageKind?: MessageKind | undefined;
  cause?: unknown;
};

/** A classified platform failure; `retryable` and `unreachable` follow from `reason`. */
export class ChannelFailure extends ChannelError {
  readonly reason: ChannelFailureReason;

  constructor(channel: ChannelKind, reason: ChannelFailureReason, message: string, options: ChannelFailureOptions = {}) {
    super(message, {
      channel,
      retryable: reason === "retry_later" || reason === "token_expired",
      unreachable: reason === "unreachable",
      retryAfterMs: reason === "retry_later" ? options.retryAfterMs : undefined,
      providerCode: options.providerCode,
      messageKind: options.messageKind,
      cause: options.cause,
    });
    this.name = "ChannelFailure";
    this.reason = reason;
  }
}
