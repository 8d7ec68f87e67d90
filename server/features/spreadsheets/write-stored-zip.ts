/**
 * Writes entries as a ZIP with no compression: the archive a library such as ExcelJS reads after
 * {@link readSafeZip} has checked and inflated the upload, so the library inflates nothing itself.
 */
import { endOfCentralDirectory, storedEntryRecords } from "./stored-zip-records.ts";

/** A store-only ZIP of `entries` (ASCII/UTF-8 names, each below 4 GiB, fewer than 65,535). */
export function writeStoredZip(entries: Map<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const rawName = Buffer.from(name, "utf8");
    const { local, central } = storedEntryRecords(rawName, data, offset);
    locals.push(local, rawName, data);
    centrals.push(central, rawName);
    offset += 30 + rawName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = endOfCentralDirectory(entries.size, directory.length, offset);
  return Buffer.concat([...locals, directory, end]);
}
