/**
 * The Zalo OA's access token, kept in PostgreSQL (table ZaloOaToken, one row per OA) and refreshed
 * single-flight across every process.
 *
 * Zalo's refresh token is single-use and rotates: the refresh that spends it returns the only copy of
 * the next one. So a refresh runs inside a transaction holding the row's lock (`SELECT … FOR
 * UPDATE`): a process that waited for the lock re-reads the row and, finding the pair already
 * rotated, uses it instead of spending a dead refresh token. The new pair is committed before anyone
 * uses it. A refresh Zalo refuses marks the row "needs administrator" and nothing is refreshed again
 * until an administrator configures a new pair: no loop against the OAuth server. The refusal is
 * logged at error level and written to the audit log (action `zalo_oa.needs_admin`) in the same
 * transaction that marks the row, so administrators find it once, whichever process met it.
 *
 * Refreshing ahead of expiry happens on use and, without any send, by {@link keepZaloOaTokenFresh}
 * (keep-zalo-oa-token-fresh.ts) calling `refreshIfDue` in every process that runs the OA.
 *
 * One loss remains possible: Zalo rotates the pair and the database fails before the commit. The
 * spent refresh token is then refused at the next refresh, which marks the row for an administrator
 * (it cannot be recovered without a new grant).
 */
import { createHash } from "node:crypto";
import type { Logger } from "../../config/logger.ts";
import type { Db } from "../../db/prisma.ts";
import { ChannelFailure } from "../../domain/channel-failure.ts";

export type ZaloOaTokenPair = { accessToken: string; refreshToken: string; expiresInSeconds: number };

export type ZaloOaTokenStoreOptions = {
  oaId: string;
  /** The configured first pair (ZALO_OA_ACCESS_TOKEN, ZALO_OA_REFRESH_TOKEN). */
  seed: { accessToken?: string | undefined; refreshToken: string };
  /** Spends `refreshToken` at Zalo's OAuth server (refreshZaloOaToken with the app's credentials). */
  refresh: (refreshToken: string, signal?: AbortSignal) => Promise<ZaloOaTokenPair>;
  /** Share of the token's lifetime after which it is refreshed ahead of expiry. Default 0.8 (20 h of 25). */
  refreshAt?: number;
  /** After a refresh that failed for a passing reason, callers fail fast this long instead of queueing on Zalo. Default 30 s. */
  transientBackoffMs?: number;
  /** Called once per process when the channel enters the "needs administrator" state. */
  onNeedsAdmin?: (failure: ChannelFailure) => void;
  logger?: Pick<Logger, "info" | "warn" | "error">;
  now?: () => Date;
};

export type ZaloOaTokenStatus = { needsAdminAt: Date | null; lastError: string | null; rotations: number; accessExpiresAt: Date | null };

export type ZaloOaTokenStore = {
  /** A token to use now; refreshes first when it is due. @throws ChannelFailure `needs_admin`, or `retry_later` while Zalo's OAuth is failing. */
  accessToken(signal?: AbortSignal): Promise<string>;
  /** Zalo refused `rejected`: the current token, refreshed unless another process already did. */
  refreshAfterRejection(rejected: string, signal?: AbortSignal): Promise<string>;
  /**
   * Refreshes now if the stored token is due (the row is read fresh: another process may have
   * rotated it already) and returns when it is next due; null when that is unknown (a configured
   * pair, whose age Zalo never told us: it is refreshed when Zalo first refuses it).
   * @throws ChannelFailure as {@link accessToken} does.
   */
  refreshIfDue(signal?: AbortSignal): Promise<Date | null>;
  /** The stored row, read fresh (for health checks and administrators). */
  status(): Promise<ZaloOaTokenStatus | null>;
};

type Row = {
  accessToken: string;
  refreshToken: string;
  refreshDueAt: Date | null;
  needsAdminAt: Date | null;
  lastError: string | null;
  rotations: number;
  accessExpiresAt: Date | null;
};

/** Fingerprint of a configured refresh token: recognises a new pair without storing the configuration twice. */
function fingerprint(refreshToken: string): string {
  return createHash("sha256").update(refreshToken).digest("hex");
}

/** Creates the store. The row is seeded from `seed` on first use. */
export function createZaloOaTokenStore(db: Db, o: ZaloOaTokenStoreOptions): ZaloOaTokenStore {
  const now = o.now ?? (() => new Date());
  const refreshAt = o.refreshAt ?? 0.8;
  const backoffMs = o.transientBackoffMs ?? 30_000;
  let state: Row | null = null;
  let inflight: Promise<Row> | null = null;
  let coolDownUntil = 0;
  let alerted = false;

  function needsAdmin(row: Row): ChannelFailure {
    return new ChannelFailure("ZALO_OA", "needs_admin", `Zalo OA needs an administrator: ${row.lastError ?? "the token refresh was refused"}`);
  }

  async function load(): Promise<Row> {
    const fp = fingerprint(o.seed.refreshToken);
    // An empty access token (none configured) is due at once.
    await db.$executeRaw`
      INSERT INTO "ZaloOaToken" ("oaId", "accessToken", "refreshToken", "refreshDueAt", "seedFingerprint", "updatedAt")
      VALUES (${o.oaId}, ${o.seed.accessToken ?? ""}, ${o.seed.refreshToken}, ${o.seed.accessToken ? null : new Date(0)}, ${fp}, now())
      ON CONFLICT ("oaId") DO NOTHING`;
    // A pair configured after the channel needed an administrator is the administrator's answer. A
    // different configured pair otherwise means an old configuration: its refresh token was spent.
    await db.$executeRaw`
      UPDATE "ZaloOaToken" SET "accessToken" = ${o.seed.accessToken ?? ""}, "refreshToken" = ${o.seed.refreshToken},
             "accessExpiresAt" = NULL, "refreshDueAt" = ${o.seed.accessToken ? null : new Date(0)}, "seedFingerprint" = ${fp},
             "needsAdminAt" = NULL, "lastError" = NULL, "updatedAt" = now()
      WHERE "oaId" = ${o.oaId} AND "needsAdminAt" IS NOT NULL AND "seedFingerprint" <> ${fp}`;
    const rows = await db.$queryRaw<Row[]>`
      SELECT "accessToken", "refreshToken", "refreshDueAt", "needsAdminAt", "lastError", rotations, "accessExpiresAt" FROM "ZaloOaToken" WHERE "oaId" = ${o.oaId}`;
    return rows[0]!;
  }

  async function readRow(): Promise<Row | null> {
    const rows = await db.$queryRaw<Row[]>`
      SELECT "accessToken", "refreshToken", "refreshDueAt", "needsAdminAt", "lastError", rotations, "accessExpiresAt" FROM "ZaloOaToken" WHERE "oaId" = ${o.oaId}`;
    return rows[0] ?? null;
  }

  const isDue = (row: Row) => !row.accessToken || (row.refreshDueAt !== null && row.refreshDueAt.getTime() <= now().getTime());

  /** Refreshes under the row lock unless `stillGood(row)` says another process already did. */
  async function rotate(stillGood: (row: Row) => boolean, signal?: AbortSignal): Promise<Row> {
    const outcome = await db.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<Row[]>`
          SELECT "accessToken", "refreshToken", "refreshDueAt", "needsAdminAt", "lastError", rotations, "accessExpiresAt"
          FROM "ZaloOaToken" WHERE "oaId" = ${o.oaId} FOR UPDATE`;
        const row = rows[0]!;
        if (row.needsAdminAt || stillGood(row)) return { row, failure: null };
        let pair: ZaloOaTokenPair;
        try {
          pair = await o.refresh(row.refreshToken, signal);
        } catch (err) {
          if (!(err instanceof ChannelFailure) || err.reason !== "needs_admin") throw err;
          const marked = await tx.$queryRaw<Row[]>`
            UPDATE "ZaloOaToken" SET "needsAdminAt" = ${now()}, "lastError" = ${err.message.slice(0, 500)}, "updatedAt" = now()
            WHERE "oaId" = ${o.oaId}
            RETURNING "accessToken", "refreshToken", "refreshDueAt", "needsAdminAt", "lastError", rotations, "accessExpiresAt"`;
          // The administrators' record: once per refusal (only the process holding the lock gets here).
          await tx.auditLog.create({
            data: { action: "zalo_oa.needs_admin", entityType: "zalo_oa", entityId: o.oaId, details: { error: err.message.slice(0, 500), providerCode: err.providerCode ?? null } },
          });
          return { row: marked[0]!, failure: err };
        }
        const t = now().getTime();
        const updated = await tx.$queryRaw<Row[]>`
          UPDATE "ZaloOaToken" SET "accessToken" = ${pair.accessToken}, "refreshToken" = ${pair.refreshToken},
                 "accessExpiresAt" = ${new Date(t + pair.expiresInSeconds * 1000)}, "refreshDueAt" = ${new Date(t + pair.expiresInSeconds * 1000 * refreshAt)},
                 rotations = rotations + 1, "rotatedAt" = ${new Date(t)}, "lastError" = NULL, "updatedAt" = now()
          WHERE "oaId" = ${o.oaId}
          RETURNING "accessToken", "refreshToken", "refreshDueAt", "needsAdminAt", "lastError", rotations, "accessExpiresAt"`;
        return { row: updated[0]!, failure: null };
      },
      // The lock wait and one OAuth call (15 s timeout) both happen inside the transaction.
      { maxWait: 10_000, timeout: 60_000 },
    );
    if (outcome.failure) o.logger?.error({ oaId: o.oaId, err: outcome.failure.message }, "zalo oa token refresh refused: an administrator must grant access again");
    else if (outcome.row.rotations !== state?.rotations)
      o.logger?.info({ oaId: o.oaId, rotations: outcome.row.rotations, accessExpiresAt: outcome.row.accessExpiresAt }, "zalo oa token rotated");
    return outcome.row;
  }

  /** One refresh at a time in this process; the row lock serialises processes. */
  async function refresh(stillGood: (row: Row) => boolean, signal?: AbortSignal): Promise<Row> {
    while (inflight) await inflight.catch(() => undefined);
    if (state?.needsAdminAt) throw needsAdmin(state);
    if (Date.now() < coolDownUntil) throw new ChannelFailure("ZALO_OA", "retry_later", "Zalo OA: token refresh failed moments ago", { retryAfterMs: coolDownUntil - Date.now() });
    if (state && stillGood(state)) return state;
    inflight = rotate(stillGood, signal);
    try {
      state = await inflight;
    } catch (err) {
      coolDownUntil = Date.now() + backoffMs;
      o.logger?.warn({ oaId: o.oaId, err: (err as Error).message }, "zalo oa token refresh failed; will try again");
      throw err instanceof ChannelFailure ? err : new ChannelFailure("ZALO_OA", "retry_later", `Zalo OA token refresh failed: ${(err as Error).message}`, { cause: err });
    } finally {
      inflight = null;
    }
    if (state.needsAdminAt) {
      if (!alerted) {
        alerted = true;
        o.onNeedsAdmin?.(needsAdmin(state));
      }
      throw needsAdmin(state);
    }
    return state;
  }

  return {
    async accessToken(signal) {
      while (inflight) await inflight.catch(() => undefined);
      state ??= await load();
      if (state.needsAdminAt) throw needsAdmin(state);
      if (!isDue(state)) return state.accessToken;
      return (await refresh((row) => !isDue(row), signal)).accessToken;
    },
    async refreshAfterRejection(rejected, signal) {
      state ??= await load();
      return (await refresh((row) => row.accessToken !== rejected && !isDue(row), signal)).accessToken;
    },
    async refreshIfDue(signal) {
      while (inflight) await inflight.catch(() => undefined);
      state = (state && (await readRow())) ?? (await load());
      if (state.needsAdminAt) throw needsAdmin(state);
      if (isDue(state)) await refresh((row) => !isDue(row), signal);
      return state.refreshDueAt;
    },
    async status() {
      const rows = await db.$queryRaw<ZaloOaTokenStatus[]>`SELECT "needsAdminAt", "lastError", rotations, "accessExpiresAt" FROM "ZaloOaToken" WHERE "oaId" = ${o.oaId}`;
      return rows[0] ?? null;
    },
  };
}
