/**
 * What a principal's words mean for a programme's checklist: a step done, in progress or blocked,
 * a request to move a deadline, or a question. Principals type on phones, with or without
 * diacritics ("xong buoc 1"), so everything is read folded (./reply-intent.ts `foldVietnamese`);
 * the note of a blocked step is taken from the words as written. Pure: the bot decides what to do.
 *
 * Rules, in order of precedence (a wrong "done" is worse than a reply left for a human):
 * 1. a request to move a deadline ("xin gia hạn đến 15/3", "xin lùi hạn 1 tuần", "đề nghị gia hạn
 *    thêm 3 ngày", "cho trường xin dời hạn") → EXTENSION with the date or the delay when given;
 * 2. a question ("xong chưa?", "bước 2 nộp ở đâu", any "?", a sentence ending in "chưa"/"không" after
 *    a word of completion) → QUESTION, which changes nothing;
 * 3. a negated completion ("chưa xong bước 1", "bước 2 chưa làm", "không kịp nộp", "chưa hoàn
 *    thành") → NOT_DONE, which changes nothing (it is kept for the officer);
 * 4. an obstacle ("vướng: chưa có minh chứng tiêu chí 2.3", "khó khăn", "bị kẹt", "gặp vướng
 *    mắc") → BLOCKED with the rest of the words as the note; it wins over words of progress
 *    because a stuck school must reach the board even when it is "đang làm";
 * 5. work under way ("đang làm", "đang thực hiện", "đang hoàn thiện", "bắt đầu làm") → IN_PROGRESS;
 * 6. completion ("xong", "hoàn thành", "hoàn tất", "đã nộp", "đã gửi", "nộp rồi", "done") → DONE;
 * 7. anything else → null (not about the checklist; the acknowledgement rules read it next).
 * "bước 2" / "buoc 2" / "b2" / "bước hai" names step 2; "#12" names directive 12; without a step,
 * the words that remain ("báo cáo tự đánh giá") are matched against the step titles ({@link matchStep}).
 */
import { foldVietnamese } from "./reply-intent.ts";

export type StepStatusIntent = "DONE" | "IN_PROGRESS" | "BLOCKED";

export type StatusReply =
  | { kind: "STATUS"; status: StepStatusIntent; step?: number; note?: string; about: string; directiveRef?: number }
  | { kind: "EXTENSION"; step?: number; until?: { day: number; month: number; year?: number }; delay?: string; directiveRef?: number }
  | { kind: "QUESTION"; directiveRef?: number }
  | { kind: "NOT_DONE"; step?: number; directiveRef?: number };

const NUMBER_WORDS: Record<string, number> = { mot: 1, hai: 2, ba: 3, bon: 4, tu: 4, nam: 5, sau: 6, bay: 7, tam: 8, chin: 9, muoi: 10 };
const STEP = /\b(?:buoc|b)\s?(\d{1,2}|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi)\b/;

const EXTENSION =
  /\b(?:(?:xin|de nghi|cho (?:em|truong|toi|minh) xin|mong duoc|xin phep) (?:duoc )?(?:gia han|lui han|doi han|hoan han|them thoi gian|keo dai(?: thoi han)?|lui(?: lai)?(?: thoi)? han)|gia han (?:den|toi|them|sang)|lui han|doi han (?:den|sang|toi))\b/;
const DATE = /\b(?:den|toi|sang|truoc)?\s?(?:ngay )?(\d{1,2})\s?[/.-]\s?(\d{1,2})(?:\s?[/.-]\s?(\d{4}))?\b/;
const DELAY = /\b(\d{1,3}|mot|hai|ba|bon|nam|sau|bay|muoi)\s?(ngay|tuan|thang)\b/;

const DONE_WORD = String.raw`(?:xong|hoan thanh|hoan tat|nop|gui|lam|bao cao|trien khai|thuc hien|done)`;
const QUESTION = new RegExp(
  String.raw`\?|\b(?:cho (?:em|minh|toi) hoi|hoi (?:them|lai|ve)|khi nao|bao gio|nhu the nao|the nao|lam sao|o dau|la gi|co phai|phai khong|duoc khong|dc khong)\b|\b${DONE_WORD}(?: \S+){0,3} (?:chua|khong|ko|k)(?: a| nhi| vay| ha| the)?$`,
);
const NEGATED_DONE = new RegExp(
  String.raw`\b(?:chua|khong|ko|k|chang|chx)(?: \S+){0,2} (?:xong|hoan thanh|hoan tat|nop|gui|lam|kip|bat dau|thuc hien|trien khai)\b|\b(?:xong|nop|lam|hoan thanh)(?: \S+){0,2} (?:chua|khong|ko) (?:duoc|dc|kip)\b`,
);
const BLOCKED = /\b(?:vuong|vuong mac|kho khan|bi ket|ket lai|gap kho|gap van de|bi tac|tac|can ho tro|chua the)\b/;
const IN_PROGRESS =
  /\b(?:dang (?:lam|thuc hien|trien khai|hoan thien|chuan bi|viet|xay dung|tong hop|thu thap|soan|tien hanh|danh gia)|bat dau (?:lam|thuc hien|trien khai)|da bat dau)\b/;
const DONE = /\b(?:xong|hoan thanh|hoan tat|da nop|nop roi|nop xong|da gui|gui roi|da bao cao|da trien khai xong|da thuc hien xong|done|finished)\b/;
// The note of a blocked step: what follows the word for the obstacle, as written.
const BLOCKED_NOTE = /(?:vướng mắc|vướng|vuong mac|vuong|khó khăn|kho khan|bị kẹt|bi ket|gặp khó|gap kho)\s*[:：\-–—,.]?\s*/iu;

/** Words that say nothing about which step: dropped before matching titles. */
const FILLER = new Set(
  "da dang xong roi a nhe nha em thay co anh chi truong ben chung toi minh hoan thanh hoan tat nop gui bao cao cua cho ve va la o tai buoc voi nhung cac mot de duoc dc ok vang".split(
    " ",
  ),
);

function toNumber(word: string): number {
  return /^\d+$/.test(word) ? Number(word) : (NUMBER_WORDS[word] ?? NaN);
}

/** Classifies a reply about a checklist; see the module comment for the rules. */
export function parseStatusReply(text: string): StatusReply | null {
  const ref = /#\s*(\d{1,9})(?![\d/])/.exec(text);
  const withRef = <T extends object>(r: T): T & { directiveRef?: number } => (ref ? { ...r, directiveRef: Number(ref[1]) } : r);
  const folded = foldVietnamese(text.replace(/#\s*\d+/g, " "));
  if (!folded) return null;
  const stepMatch = STEP.exec(folded);
  const stepN = stepMatch ? toNumber(stepMatch[1]!) : NaN;
  const step = Number.isInteger(stepN) && stepN > 0 ? { step: stepN } : {};

  if (EXTENSION.test(folded)) {
    // Dates are read from the words as written: folding turns "15/3" into "15 3".
    const date = DATE.exec(text.normalize("NFC").toLowerCase().replace(/đ/g, "d"));
    const delay = DELAY.exec(folded);
    const until = date ? { day: Number(date[1]), month: Number(date[2]), ...(date[3] ? { year: Number(date[3]) } : {}) } : undefined;
    const valid = until && until.day >= 1 && until.day <= 31 && until.month >= 1 && until.month <= 12;
    // A month is taken as 30 days: the delay is counted from the current due date, in days.
    const delayIso = delay ? `P${toNumber(delay[1]!) * (delay[2] === "tuan" ? 7 : delay[2] === "thang" ? 30 : 1)}D` : undefined;
    return withRef({ kind: "EXTENSION" as const, ...step, ...(valid ? { until } : {}), ...(delayIso && !valid ? { delay: delayIso } : {}) });
  }
  if (QUESTION.test(folded)) return withRef({ kind: "QUESTION" as const });
  if (NEGATED_DONE.test(folded)) return withRef({ kind: "NOT_DONE" as const, ...step });
  const about = folded
    .replace(STEP, " ")
    .split(" ")
    .filter((w) => w && !FILLER.has(w))
    .join(" ");
  if (BLOCKED.test(folded)) {
    const m = BLOCKED_NOTE.exec(text.normalize("NFC"));
    const note = m
      ? text
          .normalize("NFC")
          .slice(m.index + m[0].length)
          .trim()
      : "";
    return withRef({ kind: "STATUS" as const, status: "BLOCKED" as const, ...step, ...(note ? { note: note.slice(0, 500) } : {}), about });
  }
  if (IN_PROGRESS.test(folded)) return withRef({ kind: "STATUS" as const, status: "IN_PROGRESS" as const, ...step, about });
  if (DONE.test(folded)) return withRef({ kind: "STATUS" as const, status: "DONE" as const, ...step, about });
  return null;
}

/**
 * The step whose title the words name: each step scores the number of its title's words (folded,
 * two letters or more, fillers dropped) found in `about`; the best step wins when it scores at
 * least two and no other step scores as much. Null otherwise: the caller asks.
 * @example matchStep("bao cao tu danh gia", [{n: 1, title: "Tự đánh giá…"}, {n: 2, title: "Đăng ký đánh giá ngoài"}]) // 1
 */
export function matchStep(about: string, steps: readonly { n: number; title: string }[]): number | null {
  const words = new Set(about.split(" ").filter(Boolean));
  if (!words.size) return null;
  const scored = steps
    .map((s) => {
      const titleWords = new Set(
        foldVietnamese(s.title)
          .split(" ")
          .filter((w) => w.length >= 2 && !FILLER.has(w)),
      );
      let score = 0;
      for (const w of titleWords) if (words.has(w)) score++;
      return { n: s.n, score };
    })
    .sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  if (!best || best.score < 2 || (second && second.score === best.score)) return null;
  return best.n;
}
