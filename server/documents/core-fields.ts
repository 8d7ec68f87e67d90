/**
 * Fields every letter template accepts, with the text hygiene documents need: NFC, no control
 * characters (422), and only characters the document face can draw (422 naming the field rather
 * than a blank box in a signed letter).
 */
import { z } from "zod";
import { userText } from "../domain/text.ts";
import { serifFonts } from "./font.ts";

/**
 * Right-to-left scripts and the invisible marks that change text direction. The renderers draw
 * every line left to right in the order typed (no bidi algorithm: Vietnamese documents never need
 * one), so Hebrew would come out reversed and an RLO could make a line read differently on screen
 * than in the text layer. Rejecting them (422) beats printing them wrong in a signed document.
 */
const RIGHT_TO_LEFT = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Bidi_Control}]/u;

/**
 * Document text: `userText` (NFC; C0/C1 controls other than tab and line feed are a 422, not
 * silently removed, so what is signed is what was typed) plus checks that every character can be
 * printed and that nothing asks for right-to-left layout.
 */
export function docText(o: { max: number; min?: number; multiline?: boolean }) {
  return userText(o)
    .refine((s) => !RIGHT_TO_LEFT.test(s), { params: { messageKey: "errors.field.right_to_left" }, message: "right-to-left text or direction marks", abort: true })
    .refine((s) => serifFonts().regular.covers(s), { params: { messageKey: "errors.field.unsupported_chars" }, message: "characters the document font cannot print" });
}

/** Most lines a body may have: a 65-page document; beyond it the DOCX library alone needs hundreds of MB. */
export const MAX_BODY_LINES = 2000;

/** Multi-line document text limited to `MAX_BODY_LINES` non-empty lines. */
export function bodyText(max: number) {
  return docText({ max, multiline: true }).refine((s) => s.split("\n").filter((l) => l.trim()).length <= MAX_BODY_LINES, {
    params: { messageKey: "errors.field.too_many_lines" },
    message: `more than ${MAX_BODY_LINES} lines`,
  });
}

export const AUTHORITY = /^(TM|Q|KT|TL|TUQ)\. \S/u;

export const SignerSchema = z
  .object({
    /** "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN", "TL. HIỆU TRƯỞNG", "Q. GIÁM ĐỐC", "TUQ. GIÁM ĐỐC". */
    authority: docText({ max: 120 })
      .refine((s) => AUTHORITY.test(s.toUpperCase()), { params: { messageKey: "errors.field.authority" }, message: "must start with TM., Q., KT., TL. or TUQ." })
      .optional(),
    title: docText({ max: 120 }),
    name: docText({ max: 80 }),
  })
  .strict();

export const coreShape = {
  subject: docText({ max: 500 }),
  body: bodyText(100_000),
  signer: SignerSchema,
  recipients: z
    .array(docText({ max: 300 }))
    .max(200)
    .default([]),
  cc: z
    .array(docText({ max: 300 }))
    .max(200)
    .default([]),
  drafting_unit: z
    .string()
    .trim()
    .regex(/^[\p{Lu}\p{N}&]{1,16}$/u, "upper-case letters and digits")
    .optional(),
  drafter_initials: z
    .string()
    .trim()
    .regex(/^[\p{Lu}]{1,8}$/u, "upper-case initials")
    .optional(),
  copies: z.number().int().min(1).max(100_000).optional(),
};

export const CoreSchema = z.object(coreShape).strict();
export type CoreData = z.infer<typeof CoreSchema> & Record<string, unknown>;
