/**
 * Slows password guessing with counters in PostgreSQL, shared by every web process. Each attempt is
 * counted atomically *before* its password is checked, so N concurrent guesses get at most the cap of
 * password checks, never N. Three counters, checked in this order (a refused attempt is not counted
 * by the later ones, so hammering one blocked pair does not also lock the account for everyone):
 * - per address (all accounts): 300 attempts an hour, against spraying one password over many accounts;
 * - per e-mail + address: 10 consecutive failures, then 15 minutes' block (a success resets it);
 * - per account (all addresses): 100 failed attempts an hour, against guessing from many addresses.
 * A success takes its attempt back out of the hourly counters, so they count failures. IPv6 clients
 * are keyed by their /64, the block one subscriber usually holds.
 */
import { isIPv6 } from "node:net";
import type { Logger } from "../../config/logger.ts";
import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import { countLoginAttempt, type LoginCounterRule } from "../../features/auth/count-login-attempt.ts";
import { pruneLoginAttempts } from "../../features/auth/prune-login-attempts.ts";
import { settleLoginAttempt } from "../../features/auth/settle-login-attempt.ts";

const MINUTE = 60_000;

export type LoginLimits = { address: LoginCounterRule; pair: LoginCounterRule; account: LoginCounterRule };

export const LOGIN_LIMITS: LoginLimits = {
  address: { cap: 300, windowMs: 60 * MINUTE, sliding: false },
  pair: { cap: 10, windowMs: 15 * MINUTE, sliding: true },
  account: { cap: 100, windowMs: 60 * MINUTE, sliding: false },
};

/** How often one process deletes expired counters. */
const PRUNE_EVERY_MS = MINUTE;

/** One sign-in attempt: the e-mail as typed (normalised here) and the client address Express trusts. */
export type LoginAttempt = { email: string; address: string };

/** The key a client address is counted under: IPv4 (also IPv4-mapped IPv6) as is, IPv6 by its /64. */
export function toAddressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head = "", tail = ""] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

export class LoginLimiter {
  private lastPrune = 0;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly limits: LoginLimits = LOGIN_LIMITS,
  ) {}

  private counters({ email, address }: LoginAttempt) {
    const e = email.trim().normalize("NFC").toLowerCase();
    const a = toAddressKey(address);
    return {
      address: { kind: "address", key: a },
      pair: { kind: "pair", key: `${e}|${a}` },
      account: { kind: "account", key: e },
    } as const;
  }

  /**
   * Counts the attempt. Resolves to 0 when its password may be checked, or to the seconds the client
   * must wait (the first counter over its cap decides).
   */
  async admit(attempt: LoginAttempt): Promise<number> {
    this.pruneNow();
    const counters = this.counters(attempt);
    for (const name of ["address", "pair", "account"] as const) {
      const rule = this.limits[name];
      const { count, retryAfterSeconds } = await countLoginAttempt(this.db, { ...counters[name], rule });
      if (count > rule.cap) return retryAfterSeconds;
    }
    return 0;
  }

  /** Records a successful sign-in: the pair's failures are forgotten, the hourly counters get the attempt back. */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    const { address, pair, account } = this.counters(attempt);
    await settleLoginAttempt(this.db, { reset: [pair], refund: [address, account] });
  }

  /** The 429 for an attempt {@link admit} refused. */
  static refusal(seconds: number): AppError {
    return new AppError("RATE_LIMITED", "sign-in attempts over the limit", { messageKey: "errors.too_many_attempts", params: { seconds } });
  }

  // Expired rows restart at 1 anyway; pruning only bounds the table. Not awaited: a sign-in does not wait for it.
  private pruneNow(): void {
    const now = Date.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    pruneLoginAttempts(this.db).catch((err: unknown) => this.logger.warn({ err }, "pruning sign-in counters failed"));
  }
}
