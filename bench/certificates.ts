/**
 * `npm run bench:certificates`: 5,000 giấy khen from one XLSX to the print PDF, the ZIP of
 * individual PDFs and the ceremony lists, through the product's own functions (the ones the job and
 * `npm run certificates` run) in a child process whose peak RSS is read from /proc (VmHWM). The
 * XLSX is written beforehand by this parent process, so its cost is not counted. Goals: ≤ 20 s,
 * peak RSS ≤ 400 MB, print PDF ≤ 30 KB per certificate.
 */
import { execFileSync, fork } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { loadConfig } from "../server/config/env.ts";
import { createPrisma } from "../server/db/prisma.ts";
import { batchDir } from "../server/features/certificates/certificate-batch-files.ts";
import { runCertificateFile } from "../server/features/certificates/run-certificate-file.ts";
import { verifyUrl } from "../server/features/documents/verify-url.ts";
import { createBenchDb } from "./bench-db.ts";

const ROWS = Number(process.env.BENCH_ROWS ?? 5000);
const GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hạnh", "Khôi", "Linh", "Minh", "Ngọc", "Phúc", "Quyên", "Sơn", "Thảo", "Uyên", "Việt", "Xuân", "Yến"];
const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"];
const MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Hoàng", "Thanh", "Quốc", "Thu", "Đức", "Gia"];

async function child(xlsx: string, url: string, out: string): Promise<void> {
  const db = createPrisma(url);
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: "silent" });
  const admin = await db.user.findFirstOrThrow({ where: { role: "ADMIN" } });
  const bytes = await readFile(xlsx);
  const phases: Record<string, number> = {};
  const rssAt: Record<string, number> = { start: process.memoryUsage().rss / 2 ** 20 };
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const result = await runCertificateFile(db, {
    user: { id: admin.id, email: admin.email, name: admin.name, role: "ADMIN", organizationId: null, locale: "vi" },
    bytes,
    query: { template: "giay_khen", issuer: "SGD" },
    process: { root: out, verifyUrl: (c) => verifyUrl(config, c) },
    onPhase: (phase, ms) => {
      phases[phase] = ms;
      rssAt[phase] = process.memoryUsage().rss / 2 ** 20;
    },
  });
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  if (result.kind !== "done") throw new Error(`invalid: ${JSON.stringify(result.errors.slice(0, 5))}`);
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(await readFile("/proc/self/status", "utf8"))?.[1] ?? 0) / 1024;
  process.send!({ id: result.id, wall, phases, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: hwm, rssAt });
  await db.$disconnect();
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), "chidao-bench-cert-"));
  const bench = await createBenchDb("chidao_bench_certificates");
  try {
    const sgd = await bench.db.organization.create({
      data: {
        code: "SGD",
        name: "Sở Giáo dục và Đào tạo",
        kind: "DEPARTMENT",
        symbol: "SGDĐT",
        place: "Thành phố Hồ Chí Minh",
        governingBody: "Ủy ban nhân dân Thành phố Hồ Chí Minh",
      },
    });
    await bench.db.user.create({ data: { email: "bench@sgd.example.vn", name: "Bench", passwordHash: "x", role: "ADMIN" } });
    // The spreadsheet an officer would send: Vietnamese headings, one row per pupil.
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("Khen thưởng");
    sheet.addRow(["STT", "Họ và tên", "Lớp", "Danh hiệu", "Thành tích", "Số quyết định", "Ngày quyết định", "Quyền hạn ký", "Chức vụ người ký", "Người ký"]);
    for (let i = 0; i < ROWS; i++) {
      const name = `${FAMILY[i % FAMILY.length]} ${MIDDLE[(i >> 4) % MIDDLE.length]} ${GIVEN[(i * 7) % GIVEN.length]}`;
      sheet.addRow([
        i + 1,
        name,
        `Lớp ${6 + (i % 4)}A${1 + (i % 9)}, Trường THCS số ${1 + (i % 120)}`,
        i % 3 ? "Học sinh Giỏi" : "Học sinh Xuất sắc",
        "Đã có thành tích xuất sắc trong học tập và rèn luyện năm học 2025–2026",
        "125/QĐ-SGDĐT",
        "15/11/2026",
        "KT. Giám đốc",
        "Phó Giám đốc",
        "Trần Văn Bình",
      ]);
    }
    const xlsx = path.join(work, "giay-khen.xlsx");
    await book.xlsx.writeFile(xlsx);
    const out = path.join(work, "out");
    const result = await new Promise<{ id: number; wall: number; phases: Record<string, number>; cpuMs: number; peakRssMb: number; rssAt: Record<string, number> }>(
      (resolve, reject) => {
        const p = fork(new URL(import.meta.url).pathname, ["--child", xlsx, bench.url, out], { execArgv: process.execArgv, stdio: "inherit" });
        p.on("message", (m) => resolve(m as never));
        p.on("exit", (code) => code !== 0 && reject(new Error(`child exited ${code}`)));
      },
    );
    const dir = batchDir(out, result.id);
    const size = async (n: string) => (await stat(path.join(dir, n))).size;
    const [print = 0, zip = 0, listPdf = 0, listXlsx = 0] = await Promise.all(["print.pdf", "certificates.zip", "list.pdf", "list.xlsx"].map(size));
    const pages = /Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [path.join(dir, "print.pdf")], { encoding: "utf8" }))?.[1];
    const fonts = execFileSync("pdffonts", [path.join(dir, "print.pdf")], { encoding: "utf8" })
      .split("\n")
      .slice(2)
      .filter(Boolean).length;
    const kb = (b: number) => (b / 1024).toFixed(1);
    const s = (ms: number) => (ms / 1000).toFixed(1);
    console.log(`certificates: ${ROWS} giấy khen from one XLSX (${kb((await stat(xlsx)).size)} KB), issuer ${sgd.code}`);
    console.log(
      `  total ${s(result.wall)} s wall, ${s(result.cpuMs)} s CPU (read ${s(result.phases.read ?? 0)} s, validated and stored ${s((result.phases.validated ?? 0) - (result.phases.read ?? 0))} s, numbered + rendered + assembled ${s((result.phases.done ?? 0) - (result.phases.validated ?? 0))} s); ${(ROWS / (result.wall / 1000)).toFixed(0)} certificates/s`,
    );
    console.log(
      `  peak RSS ${result.peakRssMb.toFixed(0)} MB (RSS at start, after reading, after validating, at the end: ${["start", "read", "validated", "done"].map((k) => (result.rssAt[k] ?? 0).toFixed(0)).join(" / ")} MB)`,
    );
    console.log(`  print.pdf ${kb(print)} KB, ${pages} pages, ${fonts} fonts: ${kb(print / ROWS)} KB per certificate`);
    console.log(`  certificates.zip ${kb(zip)} KB: ${kb(zip / ROWS)} KB per certificate PDF; list.pdf ${kb(listPdf)} KB, list.xlsx ${kb(listXlsx)} KB`);
    const ok = result.wall <= 20_000 && result.peakRssMb <= 400 && print / ROWS <= 30 * 1024;
    console.log(`  goals (≤ 20 s, ≤ 400 MB, ≤ 30 KB/certificate): ${ok ? "met" : "NOT met"}`);
  } finally {
    await bench.drop();
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child") await child(process.argv[3]!, process.argv[4]!, process.argv[5]!);
else await main();
