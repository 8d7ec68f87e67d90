/**
 * The chat channels chidao can run, and the one place that lists them: adding a channel is its
 * folder under bot/channels/ and one line in {@link CHANNELS}. Each starter reads its own settings
 * from the configuration and returns null when they are absent (that channel is off, the rest runs).
 */
import type { RequestHandler } from "express";
import type { Config } from "../../server/config/env.ts";
import type { Logger } from "../../server/config/logger.ts";
import type { Db } from "../../server/db/prisma.ts";
import type { ChannelPort } from "../../server/domain/channel.ts";
import { startTelegram } from "./telegram/telegram.runtime.ts";
import { startZaloBot } from "./zalo-bot/zalo-bot.runtime.ts";
import { startZaloOa } from "./zalo-oa/zalo-oa.runtime.ts";

export type ChannelStartOptions = {
  config: Config;
  db: Db;
  logger: Logger;
  /** This process receives the channels' events (webhook or polling), not only sends. */
  inbound: boolean;
};

export type EnabledChannel = ChannelPort<RequestHandler>;

/** Starts one channel from the configuration; null when it is not configured. */
export type ChannelStarter = (o: ChannelStartOptions) => Promise<EnabledChannel | null>;

/** Every channel, in default preference order. */
const CHANNELS: readonly ChannelStarter[] = [startTelegram, startZaloOa, startZaloBot];

/**
 * Starts every configured channel. A channel that fails to start stops the start-up (a wrong token
 * should be seen at once), after the ones already started are stopped.
 */
export async function startChannels(o: ChannelStartOptions, starters: readonly ChannelStarter[] = CHANNELS): Promise<EnabledChannel[]> {
  const started: EnabledChannel[] = [];
  try {
    for (const start of starters) {
      const channel = await start(o);
      if (channel) started.push(channel);
    }
  } catch (err) {
    for (const channel of started.reverse()) await channel.stop().catch(() => {});
    throw err;
  }
  return started;
}
