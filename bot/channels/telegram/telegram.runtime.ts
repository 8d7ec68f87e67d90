/**
 * Starts the Telegram channel for one process: the adapter that sends (every role that works), and
 * the bot that receives (the web role) — by webhook when PUBLIC_URL is set, by long polling otherwise.
 */
import type { RequestHandler } from "express";
import type { Bot } from "grammy";
import type { Config } from "../../../server/config/env.ts";
import { registerSecret, type Logger } from "../../../server/config/logger.ts";
import type { Db } from "../../../server/db/prisma.ts";
import type { ChannelPort } from "../../../server/domain/channel.ts";
import { createInboxPipeline } from "../../conversation/inbox-pipeline.ts";
import { startInboxMaintenance } from "../../conversation/sweep-inbox.ts";
import { BOT_COMMANDS } from "./bot-commands.ts";
import { createTelegramBot, telegramConversation } from "./create-telegram-bot.ts";
import { initTelegramBot, isRefusedToken, type TelegramInitRetry } from "./init-telegram-bot.ts";
import { apologiseOnTelegram } from "./render-telegram-replies.ts";
import { createTelegramAdapter } from "./telegram-adapter.ts";
import type { TelegramContext } from "./telegram-event.ts";
import { telegramLinkUrl } from "./telegram-link.ts";
import { telegramWebhook } from "./telegram-webhook.ts";

/** Telegram as one enabled channel (see {@link ChannelPort}), with the bot's username. */
export type StartedTelegram = ChannelPort<RequestHandler> & {
  /** The bot's username, for t.me deep links ("" until the Bot API has answered getMe). */
  readonly username: string;
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

export type TelegramStartOptions = {
  config: Config;
  db: Db;
  logger: Logger;
  inbound: boolean;
  /** Back-off of getMe while the Bot API cannot be reached (tests shorten it). */
  retry?: TelegramInitRetry | undefined;
};

/**
 * Starts Telegram when TELEGRAM_BOT_TOKEN is set (null otherwise): getMe for the username, the
 * sending adapter, and — when `inbound`, i.e. this process receives updates — either the webhook
 * at `${PUBLIC_URL}/webhooks/telegram` (see telegram-webhook.ts: a wrong or missing secret is a 401
 * and nothing is processed; a malformed post with the secret is a 200, logged and dropped) or long
 * polling. A worker-only process only sends.
 *
 * When the Bot API cannot be reached, start-up does not wait for it: after the first failed getMe
 * (logged as a warning, as is every retry, with back-off; see init-telegram-bot.ts) the channel is
 * returned at once, so the web server and the other channels start. Until getMe answers, link codes
 * carry no Telegram link, the webhook route answers 503 (Telegram resends) and nothing polls; sends
 * go out as usual (failing and retried by the delivery worker while Telegram is unreachable). Once
 * it answers, the bot receives as it would have from the start.
 * @throws when the Bot API refuses the token, or (reachable at start-up) refuses the webhook.
 */
export async function startTelegram({ config, db, logger, inbound, retry }: TelegramStartOptions): Promise<StartedTelegram | null> {
  if (!config.TELEGRAM_BOT_TOKEN) return null;
  // The token is part of every request URL, and so of network errors' causes.
  registerSecret(config.TELEGRAM_BOT_TOKEN);
  const secretToken = config.TELEGRAM_WEBHOOK_SECRET;
  // env.ts refuses PUBLIC_URL + token without a secret; this guards the type and a bypassed config.
  if (inbound && config.PUBLIC_URL && !secretToken) throw new Error("TELEGRAM_WEBHOOK_SECRET is required when PUBLIC_URL is set");
  const log = logger.child({ module: "telegram" });
  const bot = createTelegramBot({ token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT, db, logger });
  const abort = new AbortController();
  let firstFailure: () => void = () => {};
  const init = initTelegramBot(bot, { log, signal: abort.signal, ...retry, onRetry: () => firstFailure() });
  // Ready at the first answer, or "not yet" at the first failure: start-up waits for one attempt only.
  const ready = await Promise.race([init.then(() => true), new Promise<false>((resolve) => (firstFailure = () => resolve(false)))]);

  const adapter = createTelegramAdapter(bot.api, { ratePerSecond: config.TELEGRAM_RATE_LIMIT });
  let username: string | null = ready ? bot.botInfo.username : null;
  let receiving = false;
  let stopPolling: () => Promise<void> = async () => {};
  // The inbox's sweep finishes what a crash left and forgets old events (every receiving process).
  const stopMaintenance = inbound ? startInboxMaintenance({ db, log }, telegramConversation(bot.api, log), { intervalMs: config.SWEEP_INTERVAL_SECONDS * 1000 }) : () => {};
  /** Receiving, once getMe has answered: the command menu, then the webhook or polling. */
  async function receive(): Promise<void> {
    username = bot.botInfo.username;
    if (!inbound) return;
    await setCommands(bot, log);
    if (config.PUBLIC_URL) {
      const url = `${config.PUBLIC_URL.replace(/\/+$/, "")}/webhooks/telegram`;
      await bot.api.setWebhook(url, { secret_token: secretToken!, allowed_updates: [...ALLOWED_UPDATES] });
      receiving = true;
      log.info({ url, username }, "telegram webhook set");
    } else {
      stopPolling = await startPolling(bot, log, username);
      receiving = true;
      // Stopped while polling was starting.
      if (abort.signal.aborted) await stopPolling();
    }
  }

  if (ready) {
    await receive().catch((err: unknown) => {
      stopMaintenance();
      throw err;
    });
  } else {
    log.warn({ apiRoot: config.TELEGRAM_API_ROOT }, "telegram starts without the Bot API: the rest of chidao runs; telegram receives once getMe answers");
    init.then(receive).then(
      () => log.info({ username }, "telegram Bot API answered; telegram is on"),
      (err: unknown) => {
        if (!abort.signal.aborted) log.error({ err }, isRefusedToken(err) ? "telegram refused the bot token: telegram stays off" : "telegram could not start receiving");
      },
    );
  }

  let webhook: { path: string; handlers: RequestHandler[] } | undefined;
  if (inbound && config.PUBLIC_URL && secretToken) {
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
    // Until the webhook is set Telegram sends nothing; a stray post is asked to come back later.
    const gate: RequestHandler = (req, res, next) =>
      receiving ? handler(req, res, next) : void res.status(503).json({ error: { code: "UNAVAILABLE", message: "telegram is starting" } });
    webhook = { path: "/webhooks/telegram", handlers: [gate] };
  }
  return {
    kind: "TELEGRAM",
    adapter,
    ratePerSecond: config.TELEGRAM_RATE_LIMIT,
    get username() {
      return username ?? "";
    },
    linkUrl: (code) => (username ? telegramLinkUrl(username)(code) : null),
    ...(webhook ? { webhook } : {}),
    async stop() {
      abort.abort(new Error("telegram stopped"));
      await init.catch(() => undefined);
      stopMaintenance();
      await stopPolling();
    },
  };
}
