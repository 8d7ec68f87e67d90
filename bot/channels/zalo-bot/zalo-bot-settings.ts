/** The Zalo Bot's settings from configuration; null when the bot is off (no token). */
import type { Config } from "../../../server/config/env.ts";

export type ZaloBotSettings = {
  token: string;
  apiBase: string;
  webhookSecret: string | undefined;
  ratePerSecond: number;
  /** The bot's own link (ZALO_BOT_URL), the way in given with link codes; null when not configured. */
  url: string | null;
};

/** Reads the bot's settings. */
export function zaloBotSettings(c: Config): ZaloBotSettings | null {
  if (!c.ZALO_BOT_TOKEN) return null;
  return { token: c.ZALO_BOT_TOKEN, apiBase: c.ZALO_BOT_API_BASE, webhookSecret: c.ZALO_BOT_WEBHOOK_SECRET, ratePerSecond: c.ZALO_BOT_RATE_LIMIT, url: c.ZALO_BOT_URL ?? null };
}
