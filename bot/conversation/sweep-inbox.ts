/**
 * The inbox's safety net: events that an attempt left unfinished (the process died between receipt
 * and effect, or between effect and replies) are taken over once their lease has passed and
 * finished, without waiting for the platform to send them again (it may never).
 */
import { findStaleInboxEvents } from "../../server/features/chat/find-stale-inbox-events.ts";
import { takeOverInboxEvent } from "../../server/features/chat/claim-inbox-event.ts";
import { pruneProcessedUpdates } from "../../server/features/chat/prune-processed-updates.ts";
import { reviveConversationEvent } from "./conversation-event.ts";
import { DEFAULT_INBOX_LEASE_MS, runInboxClaim, type ConversationChannel, type ConversationDeps } from "./process-inbound.ts";

/** Finishes the stale events of `channel`; returns how many this call took over. */
export async function sweepInbox(deps: ConversationDeps, channel: ConversationChannel): Promise<number> {
  const leaseMs = deps.leaseMs ?? DEFAULT_INBOX_LEASE_MS;
  let taken = 0;
  for (const stale of await findStaleInboxEvents(deps.db, channel.kind)) {
    const claim = await takeOverInboxEvent(deps.db, { channel: channel.kind, key: stale.key, leaseMs });
    if (!claim) continue;
    taken++;
    try {
      const outcome = await runInboxClaim(deps, channel, claim, reviveConversationEvent(stale.event), stale.context);
      deps.log.info({ channel: channel.kind, key: stale.key, outcome }, "inbox event finished by the sweep");
    } catch (err) {
      deps.log.warn({ err, channel: channel.kind, key: stale.key }, "inbox event failed again");
    }
  }
  return taken;
}

/** How often a receiving process forgets old inbox events. */
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * Runs the sweep every `intervalMs` and the pruning every hour for `channel`, in a process that
 * receives its events; returns the function that stops both. Failures are logged, never fatal.
 */
export function startInboxMaintenance(deps: ConversationDeps, channel: ConversationChannel, o: { intervalMs?: number } = {}): () => void {
  const { db, log } = deps;
  const prune = () => {
    pruneProcessedUpdates(db, channel.kind).then(
      (count) => {
        if (count) log.info({ channel: channel.kind, count }, "old inbox events forgotten");
      },
      (err: unknown) => log.warn({ err }, "could not prune the inbox"),
    );
  };
  let sweeping = false;
  const sweep = () => {
    if (sweeping) return;
    sweeping = true;
    sweepInbox(deps, channel)
      .catch((err: unknown) => log.warn({ err }, "inbox sweep failed"))
      .finally(() => (sweeping = false));
  };
  prune();
  const timers = [setInterval(prune, PRUNE_EVERY_MS), setInterval(sweep, o.intervalMs ?? 30_000)];
  // Never the reason the process stays alive.
  for (const timer of timers) timer.unref();
  return () => timers.forEach(clearInterval);
}
