/**
 * The Zalo OA side of {@link ChannelAdapter}: directives go out through the OA client as
 * consultation messages while the person's 7-day interaction window is open, and as the office's
 * approved template message (paid) once it has closed, when one is configured.
 */
import { ChannelError, type ChannelAdapter, type MessageKind, type OutboundDirective, type OutboundNotice, type SendResult } from "../../../server/domain/channel.ts";
import { ChannelFailure } from "../../../server/domain/channel-failure.ts";
import { interactionWindow } from "../../../server/domain/interaction-window.ts";
import { buildTemplateData, type TemplateParams } from "../../../server/domain/template-params.ts";
import { formatZaloOaDirective, formatZaloOaReply } from "./format-zalo-oa.ts";
import { ZALO_OA_MAX_BUTTONS, type ZaloOaClient, type ZaloOaTemplateTarget } from "./zalo-oa-client.ts";

/** The office's approved template message: its id, which field fills which parameter, and how it is addressed. */
export type ZaloOaTemplateSettings = { templateId: string; params: TemplateParams; by: "phone" | "user_id" };

export type ZaloOaAdapterOptions = { template?: ZaloOaTemplateSettings | null | undefined; now?: () => Date };

/** Anything the client did not classify (a bug, an unexpected throw) is worth another try later, not a lost send. */
function toFailure(err: unknown, messageKind: MessageKind): ChannelError {
  if (err instanceof ChannelFailure)
    return new ChannelFailure("ZALO_OA", err.reason, err.message, { retryAfterMs: err.retryAfterMs, providerCode: err.providerCode, messageKind, cause: err });
  if (err instanceof ChannelError) return err;
  return new ChannelFailure("ZALO_OA", "retry_later", `Zalo OA send failed: ${(err as Error)?.message ?? String(err)}`, { messageKind, cause: err });
}

/**
 * Creates the adapter. Inside the window (or when the last interaction is not known) an attached
 * PDF goes first (upload, then a file message), then the text in parts of at most 2,000 characters
 * with the "✅ Đã nhận" button (`#ack:<id>`) under the last part, whose message id is returned. A
 * window known to be closed, or Zalo's -230/-232, turns to the template message; without one, the
 * failure says a template is needed and the delivery falls back to the next channel.
 */
export function createZaloOaAdapter(client: ZaloOaClient, options: ZaloOaAdapterOptions = {}): ChannelAdapter {
  const now = options.now ?? (() => new Date());

  async function consultation(m: OutboundDirective): Promise<string> {
    const { parts, buttons } = formatZaloOaDirective(m);
    if (m.attachment) await client.sendPdf({ userId: m.chatId, filename: m.attachment.filename, bytes: m.attachment.bytes });
    let last = "";
    for (let i = 0; i < parts.length; i++) {
      const isLast = i === parts.length - 1;
      const sent = await client.sendText({ userId: m.chatId, text: parts[i]!, ...(isLast && buttons.length ? { buttons } : {}) });
      last = sent.messageIds.at(-1) ?? last;
    }
    return last;
  }

  async function template(m: OutboundDirective, why: string, tried: MessageKind | undefined): Promise<SendResult> {
    const t = options.template;
    if (!t) throw new ChannelFailure("ZALO_OA", "needs_template", `Zalo OA: ${why}; no template message configured`, { messageKind: tried });
    const phone = m.recipient?.phone;
    if (t.by === "phone" && !phone) throw new ChannelFailure("ZALO_OA", "needs_template", `Zalo OA: ${why}; no phone number for the template message`, { messageKind: tried });
    const to: ZaloOaTemplateTarget = t.by === "phone" ? { phone: phone! } : { userId: m.chatId };
    const data = buildTemplateData(t.params, { ...m, recipientName: m.recipient?.name ?? null });
    try {
      const sent = await client.sendTemplate({ to, templateId: t.templateId, data, trackingId: `d${m.deliveryId}` });
      return { messageId: sent.messageId, messageKind: "TEMPLATE", billable: true };
    } catch (err) {
      const f = toFailure(err, "TEMPLATE");
      // A phone number Zalo does not take says nothing of the chat: not a block, just no template for this person.
      if (f instanceof ChannelFailure && f.reason === "unreachable" && t.by === "phone") {
        throw new ChannelFailure("ZALO_OA", "needs_template", `${f.message} (template message by phone)`, { providerCode: f.providerCode, messageKind: "TEMPLATE", cause: f });
      }
      throw f;
    }
  }

  return {
    kind: "ZALO_OA",
    // The window counts from the person's last interaction; a template may go by phone and name them.
    wantsRecipient: true,
    async sendDirective(m: OutboundDirective): Promise<SendResult> {
      const at = now();
      const last = m.recipient?.lastInteractionAt ?? null;
      const window = interactionWindow(last, at);
      if (window.knownClosed) return template(m, `no interaction since ${last!.toISOString()} (7-day window closed)`, undefined);
      try {
        return { messageId: await consultation(m), messageKind: "CONSULTATION", billable: window.billable };
      } catch (err) {
        const f = toFailure(err, "CONSULTATION");
        if (!(f instanceof ChannelFailure) || f.reason !== "needs_template") throw f;
        return template(m, f.message, "CONSULTATION");
      }
    },
    async sendNotice(n: OutboundNotice): Promise<SendResult> {
      // The OA shows at most five buttons; a notice offers the first ones (their labels are words the bot reads anyway).
      const { parts, buttons } = formatZaloOaReply({ text: n.text, choices: (n.choices ?? []).slice(0, ZALO_OA_MAX_BUTTONS) });
      try {
        let last = "";
        for (let i = 0; i < parts.length; i++) {
          const sent = await client.sendText({ userId: n.chatId, text: parts[i]!, ...(i === parts.length - 1 && buttons.length ? { buttons } : {}) });
          last = sent.messageIds.at(-1) ?? last;
        }
        return { messageId: last, messageKind: "CONSULTATION" };
      } catch (err) {
        // Reminders are consultation messages only: outside the 7-day window they fail (-230) like any send.
        throw toFailure(err, "CONSULTATION");
      }
    },
  };
}
