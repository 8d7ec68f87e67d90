/**
 * BullMQ's limiter counts jobs per fixed window that starts with the window's first job. Telegram
 * judges any sliding second, so a limit of R/s is expressed as R/2 jobs per (slightly more than)
 * half a second: two windows never fit in one second, and we stay just under R.
 * @example limiterFor(30) // { max: 15, duration: 510 }
 */
export function limiterFor(perSecond: number): { max: number; duration: number } | undefined {
  if (perSecond <= 0) return undefined;
  const max = Math.max(1, Math.floor(perSecond / 2));
  return { max, duration: Math.ceil(((1000 * max) / perSecond) * 1.02) };
}
