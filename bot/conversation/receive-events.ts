/**
 * The webhook side of the inbox for platforms that want a quick 200 (Zalo): each event is recorded
 * and its effect committed before the promise resolves, so the platform is answered only once
 * nothing can be lost; the replies then go on in the background.
 */
import type { ConversationEvent } from "./conversation-event.ts";
import { processInbound, type ConversationChannel, type ConversationDeps } from "./process-inbound.ts";

/**
 * Processes `events` on `channel`; resolves once every one is committed (or found a duplicate).
 * Rejects when an effect failed before its commit (the inbox keeps the event for the platform's
 * redelivery or the sweep). `onError` hears every failure, also one while replying after the commit.
 */
export function receiveEvents(
  deps: ConversationDeps,
  channel: ConversationChannel,
  events: readonly ConversationEvent[],
  onError: (err: unknown, event: ConversationEvent) => void,
): Promise<void> {
  const one = (event: ConversationEvent) =>
    new Promise<void>((resolve, reject) => {
      let committed = false;
      const d: ConversationDeps = {
        ...deps,
        afterEffect: async (e) => {
          await deps.afterEffect?.(e);
          committed = true;
          resolve();
        },
      };
      processInbound(d, channel, event).then(
        () => resolve(),
        (err: unknown) => {
          onError(err, event);
          if (!committed) reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  return Promise.all(events.map(one)).then(() => undefined);
}
