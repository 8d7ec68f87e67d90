/**
 * The reminder sweep, run by every worker process on a timer of its own. Unlike the delivery sweep
 * it needs no turn: the claim locks each recipient office's rows for one sweeper at a time (see
 * claimDueReminders), so several processes sweeping at once share the work and never send one
 * reminder twice. Nothing lives in the queue: the database is the schedule, so a restart or a
 * Redis that lost everything loses no reminder.
 */
import type { Logger } from "../config/logger.ts";
import type { Db } from "../db/prisma.ts";
import type { ChannelRegistry } from "../domain/channel.ts";
import { loadWorkingCalendar } from "../features/calendar/load-working-calendar.ts";
import { sweepReminders } from "../features/reminders/sweep-reminders.ts";
import { startTicker } from "./start-ticker.ts";

export type ReminderSweepTimerOptions = {
  db: Db;
  registry: ChannelRegistry;
  logger: Logger;
  intervalMs: number;
  /** The clock (tests inject one); the real time otherwise. */
  now?: () => Date;
};

/** Starts this process's reminder sweep; returns the function that stops it (and waits for a tick in progress). */
export function startReminderSweep({ db, registry, logger, intervalMs, now = () => new Date() }: ReminderSweepTimerOptions): () => Promise<void> {
  const log = logger.child({ module: "reminders" });
  const tick = async () => {
    const started = Date.now();
    const calendar = await loadWorkingCalendar(db, () => now().getTime());
    const r = await sweepReminders(db, { registry, calendar, now: now() });
    if (r.claimed || r.planned) log.info({ ...r, ms: Date.now() - started }, "reminder sweep");
  };
  return startTicker(tick, { everyMs: intervalMs, log, failure: "reminder sweep failed" });
}
