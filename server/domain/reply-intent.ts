/**
 * What a principal's free-text reply means. Principals type on phones, often without diacritics
 * ("da nhan a" for "đã nhận ạ"), with polite particles and pronouns around the words that matter.
 * Pure: the bot decides what to do with the intent.
 *
 * Order of precedence, most careful first — a wrong ACK is worse than a reply left for a human:
 * 1. a question ("?", "cho em hỏi", "khi nào", "bao giờ", "như thế nào"…) → QUESTION, even beside "đã nhận";
 * 2. a negation before a receiving verb ("chưa nhận được", "ko thấy file", "không mở được") → DECLINE;
 * 3. words of receipt ("đã nhận", "nhận được rồi", "đã xem", "đã rõ", "vâng", "ok", 👍) → ACK;
 * 4. anything else → UNKNOWN (kept for the officer).
 */

export type ReplyIntent = "ACK" | "DECLINE" | "QUESTION" | "UNKNOWN";
export type ParsedReply = { intent: ReplyIntent; /** A directive the reply names ("#12"). */ directiveRef?: number };

/** Lower-case ASCII folding of Vietnamese: NFC, strip combining marks, đ → d, punctuation → spaces. */
export function foldVietnamese(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}?#]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const QUESTION = /\?|\b(cho (em|minh|toi|thay|co) hoi|xin hoi|hoi (them|lai|ve)|khi nao|bao gio|nhu the nao|the nao|lam sao|tai sao|vi sao|o dau|la gi|phai khong|duoc khong|co can|can gi|bao nhieu)\b/;
// "không sao" means "no problem", and "không có gì" "you're welcome": neither refuses anything.
const HARMLESS_NEGATION = /\b(khong|ko|k) (sao|co gi|van de gi)\b/g;
const NEGATION = /\b(chua|khong|ko|k|kg|khg|hong|chang|chua he|khong he)\b( \S+){0,2} (nhan|thay|xem|mo|tai|doc|co|load|down)\b/;
const NEGATION_SHORT = /^(chua|khong|ko|k|chua a|khong a|chua nhan|khong nhan)$/;
const ACK_WORDS = /\b(da nhan|nhan duoc|nhan roi|nhan dc|nhan r|tiep nhan|da xem|xem roi|da doc|doc roi|da ro|ro roi|ro a|da nam|nam roi|da biet|biet roi|da thuc hien|vang|da vang|ok|oke|okie|okay|oki|dong y|received|got it|noted)\b/;
const ACK_ALONE = /^(da|ro|nhan|vang|u|uh|um|ok|d|dc|duoc|da a|ro a|nhan a|yes|y)( a| nhe| nha| roi| thay| co| anh| chi| em)*$/;
const ACK_EMOJI = /^[\s👍👌✅✔️🙏🆗]+$/u;

/** Classifies a reply; see the module comment for the rules. */
export function parseReply(text: string): ParsedReply {
  const ref = /#\s*(\d{1,9})\b/.exec(text);
  const directiveRef = ref ? Number(ref[1]) : undefined;
  const withRef = (intent: ReplyIntent): ParsedReply => (directiveRef === undefined ? { intent } : { intent, directiveRef });
  const trimmed = text.normalize("NFC").trim();
  if (!trimmed) return { intent: "UNKNOWN" };
  if (ACK_EMOJI.test(trimmed.replace(/\uFE0F/g, ""))) return withRef("ACK");
  const folded = foldVietnamese(trimmed).replace(/#\s*\d+/g, " ").replace(/\s+/g, " ").trim();
  if (QUESTION.test(folded)) return withRef("QUESTION");
  const unharmed = folded.replace(HARMLESS_NEGATION, " ");
  if (NEGATION.test(unharmed) || NEGATION_SHORT.test(unharmed)) return withRef("DECLINE");
  if (ACK_WORDS.test(unharmed) || ACK_ALONE.test(unharmed)) return withRef("ACK");
  return withRef("UNKNOWN");
}
