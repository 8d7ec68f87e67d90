import type { Db } from "../../db/prisma.ts";
import type { AuthUser } from "../auth/find-user-by-token.ts";
import { countAudience } from "./find-audience-recipients.ts";
import { getAccessibleDirective } from "./get-accessible-directive.ts";

export type DirectiveDetail = {
  body: string;
  issuerName: string | null;
  /** Số/ký hiệu of the attached document, if any. */
  documentSymbol: string | null;
  /** Principals the audience reaches now (what publishing would send to). */
  audienceCount: number;
};

/**
 * What the dashboard shows of a directive beyond its counts: its text, issuing office, attached
 * document and how many principals its audience reaches now.
 * @throws AppError NOT_FOUND when unknown or out of the user's reach
 */
export async function getDirectiveDetail(db: Db, user: AuthUser, id: number): Promise<DirectiveDetail> {
  await getAccessibleDirective(db, user, id);
  const d = await db.directive.findUniqueOrThrow({
    where: { id },
    select: { body: true, issuerOrg: { select: { name: true } }, document: { select: { symbol: true } }, audience: { select: { kinds: true, levels: true, underOrgId: true } } },
  });
  const { recipients } = await countAudience(db, d.audience);
  return { body: d.body, issuerName: d.issuerOrg?.name ?? null, documentSymbol: d.document?.symbol ?? null, audienceCount: recipients };
}
