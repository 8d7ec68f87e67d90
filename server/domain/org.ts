/** Organisation kinds and levels as the API spells them (lowercase) and as the database stores them. */
import { z } from "zod";

export const ORG_KINDS = ["ministry", "department", "commune", "district_office", "school", "center"] as const;
export const SCHOOL_LEVELS = ["mam_non", "tieu_hoc", "thcs", "thpt", "nhieu_cap", "gdtx"] as const;
export type OrgKindName = (typeof ORG_KINDS)[number];
export type SchoolLevelName = (typeof SCHOOL_LEVELS)[number];
export type OrgKindDb = Uppercase<OrgKindName>;
export type SchoolLevelDb = Uppercase<SchoolLevelName>;

/** Accepts any case ("THPT", "thpt") and returns the API spelling. */
export const OrgKindSchema = z.preprocess((v) => (typeof v === "string" ? v.trim().toLowerCase() : v), z.enum(ORG_KINDS));
export const SchoolLevelSchema = z.preprocess((v) => (typeof v === "string" ? v.trim().toLowerCase() : v), z.enum(SCHOOL_LEVELS));

export const toDbKind = (k: OrgKindName): OrgKindDb => k.toUpperCase() as OrgKindDb;
export const toDbLevel = (l: SchoolLevelName): SchoolLevelDb => l.toUpperCase() as SchoolLevelDb;
export const fromDbKind = (k: string): OrgKindName => k.toLowerCase() as OrgKindName;
export const fromDbLevel = (l: string | null): SchoolLevelName | null => (l ? (l.toLowerCase() as SchoolLevelName) : null);

/** Only schools and centres carry a level (cấp học). */
export function kindHasLevel(kind: OrgKindName): boolean {
  return kind === "school" || kind === "center";
}

/** Organisation codes: letters, digits, ".", "_" and "-" (what the import accepts). */
export const ORG_CODE_PATTERN = /^[\p{L}\p{N}._-]+$/u;

/**
 * An organisation code in a request. Checked before any query: PostgreSQL rejects a NUL byte in
 * text with an error, which must be a 422 naming the field, not a 500.
 */
export const OrgCodeSchema = z.string().trim().min(1).max(64).regex(ORG_CODE_PATTERN);
