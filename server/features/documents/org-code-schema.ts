import { z } from "zod";

/**
 * An organisation code as the import accepts them (letters, digits, . _ -). Checked before any
 * query: PostgreSQL rejects a NUL byte in text with an error, which must be a 422, not a 500.
 */
export const OrgCodeSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}._\-]+$/u);
