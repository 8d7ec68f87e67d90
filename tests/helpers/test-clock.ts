/** A clock tests move by hand, injected where the product takes `now` (never a production setting). */
export type TestClock = { now(): Date; set(at: Date | string): void; advance(ms: number): Date };

export function createTestClock(start: Date | string): TestClock {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (at) => void (t = new Date(at).getTime()),
    advance: (ms) => new Date((t += ms)),
  };
}
