/**
 * Opens an uploaded .xlsx with ExcelJS without letting ExcelJS (JSZip) near the upload's bytes:
 * {@link readSafeZip} checks the archive and inflates, within the limits, only the parts a
 * workbook's cells need, and ExcelJS reads those from a store-only ZIP we write. Left out are media,
 * themes, document properties, printer settings, VBA and embedded files (nested archives are never
 * inflated), which ExcelJS would otherwise inflate whole, recognised or not.
 */
import ExcelJS from "exceljs";
import { AppError } from "../../domain/errors.ts";
import { readSafeZip, type ZipLimits } from "./read-safe-zip.ts";
import { writeStoredZip } from "./write-stored-zip.ts";

const MiB = 1024 * 1024;

/**
 * Limits for a workbook that fits MAX_BODY_BYTES (5 MiB): 60,000 rows of ten text columns, the
 * import's row cap, are 34 MiB unpacked (a 24 MiB sheet and 10 MiB of shared strings, 11:1),
 * so 40 MiB per part and 64 MiB in all leave room; 100:1 is Apache POI's long-standing bound.
 */
export const XLSX_ZIP_LIMITS: ZipLimits = { maxEntries: 1_000, maxEntryBytes: 40 * MiB, maxTotalBytes: 64 * MiB, maxRatio: 100 };

const XLSX_PARTS = [
  /^\[Content_Types\]\.xml$/,
  /^_rels\/\.rels$/,
  /^xl\/workbook\.xml$/,
  /^xl\/_rels\/workbook\.xml\.rels$/,
  /^xl\/sharedStrings\.xml$/,
  /^xl\/styles\.xml$/,
  /^xl\/worksheets\/sheet\d+\.xml$/,
  /^xl\/worksheets\/_rels\/sheet\d+\.xml\.rels$/,
  // Parts a worksheet's relationships point to, which ExcelJS looks up without checking that they
  // exist (a sheet with a comment or a table would not load without them). All small XML.
  /^xl\/comments\d+\.xml$/,
  /^xl\/drawings\/vmlDrawing\d+\.vml$/,
  /^xl\/drawings\/[a-zA-Z0-9]+\.xml$/,
  /^xl\/drawings\/_rels\/[a-zA-Z0-9]+\.xml\.rels$/,
  /^xl\/tables\/table\d+\.xml$/,
];

/** True for the parts of an .xlsx that reading its cells needs (names as ExcelJS matches them). */
const isXlsxCellPart = (name: string): boolean => XLSX_PARTS.some((re) => re.test(name));

/**
 * The workbook in `bytes`, read within `limits`.
 * @throws AppError from {@link readSafeZip}; VALIDATION when ExcelJS cannot read the parts.
 */
export async function loadXlsxWorkbook(bytes: Buffer, limits: ZipLimits = XLSX_ZIP_LIMITS): Promise<ExcelJS.Workbook> {
  const parts = await readSafeZip(bytes, { ...limits, keep: isXlsxCellPart });
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(writeStoredZip(parts) as unknown as ExcelJS.Buffer);
  } catch (cause) {
    throw new AppError("VALIDATION", "unreadable xlsx", { messageKey: "errors.import.malformed_xlsx", params: { detail: (cause as Error).message }, cause });
  }
  return book;
}
