import type { Db } from "../../db/prisma.ts";
import type { SigningTransport } from "../../signing/signing-transport.ts";
import { signIssuedDocument } from "./sign-issued-document.ts";

export type SweepUnsignedOptions = {
  transport: SigningTransport;
  /** A claim older than this is taken over: its process died, or its signer hung. */
  leaseMs: number;
  /** Most documents one sweep signs. */
  limit?: number;
};

export type SweepUnsignedResult = { claimed: number; signed: number; failed: number };

/**
 * Finishes what a crash left: issued documents still waiting for their signature whose claim is
 * absent or older than the lease (the issuing process died between its commit and its signature,
 * or the signer failed). Each is claimed by one conditional update (SKIP LOCKED, so two sweepers
 * share the work rather than sign one document twice) and signed; a failure stays pending for the
 * next sweep, after the lease.
 */
export async function sweepUnsignedDocuments(db: Db, { transport, leaseMs, limit = 50 }: SweepUnsignedOptions): Promise<SweepUnsignedResult> {
  const claimed = await db.$queryRaw<{ id: number }[]>`
    UPDATE "Document" SET "signingClaimedAt" = now(), "signingAttempts" = "signingAttempts" + 1
    WHERE id IN (
      SELECT id FROM "Document"
      WHERE "signaturePending" AND ("signingClaimedAt" IS NULL OR "signingClaimedAt" < now() - ${leaseMs} * interval '1 millisecond')
      ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  let signed = 0;
  let failed = 0;
  for (const { id } of claimed) {
    try {
      if ((await signIssuedDocument(db, { documentId: id, transport })).signed) signed++;
    } catch {
      failed++;
    }
  }
  return { claimed: claimed.length, signed, failed };
}
