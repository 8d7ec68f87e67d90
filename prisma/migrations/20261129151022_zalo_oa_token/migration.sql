-- CreateTable
CREATE TABLE "ZaloOaToken" (
    "id" SERIAL NOT NULL,
    "oaId" TEXT NOT NULL,
    "accessToken" TEXT NOT NULL,
    "refreshToken" TEXT NOT NULL,
    "accessExpiresAt" TIMESTAMP(3),
    "refreshDueAt" TIMESTAMP(3),
    "rotations" INTEGER NOT NULL DEFAULT 0,
    "rotatedAt" TIMESTAMP(3),
    "seedFingerprint" TEXT NOT NULL,
    "needsAdminAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ZaloOaToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ZaloOaToken_oaId_key" ON "ZaloOaToken"("oaId");
