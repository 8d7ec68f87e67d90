import type { Db } from "../../db/prisma.ts";
import { AppError } from "../../domain/errors.ts";
import { formatDeadline } from "../../domain/format-deadline.ts";
import { t } from "../../i18n.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { findExtensionRequests, type ExtensionRequestRow } from "./find-extension-requests.ts";
import { queueNotice } from "../reminders/queue-notice.ts";

export type ExtensionDecision = { approve: boolean; until?: Date | undefined; note?: string | undefined };

/** Marks a re-plan of the item's reminders: the sweep plans again against the new due date. */
export type ReplanItem = (tx: Parameters<Parameters<Db["$transaction"]>[0]>[0], item: { directiveId: number; organizationId: number; stepId: number | null }) => Promise<void>;

/**
 * Approves or refuses a pending extension request. Approval moves the school's due date (of the
 * step it names, or of the directive) to `until` (default: the date asked for) and re-plans that
 * item's reminders; either way the school is told (a notice sent through the reminder sweep), in
 * the same transaction as the decision.
 * @throws AppError NOT_FOUND (unknown or not the user's to decide), CONFLICT (already decided)
 */
export async function decideExtension(db: Db, user: AuthUser, id: number, decision: ExtensionDecision, replan: ReplanItem): Promise<ExtensionRequestRow> {
  const [found] = await findExtensionRequests(db, user, { id });
  if (!found) throw new AppError("NOT_FOUND", `extension request ${id}`, { messageKey: "errors.extension_not_found", params: { id } });
  const now = new Date();
  await db.$transaction(async (tx) => {
    const row = await tx.extensionRequest.findUniqueOrThrow({
      where: { id },
      select: { status: true, stepId: true, directiveId: true, organizationId: true, requestedUntil: true },
    });
    const until = decision.until ?? row.requestedUntil;
    const updated = await tx.extensionRequest.updateMany({
      where: { id, status: "PENDING" },
      data: {
        status: decision.approve ? "APPROVED" : "REFUSED",
        grantedUntil: decision.approve ? until : null,
        decisionNote: decision.note ?? null,
        decidedById: user.id,
        decidedAt: now,
      },
    });
    if (updated.count === 0) throw new AppError("CONFLICT", "already decided", { messageKey: "errors.extension_decided", params: { id } });
    if (decision.approve && row.stepId !== null) {
      await tx.stepProgress.upsert({
        where: { stepId_organizationId: { stepId: row.stepId, organizationId: row.organizationId } },
        create: { stepId: row.stepId, organizationId: row.organizationId, dueAt: until },
        update: { dueAt: until },
      });
    }
    if (decision.approve) await replan(tx, { directiveId: row.directiveId, organizationId: row.organizationId, stepId: row.stepId });
    const what = found.step !== null ? t("vi", "programmes.step_label", { n: found.step, title: found.step_title ?? "" }) : found.directive_title;
    const text = decision.approve ? t("vi", "programmes.extension_approved", { what, until: formatDeadline(until) }) : t("vi", "programmes.extension_refused", { what });
    const note = decision.note ? `\n${t("vi", "programmes.extension_note", { note: decision.note })}` : "";
    await queueNotice(tx, { key: `ext:${id}`, directiveId: row.directiveId, organizationId: row.organizationId, stepId: row.stepId, text: text + note, at: now });
    await tx.auditLog.create({
      data: {
        userId: user.id,
        action: decision.approve ? "extension.approve" : "extension.refuse",
        entityType: "extension_request",
        entityId: String(id),
        details: { until: decision.approve ? until.toISOString() : null },
      },
    });
  });
  const [after] = await findExtensionRequests(db, user, { id });
  return after!;
}
