-- AlterTable
ALTER TABLE "Document" ADD COLUMN     "signaturePending" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "signedAt" TIMESTAMP(3),
ADD COLUMN     "signingAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "signingClaimedAt" TIMESTAMP(3),
ADD COLUMN     "signingError" TEXT;

-- CreateIndex
CREATE INDEX "Document_signaturePending_signingClaimedAt_idx" ON "Document"("signaturePending", "signingClaimedAt");

-- Documents issued before this migration were signed inside the issuing transaction: a stored PDF
-- with a signature (/ByteRange) was signed by the server when it was issued.
UPDATE "Document" SET "signedAt" = "issuedAt" WHERE "issuedAt" IS NOT NULL AND "pdf" IS NOT NULL AND position('/ByteRange'::bytea IN "pdf") > 0;
