/**
 * Starts the Telegram channel for one process: the adapter that sends (every role that works), and
 * the bot that receives (the web role) — by webhook when PUBLIC_URL is set, by long polling otherwise.
 */
import type { RequestHandler } from "express";
import type { Bot } from "grammy";
import type { Config } from "../../../server/config/env.ts";
import type { Logger } from "../../../server/config/logger.ts";
import type { Db } from "../../../server/db/prisma.ts";
import type { ChannelPort } from "../../../server/domain/channel.ts";
import { createInboxPipeline } from "../../conversation/inbox-pipeline.ts";
import { startInboxMaintenance } from "../../conversation/sweep-inbox.ts";
import { BOT_COMMANDS } from "./bot-commands.ts";
import { createTelegramBot, telegramConversation } from "./create-telegram-bot.ts";
import { apologiseOnTelegram } from "./render-telegram-replies.ts";
import { createTelegramAdapter } from "./telegram-adapter.ts";
import type { TelegramContext } from "./telegram-event.ts";
import { telegramLinkUrl } from "./telegram-link.ts";
import { telegramWebhook } from "./telegram-webhook.ts";

/** Telegram as one enabled channel (see {@link ChannelPort}), with the bot's username. */
export type StartedTelegram = ChannelPort<RequestHandler> & {
  /** The bot's username, for t.me deep links. */
  username: string;
};

/** Updates chidao handles; everything else Telegram would send is left out. */
const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"] as const;

/** The command menu is a convenience: a failure to set it is logged, never fatal. */
async function setCommands(bot: Bot, log: Logger): Promise<void> {
  try {
    await bot.api.setMyCommands([...BOT_COMMANDS]);
  } catch (err) {
    log.warn({ err }, "could not set the telegram command menu");
  }
}

/**
 * Long polling until the returned stop function is called; resolves once polling starts. grammY's
 * `bot.start()` deletes any webhook first (polling and a webhook exclude each other).
 */
async function startPolling(bot: Bot, log: Logger, username: string): Promise<() => Promise<void>> {
  let running = true;
  const polling = new Promise<void>((resolve, reject) => {
    bot.start({ allowed_updates: [...ALLOWED_UPDATES], onStart: () => resolve() }).then(
      () => resolve(),
      (err: unknown) => {
        if (running) log.error({ err }, "telegram polling stopped");
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
  await polling;
  log.info({ username }, "telegram long polling started");
  return async () => {
    if (!running) return;
    running = false;
    if (bot.isRunning()) await bot.stop();
  };
}

/**
 * Starts Telegram when TELEGRAM_BOT_TOKEN is set (null otherwise): getMe for the username, the
 * sending adapter, and — when `inbound`, i.e. this process receives updates — either the webhook
 * at `${PUBLIC_URL}/webhooks/telegram` (see telegram-webhook.ts: a wrong or missing secret is a 401
 * and nothing is processed; a malformed post with the secret is a 200, logged and dropped) or long
 * polling. A worker-only process only sends.
 * @throws when the Bot API refuses the token or cannot be reached (start-up should stop then).
 */
export async function startTelegram({ config, db, logger, inbound }: { config: Config; db: Db; logger: Logger; inbound: boolean }): Promise<StartedTelegram | null> {
  if (!config.TELEGRAM_BOT_TOKEN) return null;
  const log = logger.child({ module: "telegram" });
  const bot = createTelegramBot({ token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT, db, logger });
  await bot.init();
  const adapter = createTelegramAdapter(bot.api, { ratePerSecond: config.TELEGRAM_RATE_LIMIT });
  const username = bot.botInfo.username;
  const base = { kind: "TELEGRAM" as const, username, adapter, ratePerSecond: config.TELEGRAM_RATE_LIMIT, linkUrl: telegramLinkUrl(username) };
  if (!inbound) return { ...base, stop: async () => {} };

  await setCommands(bot, log);
  // The inbox's sweep finishes what a crash left and forgets old events (every receiving process).
  const stopMaintenance = startInboxMaintenance({ db, log }, telegramConversation(bot.api, log), { intervalMs: config.SWEEP_INTERVAL_SECONDS * 1000 });
  if (config.PUBLIC_URL) {
    const secretToken = config.TELEGRAM_WEBHOOK_SECRET;
    // env.ts refuses PUBLIC_URL + token without a secret; this guards the type and a bypassed config.
    if (!secretToken) throw new Error("TELEGRAM_WEBHOOK_SECRET is required when PUBLIC_URL is set");
    const url = `${config.PUBLIC_URL.replace(/\/+$/, "")}/webhooks/telegram`;
    await bot.api.setWebhook(url, { secret_token: secretToken, allowed_updates: [...ALLOWED_UPDATES] }).catch((err: unknown) => {
      stopMaintenance();
      throw err;
    });
    log.info({ url, username }, "telegram webhook set");
    const conversation = telegramConversation(bot.api, log);
    const pipeline = createInboxPipeline({
      db,
      log,
      // As the bot's error boundary does in polling mode: logged, and the person asked to try again.
      onError: (err, event, context) => {
        log.error({ err, key: event.dedupeKey }, "telegram handler failed");
        if (event.kind !== "unfollow") void apologiseOnTelegram(bot.api, context as TelegramContext, event.locale ?? "vi");
      },
    });
    const handler = telegramWebhook({ bot, secretToken, logger, pipeline, conversation });
    return { ...base, webhook: { path: "/webhooks/telegram", handlers: [handler] }, stop: async () => stopMaintenance() };
  }
  let stopPolling: () => Promise<void>;
  try {
    stopPolling = await startPolling(bot, log, username);
  } catch (err) {
    stopMaintenance();
    throw err;
  }
  return {
    ...base,
    async stop() {
      stopMaintenance();
      await stopPolling();
    },
  };
}
