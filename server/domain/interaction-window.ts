/**
 * Zalo OA's interaction window, as the delivery side reads it: a consultation message reaches a
 * person only within 7 days of their last interaction with the OA (follow, message, button press),
 * and is free within the first 48 hours of it, billed after; outside, only a paid template message does.
 */

export const HOUR_MS = 60 * 60 * 1000;
/** Consultation messages are refused (-230) once the last interaction is this old. */
export const ZALO_OA_WINDOW_MS = 7 * 24 * HOUR_MS;
/** Consultation messages cost nothing while the last interaction is younger than this. */
export const ZALO_OA_FREE_MS = 48 * HOUR_MS;
/**
 * How far behind the recorded last interaction may be (it is written at most once an hour, so that
 * not every acknowledgement writes it): only a window closed by more than this is skipped without
 * asking Zalo.
 */
export const INTERACTION_PRECISION_MS = HOUR_MS;

/** What the recorded last interaction says about the window at `now`. */
export function interactionWindow(lastInteractionAt: Date | null | undefined, now: Date): { knownClosed: boolean; billable: boolean | undefined } {
  if (!lastInteractionAt) return { knownClosed: false, billable: undefined };
  const age = now.getTime() - lastInteractionAt.getTime();
  return { knownClosed: age >= ZALO_OA_WINDOW_MS + INTERACTION_PRECISION_MS, billable: age > ZALO_OA_FREE_MS };
}
