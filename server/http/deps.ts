/**
 * What the HTTP layer receives from the composition root. It lives here, not in app.ts, so routes
 * depend on the layer they belong to rather than on the module that assembles them.
 */
import type { RequestHandler } from "express";
import type { Config } from "../config/env.ts";
import type { Logger } from "../config/logger.ts";
import type { Db } from "../db/prisma.ts";
import type { ChannelKind, ChannelPort } from "../domain/channel.ts";
import type { DeliveryQueue } from "../jobs/delivery-queue.ts";
import type { SigningProvider } from "../signing/signing-from-config.ts";
import type { CertificateQueue } from "../jobs/certificate-jobs.ts";
import type { ReadinessCheck } from "./routes/health.routes.ts";

export type AppDeps = {
  db: Db;
  config: Config;
  logger: Logger;
  readiness: ReadinessCheck;
  deliveries: DeliveryQueue;
  /** Where certificate batches are handed over for rendering; without it a batch waits for the sweep of a worker process. */
  certificates?: CertificateQueue | undefined;
  /**
   * The enabled chat channels (bot/channels/channel-registry.ts): their ways in for link codes, the
   * webhooks to mount, and the channels a directive is published on. None: no chat channel is on.
   */
  channels?: readonly AppChannel[] | undefined;
  /** Where issued documents get the server's signature; default: SIGNING_P12_PATH (signingFromConfig). */
  signing?: SigningProvider | undefined;
  /**
   * How a directive will look on each channel (bot/channels/preview-directive.ts, injected by the
   * runtime): the dashboard's compose page shows it. None: the page shows the plain text.
   */
  previewDirective?: PreviewDirective | undefined;
  /** The job queues' board (Bull Board), mounted for administrators at /operations/queues; none: not shown. */
  queueBoard?: RequestHandler | undefined;
};

/** One channel's rendering of a directive: the message parts as the person reads them, and the buttons under the last. */
export type ChannelPreview = { kind: ChannelKind; parts: string[]; buttons: string[] };
export type PreviewDirective = (
  kinds: readonly ChannelKind[],
  d: { title: string; body: string; issuerName: string | null; deadline: Date | null; requireAck: boolean },
) => ChannelPreview[];

/** What the web layer uses of a channel. */
export type AppChannel = Pick<ChannelPort<RequestHandler>, "kind" | "linkUrl" | "webhook">;
