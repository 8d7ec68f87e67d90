/**
 * Starts the Telegram channel for one process: the adapter that sends (every role that works), and
 * the bot that receives (the web role) — by webhook when PUBLIC_URL is set, by long polling otherwise.
 */
import type { RequestHandler } from "express";
import { webhookCallback } from "grammy";
import type { Config } from "../../../server/config/env.ts";
import type { Logger } from "../../../server/config/logger.ts";
import type { Db } from "../../../server/db/prisma.ts";
import type { ChannelAdapter } from "../../../server/domain/channel.ts";
import { createTelegramBot } from "./create-telegram-bot.ts";
import { createTelegramAdapter } from "./telegram-adapter.ts";

export type StartedTelegram = {
  /** The bot's username, for t.me deep links. */
  username: string;
  /** grammY's webhook handler (PUBLIC_URL set and this process receives updates). */
  webhook?: RequestHandler | undefined;
  adapter: ChannelAdapter;
  stop(): Promise<void>;
};

/** Updates chidao handles; everything else Telegram would send is left out. */
const ALLOWED_UPDATES = ["message", "callback_query"] as const;

/**
 * Starts Telegram when TELEGRAM_BOT_TOKEN is set (null otherwise). `inbound` says whether this
 * process receives updates; a worker-only process only sends.
 */
export async function startTelegram({ config, db, logger, inbound }: { config: Config; db: Db; logger: Logger; inbound: boolean }): Promise<StartedTelegram | null> {
  if (!config.TELEGRAM_BOT_TOKEN) return null;
  const log = logger.child({ module: "telegram" });
  const bot = createTelegramBot({ token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT, db, logger });
  await bot.init();
  const adapter = createTelegramAdapter(bot.api, { ratePerSecond: config.TELEGRAM_RATE_LIMIT });
  const username = bot.botInfo.username;

  if (!inbound) return { username, adapter, stop: async () => {} };

  if (config.PUBLIC_URL) {
    const url = `${config.PUBLIC_URL.replace(/\/+$/, "")}/webhooks/telegram`;
    await bot.api.setWebhook(url, { secret_token: config.TELEGRAM_WEBHOOK_SECRET!, allowed_updates: [...ALLOWED_UPDATES] });
    log.info({ url, username }, "telegram webhook set");
    const handler = webhookCallback(bot, "express", { secretToken: config.TELEGRAM_WEBHOOK_SECRET!, onTimeout: "return" });
    return { username, adapter, webhook: handler as unknown as RequestHandler, stop: async () => {} };
  }

  await bot.api.deleteWebhook();
  let polling: Promise<void> | null = bot.start({
    allowed_updates: [...ALLOWED_UPDATES],
    onStart: () => log.info({ username }, "telegram long polling started"),
  });
  polling.catch((err: unknown) => log.error({ err }, "telegram polling stopped"));
  return {
    username,
    adapter,
    async stop() {
      if (!polling) return;
      polling = null;
      await bot.stop();
    },
  };
}
