-- CreateTable
CREATE TABLE "PeriodicRun" (
    "name" TEXT NOT NULL,
    "lastRunAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PeriodicRun_pkey" PRIMARY KEY ("name")
);
