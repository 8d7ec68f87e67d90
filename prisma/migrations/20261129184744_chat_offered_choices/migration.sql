-- AlterTable
ALTER TABLE "ChatIdentity" ADD COLUMN     "choicesOfferedAt" TIMESTAMP(3),
ADD COLUMN     "offeredChoices" JSONB;
