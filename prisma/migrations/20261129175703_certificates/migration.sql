-- CreateEnum
CREATE TYPE "CertificateBatchStatus" AS ENUM ('QUEUED', 'RENDERING', 'ASSEMBLING', 'DONE', 'FAILED');

-- CreateTable
CREATE TABLE "Occasion" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "semester" INTEGER,
    "issuerOrgId" INTEGER NOT NULL,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Occasion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrgEmblem" (
    "id" SERIAL NOT NULL,
    "organizationId" INTEGER NOT NULL,
    "mediaType" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrgEmblem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CertificateBatch" (
    "id" SERIAL NOT NULL,
    "template" TEXT NOT NULL,
    "issuerOrgId" INTEGER NOT NULL,
    "occasionId" INTEGER,
    "series" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "status" "CertificateBatchStatus" NOT NULL DEFAULT 'QUEUED',
    "total" INTEGER NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "numberedAt" TIMESTAMP(3),
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "error" TEXT,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "CertificateBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CertificateItem" (
    "id" SERIAL NOT NULL,
    "batchId" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "row" INTEGER NOT NULL,
    "data" JSONB NOT NULL,
    "recipient" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "groupKey" TEXT,
    "number" INTEGER,
    "symbol" TEXT,
    "verifyCode" TEXT,
    "pdfSha256" TEXT,
    "renderedAt" TIMESTAMP(3),

    CONSTRAINT "CertificateItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Occasion_issuerOrgId_date_idx" ON "Occasion"("issuerOrgId", "date");

-- CreateIndex
CREATE UNIQUE INDEX "OrgEmblem_organizationId_key" ON "OrgEmblem"("organizationId");

-- CreateIndex
CREATE INDEX "CertificateBatch_issuerOrgId_createdAt_idx" ON "CertificateBatch"("issuerOrgId", "createdAt");

-- CreateIndex
CREATE INDEX "CertificateBatch_status_idx" ON "CertificateBatch"("status");

-- CreateIndex
CREATE UNIQUE INDEX "CertificateItem_verifyCode_key" ON "CertificateItem"("verifyCode");

-- CreateIndex
CREATE INDEX "CertificateItem_batchId_renderedAt_idx" ON "CertificateItem"("batchId", "renderedAt");

-- CreateIndex
CREATE UNIQUE INDEX "CertificateItem_batchId_seq_key" ON "CertificateItem"("batchId", "seq");

-- AddForeignKey
ALTER TABLE "Occasion" ADD CONSTRAINT "Occasion_issuerOrgId_fkey" FOREIGN KEY ("issuerOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrgEmblem" ADD CONSTRAINT "OrgEmblem_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateBatch" ADD CONSTRAINT "CertificateBatch_issuerOrgId_fkey" FOREIGN KEY ("issuerOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateBatch" ADD CONSTRAINT "CertificateBatch_occasionId_fkey" FOREIGN KEY ("occasionId") REFERENCES "Occasion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateItem" ADD CONSTRAINT "CertificateItem_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "CertificateBatch"("id") ON DELETE CASCADE ON UPDATE CASCADE;
