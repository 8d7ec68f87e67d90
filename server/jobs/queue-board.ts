/**
 * Bull Board over the delivery queues, for administrators (mounted behind the dashboard's
 * administrator check at /operations/queues). Read-only: the board's own buttons (retry, clean,
 * promote) would be state-changing requests without the dashboard's CSRF token, and the database,
 * not the queue, is the truth for deliveries (the sweep re-enqueues what needs it).
 */
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import type { RequestHandler } from "express";

/** The board's Express router for `queues`, served under `basePath`. */
export function createQueueBoard(queues: readonly Queue[], basePath: string): RequestHandler {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({
    // The adapter's types name BullMQ 5's Queue; BullMQ 6's has what the board calls.
    queues: queues.map((q) => new BullMQAdapter(q as never, { readOnlyMode: true })),
    serverAdapter,
    options: { uiConfig: { boardTitle: "chidao" } },
  });
  return serverAdapter.getRouter() as RequestHandler;
}
