/**
 * A reply that picks one of the numbered choices the bot offered: "1", "số 2", "so 2", "#2",
 * "chọn 3", "đã nhận 1", "da nhan so 1 a". Platforms without buttons (the Zalo Bot; the Zalo OA past
 * its five buttons) show choices as numbered lines, and on every platform a typed number is the
 * quickest answer. Pure: the conversation core decides what the number picks.
 */
import { foldVietnamese } from "../../server/domain/reply-intent.ts";

/**
 * How the number was written: alone or after picking words ("1", "số 1", "chọn 1"); after words of
 * receipt ("đã nhận 1"); or with "#" ("#1", "đã nhận #1"), which also names directive 1.
 */
export type ChoiceNumberForm = "bare" | "receipt" | "hash";
export type ChoiceNumber = { n: number; form: ChoiceNumberForm };

// Words that may come before the number: who speaks, politeness, picking and receipt ("dạ em chọn số 2").
const PRONOUNS = new Set(["em", "thay", "co", "toi", "minh", "truong", "ben"]);
const PICKING = new Set(["da", "vang", "chon", "lua", "so", "muc", "phuong", "an", "van", "ban", "vb", "xin", "thi"]);
const RECEIPT = new Set(["nhan", "xac", "xem", "roi", "duoc", "dc", "ok", "oke"]);
// Words that may follow it: particles and thanks ("1 ạ", "số 2 nhé", "1 ạ, em cảm ơn").
const AFTER = /^(?:(?:a|nhe|nha|roi|thay|co|anh|chi|em|luon|ok|cam on|xin cam on|a cam on)\s*)*$/;

/**
 * The number a reply picks, or null when the reply is something else. Only a whole reply counts:
 * "đã nhận 2 văn bản" or "có 1 câu hỏi" pick nothing.
 * @example parseChoiceNumber("Đã nhận số 2 ạ") // { n: 2, form: "receipt" }
 */
export function parseChoiceNumber(text: string): ChoiceNumber | null {
  const m = /^((?:[a-z]+ )*?)(#\s?)?(\d{1,9})( .*)?$/.exec(foldVietnamese(text));
  if (!m) return null;
  const before = m[1]!.trim().split(" ").filter(Boolean);
  if (!AFTER.test((m[4] ?? "").trim())) return null;
  if (before.some((w) => !PRONOUNS.has(w) && !PICKING.has(w) && !RECEIPT.has(w))) return null;
  // A pronoun alone before a number is a remark ("em 2"), not a pick.
  if (before.length && before.every((w) => PRONOUNS.has(w))) return null;
  const n = Number(m[3]);
  if (m[2]) return { n, form: "hash" };
  return { n, form: before.some((w) => RECEIPT.has(w)) ? "receipt" : "bare" };
}
