-- CreateEnum
CREATE TYPE "DeliveryAttemptStatus" AS ENUM ('SENT', 'RETRYING', 'FAILED', 'UNREACHABLE');

-- CreateEnum
CREATE TYPE "MessageKind" AS ENUM ('BOT_MESSAGE', 'CONSULTATION', 'TEMPLATE');

-- DropIndex
DROP INDEX "Delivery_directiveId_personId_channel_key";

-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "channelOrder" "Channel"[] DEFAULT ARRAY[]::"Channel"[];

-- AlterTable
ALTER TABLE "ChatIdentity" ADD COLUMN     "lastInteractionAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "DeliveryAttempt" (
    "id" SERIAL NOT NULL,
    "deliveryId" INTEGER NOT NULL,
    "channel" "Channel" NOT NULL,
    "status" "DeliveryAttemptStatus" NOT NULL,
    "error" TEXT,
    "messageKind" "MessageKind",
    "billable" BOOLEAN,
    "platformMessageId" TEXT,
    "externalChatId" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeliveryAttempt_pkey" PRIMARY KEY ("id")
);

-- Existing data: one logical delivery per (directive, person). Every row that was tried becomes an
-- attempt of the row kept for its (directive, person) (the one that got furthest: SENT first, then
-- in flight, then the lowest id); acknowledgements and receipts move to the kept row; the other rows go.
CREATE TEMP TABLE "_delivery_keep" AS
SELECT d.id,
       first_value(d.id) OVER (
         PARTITION BY d."directiveId", d."personId"
         ORDER BY CASE d.status WHEN 'SENT' THEN 0 WHEN 'SENDING' THEN 1 WHEN 'RETRYING' THEN 2 WHEN 'QUEUED' THEN 3 WHEN 'FAILED' THEN 4 ELSE 5 END, d.id
       ) AS keep
FROM "Delivery" d;

INSERT INTO "DeliveryAttempt" ("deliveryId", "channel", "status", "error", "messageKind", "billable", "platformMessageId", "externalChatId", "at")
SELECT k.keep, d.channel,
       (CASE d.status WHEN 'SENT' THEN 'SENT' WHEN 'FAILED' THEN 'FAILED' WHEN 'UNREACHABLE' THEN 'UNREACHABLE' ELSE 'RETRYING' END)::"DeliveryAttemptStatus",
       CASE WHEN d.status = 'SENT' THEN NULL ELSE d."lastError" END,
       (CASE WHEN d.channel = 'ZALO_OA' THEN 'CONSULTATION' ELSE 'BOT_MESSAGE' END)::"MessageKind",
       CASE WHEN d.channel = 'ZALO_OA' THEN NULL ELSE false END,
       d."platformMessageId", d."externalChatId", COALESCE(d."sentAt", d."updatedAt")
FROM "Delivery" d JOIN "_delivery_keep" k ON k.id = d.id
-- QUEUED and SENDING rows were not tried yet (or their try has no outcome); an UNREACHABLE row without a chat was never linked.
WHERE d.status IN ('SENT', 'FAILED', 'RETRYING') OR (d.status = 'UNREACHABLE' AND d."externalChatId" IS NOT NULL)
ORDER BY COALESCE(d."sentAt", d."updatedAt"), d.id;

UPDATE "Acknowledgement" a SET "deliveryId" = k.keep FROM "_delivery_keep" k WHERE a."deliveryId" = k.id AND k.id <> k.keep;

UPDATE "Delivery" d SET "deliveredAt" = m.delivered, "seenAt" = m.seen
FROM (SELECT k.keep, min(x."deliveredAt") AS delivered, min(x."seenAt") AS seen
      FROM "_delivery_keep" k JOIN "Delivery" x ON x.id = k.id GROUP BY k.keep) m
WHERE d.id = m.keep AND (m.delivered IS NOT NULL OR m.seen IS NOT NULL);

DELETE FROM "Delivery" d USING "_delivery_keep" k WHERE d.id = k.id AND k.id <> k.keep;

DROP TABLE "_delivery_keep";

-- CreateIndex
CREATE INDEX "DeliveryAttempt_deliveryId_idx" ON "DeliveryAttempt"("deliveryId");

-- CreateIndex
CREATE INDEX "DeliveryAttempt_channel_platformMessageId_idx" ON "DeliveryAttempt"("channel", "platformMessageId");

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_directiveId_personId_key" ON "Delivery"("directiveId", "personId");

-- AddForeignKey
ALTER TABLE "DeliveryAttempt" ADD CONSTRAINT "DeliveryAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "Delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;
