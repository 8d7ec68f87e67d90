/**
 * Starts the Zalo Official Account for one process: the adapter that sends (every role that works)
 * and, in a receiving process, the webhook at `/webhooks/zalo-oa` (an OA has no polling: Zalo posts
 * events to the URL set in its developer console) and the inbox's sweep for this channel.
 */
import type { RequestHandler } from "express";
import type { Config } from "../../../server/config/env.ts";
import { registerSecret, type Logger } from "../../../server/config/logger.ts";
import type { Db } from "../../../server/db/prisma.ts";
import type { ChannelPort } from "../../../server/domain/channel.ts";
import type { ConversationEvent } from "../../conversation/conversation-event.ts";
import { startInboxMaintenance } from "../../conversation/sweep-inbox.ts";
import { createZaloOaTokenStore } from "../../../server/features/zalo/create-zalo-oa-token-store.ts";
import { keepZaloOaTokenFresh } from "../../../server/features/zalo/keep-zalo-oa-token-fresh.ts";
import { refreshZaloOaToken } from "./refresh-zalo-oa-token.ts";
import { createZaloOaAdapter } from "./zalo-oa-adapter.ts";
import { createZaloOaClient, type ZaloOaClient } from "./zalo-oa-client.ts";
import { apologiseOnZaloOa, zaloOaConversation } from "./zalo-oa-conversation.ts";
import { zaloOaSettings } from "./zalo-oa-settings.ts";
import { ZALO_OA_WEBHOOK_PATH, zaloOaWebhook } from "./zalo-oa-webhook.ts";

/** The Zalo OA as one enabled channel, with its client (tests, administrators). */
export type StartedZaloOa = ChannelPort<RequestHandler> & { client: ZaloOaClient };

export type ZaloOaStartOptions = {
  config: Config;
  db: Db;
  logger: Logger;
  inbound: boolean;
  /** Inbox lease and the crash hook (tests). */
  leaseMs?: number | undefined;
  afterEffect?: ((event: ConversationEvent) => Promise<void>) | undefined;
};

/**
 * Starts the OA when its credentials are set (null otherwise). Start-up waits on nothing from Zalo:
 * a timer refreshes the token ahead of its expiry in the background (at once when no access token
 * is configured), sends refresh it when due or refused, and a refused refresh stops OA sends with an
 * error logged and an audit record for the administrators (see create-zalo-oa-token-store.ts)
 * instead of stopping the other channels.
 */
export async function startZaloOa({ config, db, logger, inbound, leaseMs, afterEffect }: ZaloOaStartOptions): Promise<StartedZaloOa | null> {
  const s = zaloOaSettings(config);
  if (!s) return null;
  for (const secret of [s.appSecret, s.secretKey, s.seed.refreshToken, s.seed.accessToken]) registerSecret(secret);
  const log = logger.child({ module: "zalo-oa" });
  const tokens = createZaloOaTokenStore(db, {
    oaId: s.oaId,
    seed: s.seed,
    refresh: (refreshToken, signal) => refreshZaloOaToken({ oauthBase: s.oauthBase, appId: s.appId, appSecret: s.appSecret, refreshToken, ...(signal ? { signal } : {}) }),
    onNeedsAdmin: (failure) => log.error({ err: failure }, "ZALO OA NEEDS AN ADMINISTRATOR: sends stopped until a new token pair is configured"),
    logger: log,
  });
  const client = createZaloOaClient({ apiBase: s.apiBase, templateBase: s.templateBase, tokens });
  const base = { kind: "ZALO_OA" as const, client, adapter: createZaloOaAdapter(client, { template: s.template }), ratePerSecond: s.ratePerSecond, linkUrl: () => s.followUrl };
  const stopRefreshing = keepZaloOaTokenFresh(tokens, { log });
  if (!inbound) return { ...base, stop: async () => stopRefreshing() };

  const conversation = zaloOaConversation(client, log);
  const stopMaintenance = startInboxMaintenance({ db, log, leaseMs }, conversation, { intervalMs: config.SWEEP_INTERVAL_SECONDS * 1000 });
  const handler = zaloOaWebhook({
    db,
    logger,
    keys: { appId: s.appId, oaId: s.oaId, oaSecretKey: s.secretKey, appSecret: s.appSecret },
    conversation,
    apologise: (event) => apologiseOnZaloOa(client, event.externalUserId, event.locale ?? "vi"),
    leaseMs,
    afterEffect,
  });
  log.info({ path: ZALO_OA_WEBHOOK_PATH }, "zalo oa webhook mounted");
  return {
    ...base,
    webhook: { path: ZALO_OA_WEBHOOK_PATH, handlers: [handler] },
    stop: async () => {
      await stopRefreshing();
      stopMaintenance();
    },
  };
}
