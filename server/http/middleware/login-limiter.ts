/**
 * Slows password guessing: after 10 consecutive failures for one email from one address, that pair
 * is refused for 15 minutes (keyed on email+IP so a stranger cannot lock an officer out everywhere).
 * Kept in memory: one web process per deployment is the common case; several processes each apply it.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, { count: number; blockedUntil: number }>();

  constructor(private readonly maxFailures = 10, private readonly blockMs = 15 * 60 * 1000) {}

  /** Seconds the caller must still wait, or 0. */
  retryAfter(key: string): number {
    const entry = this.failures.get(key);
    if (!entry || entry.blockedUntil <= Date.now()) return 0;
    return Math.ceil((entry.blockedUntil - Date.now()) / 1000);
  }

  fail(key: string): void {
    const entry = this.failures.get(key) ?? { count: 0, blockedUntil: 0 };
    entry.count += 1;
    if (entry.count >= this.maxFailures) {
      entry.blockedUntil = Date.now() + this.blockMs;
      entry.count = 0;
    }
    this.failures.set(key, entry);
    if (this.failures.size > 100_000) this.failures.clear(); // bounded memory under a flood
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
