/** Reads the QR codes printed on PDF pages: poppler renders the page, jsQR (pure JavaScript) decodes it. */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import jsQRModule from "jsqr";

// jsqr ships CommonJS with `exports.default`; under ESM the default import is the module object.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ?? jsQRModule) as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

const run = promisify(execFile);

/** Parses a binary PPM (P6) as RGBA. */
function ppmToRgba(ppm: Buffer): { width: number; height: number; data: Uint8ClampedArray } {
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.toString("latin1", 0, 64));
  if (!header) throw new Error("not a P6 PPM");
  const width = Number(header[1]);
  const height = Number(header[2]);
  const pixels = ppm.subarray(header[0].length);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; i < width * height; i++, j += 3) {
    data[i * 4] = pixels[j]!;
    data[i * 4 + 1] = pixels[j + 1]!;
    data[i * 4 + 2] = pixels[j + 2]!;
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}

/** The text of the QR code on page `page` (1-based) of `pdf`, or null when none decodes. */
export async function decodePageQr(pdf: Uint8Array, page: number, dpi = 150): Promise<string | null> {
  const dir = await mkdtemp(path.join(tmpdir(), "chidao-qr-"));
  try {
    await writeFile(path.join(dir, "doc.pdf"), pdf);
    await run("pdftoppm", ["-r", String(dpi), "-f", String(page), "-l", String(page), "-singlefile", path.join(dir, "doc.pdf"), path.join(dir, "page")]);
    const img = ppmToRgba(await readFile(path.join(dir, "page.ppm")));
    return jsQR(img.data, img.width, img.height)?.data ?? null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
