/**
 * The environment for a child process the tests start: this process's environment without the
 * variables in `drop`, plus `set`. Tests read the environment only here and in test-env.ts.
 */
export function childEnv(set: Record<string, string>, drop: readonly string[] = []): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([k]) => !drop.includes(k));
  return { ...Object.fromEntries(kept), ...set };
}
