/**
 * What a principal's free-text reply means. Principals type on phones, often without diacritics
 * ("da nhan a" for "đã nhận ạ"), with polite particles and pronouns around the words that matter.
 * Pure: the bot decides what to do with the intent.
 *
 * Order of precedence, most careful first — a wrong ACK is worse than a reply left for a human:
 * 1. a question → QUESTION, even beside "đã nhận": "?", "hỏi", "cho em hỏi", "thắc mắc", "khi nào",
 *    "bao giờ", "như thế nào", "ở đâu", and a sentence ending in the yes/no particle "chưa" or
 *    "không" ("đã nhận được chưa ạ", "nhận được file ko ạ" ask whether something was received);
 * 2. a negation before a word of receipt or of reading ("chưa nhận được", "ko thấy file", "không mở
 *    được", "chưa xem", "không ok") or after it ("mở file không được") → DECLINE; a bare "chưa" /
 *    "không" / "em chưa ạ" too; so is a broken or incomplete file ("file bị lỗi", "thiếu phụ lục"),
 *    even beside "đã nhận" — the officer has to resend;
 * 3. a negation before a word of understanding ("chưa rõ", "không hiểu") → QUESTION: the principal
 *    needs an explanation, which is the officer's job;
 * 4. words of receipt ("đã nhận", "nhận được rồi", "đã xem", "đã rõ", "vâng", "rồi ạ", "ok", 👍) → ACK;
 *    "xác nhận" only as the whole reply ("xác nhận lại thời hạn" asks to double-check something);
 * 5. anything else → UNKNOWN (kept for the officer). A bare "cảm ơn" is UNKNOWN: it thanks for
 *    something, not necessarily for this directive; "dạ, em cảm ơn" is an ACK.
 *
 * Phrases that contain a negation but refuse nothing ("không sao", "không có gì", "không có vấn đề
 * gì", "không có thắc mắc gì", "không có câu hỏi gì") are removed before rules 1–3, and "không có"
 * declines only about the document ("không có file"), not in a remark ("không có học sinh lớp 9").
 * "#12" names directive 12; "#125/SGDĐT" is an official document number and names nothing.
 */

export type ReplyIntent = "ACK" | "DECLINE" | "QUESTION" | "UNKNOWN";
export type ParsedReply = { intent: ReplyIntent; /** A directive the reply names ("#12"). */ directiveRef?: number };

/**
 * Lower-case ASCII folding of Vietnamese: NFC, lower case, combining marks stripped, đ → d,
 * punctuation and emoji → spaces ("?" and "#" kept, they carry meaning), spaces collapsed.
 * @example foldVietnamese("  ĐÃ NHẬN, ạ!! ") // "da nhan a"
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize("NFC")
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/đ/g, "d")
    .replace(/[^\p{L}\p{N}?#]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const NEGATOR = String.raw`(?:chua|chx|khong|ko|k|kg|khg|hong|hok|chang|chua he|khong he)`;
// "không sao" is "no problem", "không có gì" "you're welcome": neither refuses anything.
const HARMLESS_NEGATION = /\b(?:khong|ko|k) (?:sao|co gi|(?:co )?van de(?: gi)?|(?:co )?(?:gi )?thac mac(?: gi)?|(?:co )?(?:cau )?hoi(?: gi)?)\b/g;
const QUESTION = new RegExp(
  String.raw`\?|\b(?:cho (?:em|minh|toi|thay|co|tui) hoi|xin hoi|muon hoi|can hoi|hoi (?:them|lai|ve|chut|ti|xiu)|thac mac|khi nao|bao gio|nhu the nao|the nao|lam sao|tai sao|vi sao|o dau|la gi|phai khong|duoc khong|dc khong|co can|can gi|bao nhieu|ngay nao|hom nao)\b` +
    // A trailing "chưa" or "không" after a verb asks: "nhận được chưa ạ", "có file chưa", "nhận được file ko ạ".
    String.raw`|\b(?:nhan|xem|doc|co|duoc|dc|roi|gui|nop|xong|thay)(?: \S+){0,3} chua(?: a| nhi| vay| the| ha| nhe)?$` +
    String.raw`|\b(?:nhan|xem|doc|co|duoc|dc|thay|mo|tai)(?: \S+){0,3} (?:khong|ko|k|hong|hok)(?: a| nhi| vay| the| ha)?$` +
    String.raw`|\b(?:duoc|dc|co|phai) (?:ko|k|hong|hok)\b`,
);
// "hỏi" keeps its diacritics here: folded, it would also match "hơi" (a bit) and "hồi" (phản hồi).
const ASK_WORD = /(?:^|[^\p{L}])hỏi(?:$|[^\p{L}])/u;
// "không có câu hỏi gì": the one way "hỏi" appears without asking.
const NO_QUESTION = /\b(?:khong|ko|k) (?:co )?(?:cau )?hoi\b/;
const NEGATED_UNDERSTANDING = new RegExp(String.raw`\b${NEGATOR}(?: \S+){0,1} (?:ro|hieu|nam duoc|nam ro)\b`);
// "không có file" refuses; "không có học sinh lớp 9" is a remark about the school, not about the message.
const HAVE_DOCUMENT = String.raw`co (?:file|tep|van ban|cong van|dinh kem|phu luc|tai lieu|link|nut|gi ca)`;
const NEGATION = new RegExp(String.raw`\b${NEGATOR}(?: \S+){0,2} (?:nhan|thay|xem|mo|tai|doc|load|down|ok|oke|dong y|xac nhan|duoc gui|gui toi|gui den|${HAVE_DOCUMENT})\b`);
// "mở không được", "tải file chưa được": the negation comes after the verb.
const CANNOT = /\b(?:mo|tai|doc|xem|nhan|load|down|in)(?: \S+){0,2} (?:khong|ko|k|chua|hong) (?:duoc|dc)\b/;
// A broken or incomplete file is not a receipt: "file bị lỗi", "thiếu phụ lục".
const PROBLEM =
  /\b(?:bi loi|file loi|tep loi|loi file|loi tep|loi font|loi phong|bi hong|file hong|tep hong|bi thieu|con thieu|bi mat|mat chu|mat trang|thieu(?: \S+)? (?:file|tep|trang|phu luc|van ban|mau|bieu mau))\b/;
// With diacritics "lỗi" and "hỏng" are unambiguous (folded, "loi" is also "lời" in "trả lời"); "xin lỗi" is "sorry".
const PROBLEM_WORD = /(?:^|[^\p{L}])(?<!xin )(?:lỗi|hỏng)(?:$|[^\p{L}])/u;
const NEGATION_SHORT = new RegExp(String.raw`^(?:da )?(?:(?:em|thay|co|toi|minh|truong|ben em) )?${NEGATOR}(?: (?:a|nhe|nha|thay|co|anh|chi))*$`);
const ACK_WORDS =
  /\b(?:da nhan|nhan duoc|nhan roi|nhan dc|nhan r|tiep nhan|da xem|xem roi|da doc|doc roi|da ro|ro roi|ro a|da nam|nam roi|da biet|biet roi|da xac nhan|da hieu|hieu roi|confirmed|da thuc hien|se thuc hien|da trien khai|se trien khai|vang|da vang|ok|oke|okie|okay|oki|okey|okela|oke la|ok la|dong y|received|got it|noted)\b/;
// "xác nhận" alone confirms; in a sentence it may ask to double-check something ("xác nhận lại hạn nộp").
const ACK_ALONE = /^(?:da|ro|nhan|xac nhan|confirm|vang|roi|u|uh|um|uk|ukm|uhm|ok|d|dc|duoc|yes|y)(?: (?:a|nhe|nha|roi|thay|co|anh|chi|em|cam on|xin cam on))*$/;
// Skin tones, the emoji presentation selector and joiners do not change what the symbol means.
// Alternatives, not one class: inside a class the joiner would read as joining its neighbours.
const EMOJI_NOISE = /[\u{1F3FB}-\u{1F3FF}]|\uFE0F|\u200D/gu;
const ACK_EMOJI = /^[\s👍👌✅✔☑🙏🆗]+$/u;

/** Classifies a reply; see the module comment for the rules. */
export function parseReply(text: string): ParsedReply {
  // "#12" names directive 12; "#125/SGDĐT" is an official document number, not ours.
  const ref = /#\s*(\d{1,9})(?![\d/])/.exec(text);
  const directiveRef = ref ? Number(ref[1]) : undefined;
  const withRef = (intent: ReplyIntent): ParsedReply => (directiveRef === undefined ? { intent } : { intent, directiveRef });
  const trimmed = text.normalize("NFC").trim();
  if (!trimmed) return { intent: "UNKNOWN" };
  if (ACK_EMOJI.test(trimmed.replace(EMOJI_NOISE, ""))) return withRef("ACK");
  const folded = foldVietnamese(trimmed)
    .replace(/#\s*\d+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const unharmed = folded.replace(HARMLESS_NEGATION, " ").replace(/\s+/g, " ").trim();
  const asks = ASK_WORD.test(trimmed.toLowerCase()) && !NO_QUESTION.test(folded);
  if (QUESTION.test(unharmed) || asks) return withRef("QUESTION");
  if (NEGATION.test(unharmed) || NEGATION_SHORT.test(unharmed) || CANNOT.test(unharmed)) return withRef("DECLINE");
  if (PROBLEM.test(unharmed) || PROBLEM_WORD.test(trimmed.toLowerCase())) return withRef("DECLINE");
  if (NEGATED_UNDERSTANDING.test(unharmed)) return withRef("QUESTION");
  if (ACK_WORDS.test(unharmed) || ACK_ALONE.test(unharmed)) return withRef("ACK");
  return withRef("UNKNOWN");
}
