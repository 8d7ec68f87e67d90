/** The Zalo Bot's settings from configuration; null when the bot is off (no token). */
import type { Config } from "../../../server/config/env.ts";

export type ZaloBotSettings = { token: string; apiBase: string; webhookSecret: string | undefined; ratePerSecond: number };

/** Reads the bot's settings. */
export function zaloBotSettings(c: Config): ZaloBotSettings | null {
  if (!c.ZALO_BOT_TOKEN) return null;
  return { token: c.ZALO_BOT_TOKEN, apiBase: c.ZALO_BOT_API_BASE, webhookSecret: c.ZALO_BOT_WEBHOOK_SECRET, ratePerSecond: c.ZALO_BOT_RATE_LIMIT };
}
