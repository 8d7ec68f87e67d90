/**
 * A certificate batch worker in its own process, for the crash test: runs the real batch processing
 * (the function the `certificates` queue's worker runs) on batch `id`, and reports every rendered
 * chunk to its parent over IPC so the parent can SIGKILL it in the middle of the rendering.
 * Arguments (JSON): { databaseUrl, root, id, chunk, pauseMs }.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { loadConfig } from "../../server/config/env.ts";
import { createPrisma } from "../../server/db/prisma.ts";
import { processCertificateBatch } from "../../server/features/certificates/process-certificate-batch.ts";
import { verifyUrl } from "../../server/features/documents/verify-url.ts";

const o = JSON.parse(process.argv[2]!) as { databaseUrl: string; root: string; id: number; chunk: number; pauseMs: number };
const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: o.databaseUrl, LOG_LEVEL: "silent" });
const db = createPrisma(o.databaseUrl, 2);
const ran = await processCertificateBatch(db, o.id, {
  root: o.root,
  verifyUrl: (c) => verifyUrl(config, c),
  chunk: o.chunk,
  hooks: {
    // Reported after the chunk's commit; the short pause stands for a slower machine, so the parent's
    // kill lands while the following chunks are being rendered.
    afterRenderChunk: async (done) => {
      process.send?.({ done });
      if (o.pauseMs) await sleep(o.pauseMs);
    },
  },
});
process.send?.({ finished: ran });
await db.$disconnect();
