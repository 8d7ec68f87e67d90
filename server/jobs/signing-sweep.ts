/**
 * The signing sweep: every worker process ticks on its own timer and a row in PostgreSQL
 * ({@link takePeriodicTurn}) gives one of them the turn each interval, as for the delivery sweep.
 * It signs the issued documents a crash left waiting for their signature (the issuing process died
 * between its commit and its signature, or the signer failed).
 */
import type { Logger } from "../config/logger.ts";
import type { Db } from "../db/prisma.ts";
import { sweepUnsignedDocuments } from "../features/documents/sweep-unsigned-documents.ts";
import { takePeriodicTurn } from "../features/scheduling/take-periodic-turn.ts";
import type { SigningProvider } from "../signing/signing-from-config.ts";
import { startTicker } from "./start-ticker.ts";

export const SIGNING_SWEEP = "document.signing-sweep";

/**
 * How long the process that issued a document may take to sign it before the sweep takes over.
 * Long enough for a remote signer that asks a person to confirm on a phone; a crash costs at most
 * this plus an interval.
 */
export const SIGNING_LEASE_MS = 120_000;

export type SigningSweepOptions = {
  db: Db;
  signing: SigningProvider;
  logger: Logger;
  intervalMs: number;
  leaseMs?: number;
};

/** Starts the signing sweep timer of this process; returns the function that stops it (and waits for a sweep in progress). */
export function startSigningSweep({ db, signing, logger, intervalMs, leaseMs = SIGNING_LEASE_MS }: SigningSweepOptions): () => Promise<void> {
  const log = logger.child({ module: "signing-sweep" });
  const tickMs = Math.max(100, Math.floor(intervalMs / 4));

  const tick = async () => {
    if (!(await takePeriodicTurn(db, SIGNING_SWEEP, intervalMs, tickMs / 2))) return;
    const pending = await db.document.count({ where: { signaturePending: true } });
    if (!pending) return;
    const transport = await signing();
    if (!transport) {
      log.warn({ pending }, "documents wait for a signature but the server has no signer (SIGNING_P12_PATH)");
      return;
    }
    const result = await sweepUnsignedDocuments(db, { transport, leaseMs });
    if (result.claimed) log.info(result, "signed documents a crash or a failed signer left pending");
  };

  return startTicker(tick, { everyMs: tickMs, log, failure: "signing sweep failed" });
}
