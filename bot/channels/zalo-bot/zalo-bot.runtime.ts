/**
 * Starts the Zalo Bot for one process: the adapter that sends, and in a receiving process the
 * webhook at `${PUBLIC_URL}/webhooks/zalo-bot` (with its secret) or, without a public URL, long
 * polling; plus the inbox's sweep for this channel.
 */
import type { RequestHandler } from "express";
import type { Config } from "../../../server/config/env.ts";
import { registerSecret, type Logger } from "../../../server/config/logger.ts";
import type { Db } from "../../../server/db/prisma.ts";
import type { ChannelPort } from "../../../server/domain/channel.ts";
import { t } from "../../../server/i18n.ts";
import { startInboxMaintenance } from "../../conversation/sweep-inbox.ts";
import { pollZaloBot } from "./poll-zalo-bot.ts";
import { createZaloBotAdapter } from "./zalo-bot-adapter.ts";
import { createZaloBotClient } from "./zalo-bot-client.ts";
import { zaloBotConversation } from "./zalo-bot-conversation.ts";
import { zaloBotSettings } from "./zalo-bot-settings.ts";
import { ZALO_BOT_WEBHOOK_PATH, receiveZaloBotUpdate, zaloBotWebhook } from "./zalo-bot-webhook.ts";

export type ZaloBotStartOptions = { config: Config; db: Db; logger: Logger; inbound: boolean; leaseMs?: number | undefined; pollTimeoutSeconds?: number | undefined };

/**
 * Starts the bot when ZALO_BOT_TOKEN is set (null otherwise). getMe checks the token first.
 * @throws when the platform refuses the token or cannot be reached (start-up should stop then).
 */
export async function startZaloBot({ config, db, logger, inbound, leaseMs, pollTimeoutSeconds }: ZaloBotStartOptions): Promise<ChannelPort<RequestHandler> | null> {
  const s = zaloBotSettings(config);
  if (!s) return null;
  // The token is part of every request URL, and so of network errors' messages.
  registerSecret(s.token);
  registerSecret(s.webhookSecret);
  const log = logger.child({ module: "zalo-bot" });
  const client = createZaloBotClient({ token: s.token, apiBase: s.apiBase });
  const me = await client.getMe();
  // The Bot Platform has no deep link that carries a code (CHAT-PLATFORMS.md §B names none): the way
  // in is the bot's own link, where the person sends the code.
  const base = { kind: "ZALO_BOT" as const, adapter: createZaloBotAdapter(client), ratePerSecond: s.ratePerSecond, linkUrl: () => s.url };
  if (!inbound) return { ...base, stop: async () => {} };

  const conversation = zaloBotConversation(client);
  const o = {
    db,
    logger,
    conversation,
    leaseMs,
    apologise: (chatId: string) =>
      client.sendMessage(chatId, t("vi", "bot.failed")).then(
        () => undefined,
        () => undefined,
      ),
  };
  const stopMaintenance = startInboxMaintenance({ db, log, leaseMs }, conversation, { intervalMs: config.SWEEP_INTERVAL_SECONDS * 1000 });
  if (config.PUBLIC_URL) {
    const secret = s.webhookSecret;
    // env.ts refuses PUBLIC_URL + token without a secret; this guards the type and a bypassed config.
    if (!secret) throw new Error("ZALO_BOT_WEBHOOK_SECRET is required when PUBLIC_URL is set");
    const url = `${config.PUBLIC_URL.replace(/\/+$/, "")}${ZALO_BOT_WEBHOOK_PATH}`;
    await client.setWebhook(url, secret).catch((err: unknown) => {
      stopMaintenance();
      throw err;
    });
    log.info({ url, bot: me.accountName }, "zalo bot webhook set");
    return { ...base, webhook: { path: ZALO_BOT_WEBHOOK_PATH, handlers: [zaloBotWebhook({ ...o, secret })] }, stop: async () => stopMaintenance() };
  }
  const abort = new AbortController();
  const polling = pollZaloBot(client, {
    signal: abort.signal,
    ...(pollTimeoutSeconds ? { timeoutSeconds: pollTimeoutSeconds } : {}),
    onUpdate: (update) => receiveZaloBotUpdate(o, log, update),
    onError: (err) => log.warn({ err }, "zalo bot polling"),
  }).catch((err: unknown) => log.error({ err }, "zalo bot polling stopped"));
  log.info({ bot: me.accountName }, "zalo bot long polling started");
  return {
    ...base,
    async stop() {
      stopMaintenance();
      abort.abort();
      await polling;
    },
  };
}
