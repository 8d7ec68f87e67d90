/**
 * Checklist replies in chat, written once for every channel: a principal reports a step done, in
 * progress or blocked (by button or in words), asks to move a deadline, or writes something about
 * the programme the rules do not settle, which is kept for the officer with a line on how to
 * answer. Runs inside the inbox event's transaction, like the rest of the conversation core.
 */
import type { Logger } from "../../server/config/logger.ts";
import type { Prisma } from "../../server/db/prisma.ts";
import { formatDeadline } from "../../server/domain/format-deadline.ts";
import { matchStep, parseStatusReply, type StatusReply, type StepStatusIntent } from "../../server/domain/status-reply.ts";
import { vietnamTime } from "../../server/domain/vietnam-time.ts";
import type { ChatPerson } from "../../server/features/chat/find-chat-person.ts";
import { recordInbound } from "../../server/features/chat/record-inbound.ts";
import { findPersonSteps, type PersonStep } from "../../server/features/programmes/find-person-steps.ts";
import { requestExtension } from "../../server/features/programmes/request-extension.ts";
import { setStepStatus } from "../../server/features/programmes/set-step-status.ts";
import { t, type Locale } from "../../server/i18n.ts";
import type { ConversationEvent } from "./conversation-event.ts";
import { parseStatusPayload, stepChoices } from "./status-payload.ts";
import type { Reply } from "./reply.ts";

export type StatusCtx = { tx: Prisma.TransactionClient; log: Logger; e: ConversationEvent; locale: Locale };

const say = (text: string, extra: Omit<Extract<Reply, { kind: "text" }>, "kind" | "text"> = {}): Reply => ({ kind: "text", text, ...extra });
const STATUS_KEY = { DONE: "done", IN_PROGRESS: "in_progress", BLOCKED: "blocked" } as const;

/** The steps of one directive, grouped from the person's steps (newest directive first). */
function byDirective(steps: PersonStep[]): Map<number, PersonStep[]> {
  const map = new Map<number, PersonStep[]>();
  for (const s of steps) map.set(s.directiveId, [...(map.get(s.directiveId) ?? []), s]);
  return map;
}

/** The programme a reply is about: the one it names, else the newest with a step not done. */
function pickProgramme(steps: PersonStep[], ref: number | undefined): PersonStep[] | null {
  const programmes = byDirective(steps);
  if (ref !== undefined) return programmes.get(ref) ?? null;
  for (const list of programmes.values()) if (list.some((s) => s.status !== "done")) return list;
  return null;
}

const current = (steps: PersonStep[]): PersonStep | undefined => steps.find((s) => s.status !== "done");

/** "Bước 2 «Đăng ký đánh giá ngoài» — hạn ngày 31/05/2027" with the buttons for it. */
function nextStepReply(locale: Locale, steps: PersonStep[], lead: string): Reply {
  const next = current(steps);
  if (!next) return say(`${lead}\n${t(locale, "programmes.bot.all_done", { title: steps[0]?.directiveTitle ?? "" })}`);
  const due = next.due ? ` — ${t(locale, "programmes.bot.due", { due: formatDeadline(next.due) })}` : "";
  return say(`${lead}\n${t(locale, "programmes.bot.next_step", { n: next.n, title: next.title, due })}`, { choices: stepChoices(locale, next.directiveId, next.n) });
}

/** Records the report and answers with the next step. */
async function report(c: StatusCtx, person: ChatPerson, step: PersonStep, status: StepStatusIntent, raw: string, note: string | undefined, all: PersonStep[]): Promise<Reply> {
  const { tx, e, locale } = c;
  const evidence = e.attachment !== undefined ? { name: e.attachment, kind: "chat", ref: `${e.channel}:${e.messageId ?? e.dedupeKey}` } : undefined;
  await setStepStatus(tx, {
    stepId: step.stepId,
    organizationId: step.organizationId,
    status: STATUS_KEY[status],
    note: note ?? null,
    personId: person.personId,
    channel: e.channel,
    raw,
    evidence,
    at: e.at,
  });
  c.log.info({ channel: e.channel, personId: person.personId, directiveId: step.directiveId, step: step.n, status }, "step status reported");
  const updated = all.map((s) => (s.stepId === step.stepId ? { ...s, status: STATUS_KEY[status] } : s));
  const lead = t(locale, `programmes.bot.recorded_${STATUS_KEY[status]}`, { n: step.n, title: step.title });
  if (status === "BLOCKED" && !note) return say(`${lead}\n${t(locale, "programmes.bot.blocked_ask")}`);
  return nextStepReply(locale, updated, lead);
}

/** The date a request names: "15/3" is the next 15 March from today (Vietnam), "1 tuần" counts from the current due date. */
function requestedDate(r: Extract<StatusReply, { kind: "EXTENSION" }>, due: Date | null, now: Date): Date | null {
  if (r.until) {
    const today = vietnamTime(now);
    let year = r.until.year ?? today.year;
    const asked = (y: number) => new Date(`${y}-${String(r.until!.month).padStart(2, "0")}-${String(r.until!.day).padStart(2, "0")}T23:59:59+07:00`);
    if (r.until.year === undefined && asked(year).getTime() < now.getTime()) year++;
    const d = asked(year);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  if (r.delay) {
    const days = Number(/^P(\d+)D$/.exec(r.delay)?.[1] ?? NaN);
    if (!Number.isFinite(days)) return null;
    const base = due && due.getTime() > now.getTime() ? due : now;
    const v = vietnamTime(new Date(base.getTime() + days * 86_400_000));
    return new Date(`${v.year}-${String(v.month).padStart(2, "0")}-${String(v.day).padStart(2, "0")}T23:59:59+07:00`);
  }
  return null;
}

/** Keeps the words for the officer and tells the principal how to answer. */
async function keep(c: StatusCtx, person: ChatPerson, directiveId: number, text: string, intent: "QUESTION" | "UNKNOWN", lead: string): Promise<Reply[]> {
  await recordInbound(c.tx, { channel: c.e.channel, externalChatId: c.e.externalUserId, personId: person.personId, directiveId, text, intent });
  return [say(`${lead}\n${t(c.locale, "programmes.bot.how_to_answer")}`)];
}

/**
 * Words about a programme. Null when the person has no programme to report on, or the words are
 * not about one (the acknowledgement rules read them next).
 */
export async function decideStatusReply(c: StatusCtx, person: ChatPerson, text: string): Promise<Reply[] | null> {
  const parsed = parseStatusReply(text);
  if (!parsed) return null;
  const all = await findPersonSteps(c.tx, person.personId);
  const steps = pickProgramme(all, parsed.directiveRef);
  if (!steps?.length) return null;
  const directiveId = steps[0]!.directiveId;
  const { locale } = c;
  switch (parsed.kind) {
    case "QUESTION":
      return keep(c, person, directiveId, text, "QUESTION", t(locale, "programmes.bot.question_kept"));
    case "NOT_DONE":
      return keep(c, person, directiveId, text, "UNKNOWN", t(locale, "programmes.bot.not_done_kept"));
    case "STATUS": {
      const n = parsed.step ?? matchStep(parsed.about, steps) ?? current(steps)?.n;
      const step = steps.find((s) => s.n === n);
      if (!step) return keep(c, person, directiveId, text, "UNKNOWN", t(locale, "programmes.bot.no_such_step", { n: n ?? "?", count: steps.length }));
      return [await report(c, person, step, parsed.status, text, parsed.note, steps)];
    }
    case "EXTENSION": {
      const step = steps.find((s) => s.n === (parsed.step ?? current(steps)?.n));
      if (!step) return keep(c, person, directiveId, text, "UNKNOWN", t(locale, "programmes.bot.no_such_step", { n: parsed.step ?? "?", count: steps.length }));
      const until = requestedDate(parsed, step.due, c.e.at);
      if (!until) return keep(c, person, directiveId, text, "UNKNOWN", t(locale, "programmes.bot.extension_needs_date"));
      const id = await requestExtension(c.tx, {
        directiveId,
        stepId: step.stepId,
        organizationId: step.organizationId,
        personId: person.personId,
        channel: c.e.channel,
        text,
        until,
      });
      c.log.info({ channel: c.e.channel, personId: person.personId, directiveId, step: step.n, extensionRequestId: id }, "extension requested");
      return [say(t(locale, "programmes.bot.extension_sent", { n: step.n, title: step.title, until: formatDeadline(until) }))];
    }
  }
}

/** A press of a checklist button; null for any other payload. */
export async function decideStatusButton(c: StatusCtx, person: ChatPerson | null, unlinked: string): Promise<Reply[] | null> {
  const p = parseStatusPayload(c.e.payload);
  if (!p) return null;
  if (!person) return [{ kind: "press_answer", text: unlinked, alert: true }];
  const steps = (await findPersonSteps(c.tx, person.personId)).filter((s) => s.directiveId === p.directiveId);
  const step = steps.find((s) => s.n === p.n);
  if (!step) return [{ kind: "press_answer", text: t(c.locale, "programmes.bot.step_not_found"), alert: true }];
  const answer = await report(c, person, step, p.status, c.e.payload ?? "", undefined, steps);
  return [{ kind: "press_answer", text: t(c.locale, "programmes.bot.pressed") }, answer];
}

/** The lines /pending adds for checklists: each programme's steps not done, with due dates and the buttons of the first. */
export async function pendingStepsReply(c: Pick<StatusCtx, "tx" | "locale">, personId: number): Promise<Reply | null> {
  const programmes = [...byDirective(await findPersonSteps(c.tx, personId)).values()].filter((l) => l.some((s) => s.status !== "done"));
  if (!programmes.length) return null;
  const lines: string[] = [t(c.locale, "programmes.bot.pending_title")];
  for (const steps of programmes.slice(0, 5)) {
    lines.push(`• ${steps[0]!.directiveTitle} (#${steps[0]!.directiveId})`);
    for (const s of steps.filter((x) => x.status !== "done")) {
      const due = s.due ? ` — ${t(c.locale, "programmes.bot.due", { due: formatDeadline(s.due) })}` : "";
      lines.push(`  ${s.n}. ${s.title}${due} (${t(c.locale, `programmes.status.${s.status}`).toLowerCase()})`);
    }
  }
  const first = current(programmes[0]!)!;
  return say(lines.join("\n"), { choices: stepChoices(c.locale, first.directiveId, first.n) });
}
