/**
 * The environment for a child process the tests start: this process's environment without the
 * variables in `drop` (names, or a pattern of names), plus `set`. Tests read the environment only here and in test-env.ts.
 */
export function childEnv(set: Record<string, string>, drop: readonly string[] | RegExp = []): NodeJS.ProcessEnv {
  const dropped = (k: string) => (drop instanceof RegExp ? drop.test(k) : drop.includes(k));
  const kept = Object.entries(process.env).filter(([k]) => !dropped(k));
  return { ...Object.fromEntries(kept), ...set };
}
