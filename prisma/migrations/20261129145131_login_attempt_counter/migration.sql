-- CreateTable
CREATE TABLE "LoginAttemptCounter" (
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoginAttemptCounter_pkey" PRIMARY KEY ("kind","key")
);

-- CreateIndex
CREATE INDEX "LoginAttemptCounter_expiresAt_idx" ON "LoginAttemptCounter"("expiresAt");
