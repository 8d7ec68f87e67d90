/**
 * At most two issuing transactions per register at a time in this process. Issues of one register
 * queue on its counter row in PostgreSQL anyway; letting all of them queue there means each waiter
 * holds one of the process's pooled connections, so a burst of issues in one office (a thousand
 * drafts issued at once) took the whole pool and every other request waited behind it (in the
 * fault suite another user's reads took 11 s at the median, 71 s at worst). Waiting here holds no
 * connection. Two, not one: the second transaction has begun and waits at the counter row when the
 * first commits, so the register's pace does not pay for BEGIN and the draft's lock in between.
 * Across processes the row lock still decides.
 */

const PER_REGISTER = 2;
const registers = new Map<string, { active: number; waiting: (() => void)[] }>();

/** Runs `fn` when fewer than two earlier calls with the same `register` key are running here. */
export async function withRegisterTurn<T>(register: string, fn: () => Promise<T>): Promise<T> {
  let turn = registers.get(register);
  if (!turn) registers.set(register, (turn = { active: 0, waiting: [] }));
  // A finishing call hands its place to the first waiter, so `active` only counts real runs.
  if (turn.active < PER_REGISTER) turn.active++;
  else await new Promise<void>((resolve) => turn.waiting.push(resolve));
  try {
    return await fn();
  } finally {
    const next = turn.waiting.shift();
    if (next) next();
    else if (--turn.active === 0) registers.delete(register);
  }
}
