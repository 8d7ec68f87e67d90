-- CreateEnum
CREATE TYPE "InboxStatus" AS ENUM ('RECEIVED', 'DONE', 'FAILED');

-- AlterTable
ALTER TABLE "ProcessedUpdate" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "context" JSONB,
ADD COLUMN     "doneAt" TIMESTAMP(3),
ADD COLUMN     "event" JSONB,
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "leaseUntil" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "repliedAt" TIMESTAMP(3),
ADD COLUMN     "replies" JSONB,
ADD COLUMN     "status" "InboxStatus" NOT NULL DEFAULT 'RECEIVED';

-- CreateIndex
CREATE INDEX "ProcessedUpdate_status_leaseUntil_idx" ON "ProcessedUpdate"("status", "leaseUntil");

-- Every update recorded before this migration was processed (claimed, then handled) already.
UPDATE "ProcessedUpdate" SET "status" = 'DONE', "doneAt" = "createdAt", "repliedAt" = "createdAt";
