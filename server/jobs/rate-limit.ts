/**
 * BullMQ's limiter counts jobs per fixed window that starts with the window's first job; Telegram
 * judges any sliding second. A limit of R/s therefore becomes `max` jobs per window, with `k`
 * windows (k·max ≤ R) fitting in a second and the next one starting 4% late (≈ 40 ms after the
 * second ends). That slack absorbs the spread between a job starting and its message reaching the
 * platform, at the price of sending at 96% of R (28.8/s for 30). About three windows a second keep
 * the bursts small.
 * @example limiterFor(30) // { max: 10, duration: 347 }
 */
export function limiterFor(perSecond: number): { max: number; duration: number } | undefined {
  if (perSecond <= 0) return undefined;
  if (perSecond < 1) return { max: 1, duration: Math.ceil((1000 / perSecond) * 1.04) };
  let best = { k: 0, max: 0 };
  // Preference order on ties: three windows a second, then more, then fewer.
  for (const k of [3, 4, 5, 2, 1]) {
    const max = Math.floor(perSecond / k);
    if (max >= 1 && max * k > best.max * best.k) best = { k, max };
  }
  return { max: best.max, duration: Math.ceil((1000 / best.k) * 1.04) };
}
