/**
 * `npm run certificates -- <file.xlsx|file.csv> --template giay_khen --issuer SGD [--occasion 3]
 * [--series GK] [--user admin@…]`: makes a batch of certificates from a spreadsheet on this
 * machine's database (DATABASE_URL, or the embedded one), with a progress bar, through the same
 * code as the API and the worker. The files land in CERTIFICATES_DIR/batch-<id>/.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../server/config/env.ts";
import { migrate } from "../server/db/migrate.ts";
import { createPrisma } from "../server/db/prisma.ts";
import { startDatabase } from "../server/db/start-database.ts";
import { batchDir, certificatesDir } from "../server/features/certificates/certificate-batch-files.ts";
import { CreateBatchQuerySchema } from "../server/features/certificates/create-certificate-batch.ts";
import { runCertificateFile } from "../server/features/certificates/run-certificate-file.ts";
import { verifyUrl } from "../server/features/documents/verify-url.ts";
import { t } from "../server/i18n.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { template: { type: "string" }, issuer: { type: "string" }, occasion: { type: "string" }, series: { type: "string" }, user: { type: "string" } },
});
const file = positionals[0];
if (!file || !values.template || !values.issuer) {
  console.error(
    "usage: npm run certificates -- <file.xlsx|file.csv> --template <giay_khen|chung_nhan_kiem_dinh|cong_nhan_chuan_quoc_gia> --issuer <code> [--occasion <id>] [--series <GK>] [--user <email>]",
  );
  process.exit(2);
}
const query = CreateBatchQuerySchema.parse({ template: values.template, issuer: values.issuer, occasion: values.occasion, series: values.series });
const config = loadConfig();
const database = await startDatabase(config);
let code = 0;
try {
  await migrate(database.url);
  const db = createPrisma(database.url);
  // The operator acts as an administrator: the one named, or the first system-wide one.
  const user = await db.user.findFirst({
    where: values.user ? { email: values.user } : { role: "ADMIN", organizationId: null, disabledAt: null },
    orderBy: { id: "asc" },
  });
  if (!user) throw new Error(values.user ? `no user ${values.user}` : "no system administrator: create one (ADMIN_EMAIL) or name a user with --user");
  const auth = { id: user.id, email: user.email, name: user.name, role: user.role, organizationId: user.organizationId, locale: "vi" };
  const bar = (done: number, total: number) => {
    const width = 40;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    process.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`);
  };
  const root = certificatesDir(config);
  const result = await runCertificateFile(db, {
    user: auth,
    bytes: await readFile(file),
    query,
    process: { root, verifyUrl: (c) => verifyUrl(config, c), onProgress: bar },
    onPhase: (phase, ms) => phase === "validated" && process.stderr.write(`checked ${path.basename(file)} in ${(ms / 1000).toFixed(1)} s\n`),
  });
  if (result.kind === "invalid") {
    for (const e of result.errors)
      console.error(`row ${e.row}, ${e.field}: ${e.messageKey === "errors.field.invalid" && e.message ? e.message : t("vi", e.messageKey, e.params ?? {})}`);
    console.error(`${result.errors.length} errors; nothing was made`);
    code = 1;
  } else {
    const out = batchDir(root, result.id);
    process.stderr.write("\n");
    console.log(`batch ${result.id}: ${result.total} certificates`);
    for (const name of ["print.pdf", "certificates.zip", "list.pdf", "list.xlsx"]) console.log(path.join(out, name));
  }
  await db.$disconnect();
} catch (err) {
  console.error(String((err as Error).message ?? err));
  code = 1;
} finally {
  await database.stop();
}
process.exit(code);
