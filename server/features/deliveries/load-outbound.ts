import type { Db } from "../../db/prisma.ts";
import type { OutboundDirective } from "../../domain/channel.ts";

export type DirectiveContent = Omit<OutboundDirective, "deliveryId" | "chatId">;

const TTL_MS = 60_000;
const MAX_ENTRIES = 200;

/**
 * Directive content by id, cached briefly in memory: a broadcast sends one directive to thousands
 * of principals, and a published directive's text never changes, so one read serves them all.
 */
export class DirectiveContentCache {
  private readonly entries = new Map<number, { at: number; value: Promise<DirectiveContent | null> }>();

  constructor(private readonly db: Db) {}

  /** The content of a published directive, or null when it does not exist. */
  get(directiveId: number): Promise<DirectiveContent | null> {
    const hit = this.entries.get(directiveId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    const value = this.load(directiveId);
    value.catch(() => this.entries.delete(directiveId));
    this.entries.set(directiveId, { at: Date.now(), value });
    return value;
  }

  private async load(directiveId: number): Promise<DirectiveContent | null> {
    const d = await this.db.directive.findUnique({
      where: { id: directiveId },
      select: {
        id: true,
        title: true,
        body: true,
        deadline: true,
        requireAck: true,
        issuerOrg: { select: { name: true } },
        document: { select: { pdf: true, symbol: true, status: true } },
      },
    });
    if (!d) return null;
    const doc = d.document?.status === "ISSUED" && d.document.pdf ? d.document : null;
    return {
      directiveId: d.id,
      title: d.title,
      body: d.body,
      deadline: d.deadline,
      requireAck: d.requireAck,
      issuerName: d.issuerOrg?.name ?? null,
      attachment: doc
        ? { filename: `${(doc.symbol ?? `van-ban-${d.id}`).replace(/[^\p{L}\p{N}._-]+/gu, "-")}.pdf`, bytes: new Uint8Array(doc.pdf!), caption: doc.symbol ?? undefined }
        : undefined,
    };
  }
}
