/**
 * The inbox for webhooks, in batches: what arrives while a batch is being written waits for the next
 * one, so under load many events share one transaction (and one commit) instead of each paying its
 * own dozen round trips. A batch records its events in the inbox, runs their effects and marks them
 * DONE with the replies decided — one transaction, so an event is never recorded without its effect
 * or the other way round — and only then is each webhook answered: a crash before the commit leaves
 * nothing and the platform, unanswered, sends the update again; after it, the event is DONE and its
 * replies are sent (or, after a crash, sent by the sweep or the resend once the lease has passed).
 * Acknowledgement presses, the bulk of the traffic after a directive goes out, take one statement
 * for the whole batch (decidePressesReplies); other events run the conversation core one by one
 * inside the same transaction. A copy of an event already in the inbox, and every event of a batch
 * that failed, go the one-event way (processInbound), which records first and then tries the effect,
 * so a failing event is kept for another attempt and does not hold the others back.
 */
import type { Prisma } from "../../server/db/prisma.ts";
import { createBatcher } from "../../server/db/batcher.ts";
import { markInboxEventsDone, markInboxEventsReplied } from "../../server/features/chat/finish-inbox-events.ts";
import { recordInboxEvents } from "../../server/features/chat/record-inbox-events.ts";
import { releaseInboxEvent } from "../../server/features/chat/settle-inbox-event.ts";
import type { ConversationEvent } from "./conversation-event.ts";
import { decidePressesReplies, decideReplies, isAckPress } from "./decide-replies.ts";
import { DEFAULT_INBOX_LEASE_MS, processInbound, type ConversationChannel, type ConversationDeps, type InboundOutcome } from "./process-inbound.ts";
import type { Reply } from "./reply.ts";

/** One event handed to the pipeline, and what its webhook waits for. */
export type Submitted = {
  /** Resolves once the event's effect is committed (or it was found a duplicate); rejects when it failed before its commit. */
  committed: Promise<InboundOutcome>;
  /** Resolves once its replies went out (or failed and were apologised for); never rejects. */
  replied: Promise<void>;
};

export type InboxPipeline = {
  /** Hands an event (and what the adapter needs to answer it) to the next batch. */
  submit(channel: ConversationChannel, event: ConversationEvent, context?: unknown): Submitted;
};

export type InboxPipelineOptions = ConversationDeps & {
  /** Most events in one transaction. */
  maxBatch?: number;
  /** Batches written at once (each holds a pooled connection for its transaction). */
  maxInFlight?: number;
  /** Hears every failure (the event stays in the inbox for another attempt); apologising is the caller's. */
  onError?: (err: unknown, event: ConversationEvent, context: unknown) => void;
};

type Item = {
  channel: ConversationChannel;
  event: ConversationEvent;
  context: unknown;
  commit: { resolve(o: InboundOutcome): void; reject(err: unknown): void };
  replied: () => void;
};

type Decided = { item: Item; id: number; replies: Reply[] };

/** Creates the pipeline for one process (any number of channels). */
export function createInboxPipeline(o: InboxPipelineOptions): InboxPipeline {
  const { db, log } = o;
  const leaseMs = o.leaseMs ?? DEFAULT_INBOX_LEASE_MS;
  const maxBatch = o.maxBatch ?? 200;
  const maxInFlight = o.maxInFlight ?? 2;
  const deps: ConversationDeps = { db, log, leaseMs, afterEffect: o.afterEffect };
  const fail = (item: Item, err: unknown) => o.onError?.(err, item.event, item.context);
  // Replied marks of events answered in the same turn go to the database as one UPDATE.
  const replied = createBatcher<number, void>(async (ids) => {
    await markInboxEventsReplied(db, ids);
    return ids.map(() => undefined);
  });

  let queue: Item[] = [];
  let inFlight = 0;
  let scheduled = false;

  const pump = () => {
    scheduled = false;
    while (queue.length && inFlight < maxInFlight) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(maxBatch);
      inFlight++;
      void runBatch(batch).finally(() => {
        inFlight--;
        if (queue.length) schedule();
      });
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(pump);
  };

  /** One event the one-event way: records (or finds) it, then its effect in a transaction of its own, then its replies. */
  function alone(item: Item): void {
    let committed = false;
    const d: ConversationDeps = {
      ...deps,
      afterEffect: async (e) => {
        await deps.afterEffect?.(e);
        committed = true;
        item.commit.resolve("processed");
      },
    };
    processInbound(d, item.channel, item.event, item.context).then(
      (outcome) => {
        item.commit.resolve(outcome);
        item.replied();
      },
      (err: unknown) => {
        fail(item, err);
        if (!committed) item.commit.reject(err);
        item.replied();
      },
    );
  }

  /** Sends one event's replies after its commit, then marks it answered (also when sending failed: the caller apologised). */
  async function reply(d: Decided): Promise<void> {
    try {
      if (d.replies.length) await d.item.channel.sendReplies(d.replies, d.item.context, d.item.event);
    } catch (err) {
      fail(d.item, err);
    } finally {
      if (d.replies.length) await replied.run(d.id).catch((err: unknown) => log.warn({ err }, "could not mark an inbox event answered"));
      d.item.replied();
    }
  }

  async function runBatch(batch: Item[]): Promise<void> {
    let decided: Decided[];
    let copies: Item[];
    try {
      ({ decided, copies } = await db.$transaction((tx) => effects(tx, batch), { timeout: 30_000 }));
    } catch (err) {
      // Nothing of the batch was kept: each event goes on alone, where one that fails again is kept for another attempt.
      log.warn({ err, events: batch.length }, "inbox batch failed; its events go one by one");
      for (const item of batch) alone(item);
      return;
    }
    for (const item of copies) alone(item);
    for (const d of decided) {
      if (deps.afterEffect) {
        try {
          await deps.afterEffect(d.item.event);
        } catch (err) {
          // Not a crash: the lease goes back, so the resend or the sweep sends the replies decided.
          await releaseInboxEvent(db, d.id, String((err as Error)?.message ?? err)).catch(() => {});
          fail(d.item, err);
          d.item.commit.reject(err);
          d.item.replied();
          continue;
        }
      }
      d.item.commit.resolve("processed");
      void reply(d);
    }
  }

  /** The batch's transaction: record, effects, DONE marks. Events the inbox already held come back as copies. */
  async function effects(tx: Prisma.TransactionClient, batch: Item[]): Promise<{ decided: Decided[]; copies: Item[] }> {
    const ids = await recordInboxEvents(
      tx,
      batch.map((i) => ({ channel: i.event.channel, key: i.event.dedupeKey, event: i.event, context: i.context })),
      leaseMs,
    );
    const fresh: Decided[] = [];
    const copies: Item[] = [];
    batch.forEach((item, i) => (ids[i] === null ? copies.push(item) : fresh.push({ item, id: ids[i]!, replies: [] })));
    const presses = fresh.filter((d) => isAckPress(d.item.event));
    if (presses.length) {
      const names = new Map(presses.map((d) => [d.item.event, d.item.channel.name]));
      const replies = await decidePressesReplies(
        tx,
        presses.map((d) => d.item.event),
        log,
        (e) => names.get(e) ?? "",
      );
      presses.forEach((d, i) => (d.replies = replies[i]!));
    }
    for (const d of fresh) if (!isAckPress(d.item.event)) d.replies = await decideReplies(tx, d.item.event, log, d.item.channel.name);
    await markInboxEventsDone(tx, fresh);
    return { decided: fresh, copies };
  }

  return {
    submit(channel, event, context) {
      let commit!: Item["commit"];
      let repliedResolve!: () => void;
      const committed = new Promise<InboundOutcome>((resolve, reject) => (commit = { resolve, reject }));
      // A rejection nobody awaits (a caller that only waits for the replies) is not an unhandled one.
      committed.catch(() => {});
      const repliedP = new Promise<void>((resolve) => (repliedResolve = resolve));
      queue.push({ channel, event, context, commit, replied: repliedResolve });
      schedule();
      return { committed, replied: repliedP };
    },
  };
}
