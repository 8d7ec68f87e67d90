/**
 * A small typed client for the Zalo Official Account API v3 over fetch (no SDK: none on npm is
 * maintained). Every call goes through one funnel that reads Zalo's envelope (application errors come
 * back as HTTP 200 with `error ≠ 0`), validates `data` with zod, classifies failures as
 * {@link ChannelFailure}, and on a refused access token refreshes once and repeats the same request.
 */
import type { z } from "zod";
import { ChannelFailure } from "../../../server/domain/channel-failure.ts";
import { normalizePhone } from "../../../server/domain/phone.ts";
import { splitText } from "../../../server/domain/split-text.ts";
import { requestZaloJson } from "./zalo-oa-http.ts";
import { ZaloEnvelopeSchema, ZaloSentMessageSchema, ZaloTemplateSentSchema, ZaloUploadedFileSchema, ZaloUserDetailSchema } from "./zalo-oa.schemas.ts";
import { zaloCodeFailure } from "./to-zalo-oa-failure.ts";

/** Zalo refuses (-210) consultation text over 2,000 characters rather than cutting it. */
export const ZALO_OA_TEXT_LIMIT = 2000;
/** Button limits Zalo enforces on consultation messages. */
export const ZALO_OA_MAX_BUTTONS = 5;
export const ZALO_OA_BUTTON_TITLE_LIMIT = 100;
export const ZALO_OA_BUTTON_PAYLOAD_LIMIT = 1000;
/** Zalo takes PDF, DOC, DOCX and CSV files up to 5 MB. */
export const ZALO_OA_FILE_LIMIT_BYTES = 5 * 1024 * 1024;

/**
 * A button under a consultation message. `oa.query.hide` sends `payload` back to us as the person's
 * message without showing it in the chat (acknowledgements, choices); `oa.open.url` opens a link.
 */
export type ZaloOaButton = { title: string; type: "oa.query.hide"; payload: string } | { title: string; type: "oa.open.url"; payload: { url: string } };

/** Where the client gets its access token; the database-backed one lives in server/features/zalo. */
export interface ZaloOaTokenSource {
  /** A token to use now (refreshed first when it is due). @throws ChannelFailure `needs_admin` when refreshing is impossible. */
  accessToken(signal?: AbortSignal): Promise<string>;
  /** Zalo refused `rejected`: returns a newer token, refreshing unless another caller already has. */
  refreshAfterRejection(rejected: string, signal?: AbortSignal): Promise<string>;
}

export type ZaloOaClientOptions = {
  /** OA API host, e.g. https://openapi.zalo.me. */
  apiBase: string;
  /** Template (ZNS) API host, e.g. https://business.openapi.zalo.me. */
  templateBase: string;
  tokens: ZaloOaTokenSource;
  /** Per request; an upload gets four times as long. Default 15 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** `payload.template_type` sent with buttons; unset sends none, as clients known to work do. */
  buttonTemplateType?: string;
  now?: () => Date;
};

export type ZaloOaUser = {
  userId: string;
  displayName: string | undefined;
  isFollower: boolean | undefined;
  /** "DD/MM/YYYY" as Zalo writes it. */
  lastInteractionDate: string | undefined;
  phone: string | undefined;
};

export type ZaloOaTemplateTarget = { phone: string } | { userId: string };

export type ZaloOaClient = {
  /** Sends text (split at 2,000 characters) with `buttons` under the last part; returns the parts' message ids in order. */
  sendText(o: { userId: string; text: string; buttons?: ZaloOaButton[]; quoteMessageId?: string; signal?: AbortSignal }): Promise<{ messageIds: string[] }>;
  /** Uploads a file (≤ 5 MB) and returns the token a file message refers to. */
  uploadFile(o: { filename: string; bytes: Uint8Array; contentType?: string; signal?: AbortSignal }): Promise<string>;
  /** Sends an uploaded file. */
  sendFile(o: { userId: string; fileToken: string; signal?: AbortSignal }): Promise<{ messageId: string }>;
  /** Uploads a PDF then sends it as a file message. */
  sendPdf(o: { userId: string; filename: string; bytes: Uint8Array; signal?: AbortSignal }): Promise<{ messageId: string }>;
  getUser(userId: string, signal?: AbortSignal): Promise<ZaloOaUser>;
  /**
   * Sends an approved template message (paid; works outside the interaction window), by phone
   * through the template API or by user id through the OA API.
   */
  sendTemplate(o: {
    to: ZaloOaTemplateTarget;
    templateId: string;
    data: Record<string, string | number>;
    trackingId?: string;
    development?: boolean;
    signal?: AbortSignal;
  }): Promise<{ messageId: string }>;
};

type Call = { url: string; method: "GET" | "POST"; json?: unknown; form?: () => FormData; timeoutMs?: number; signal?: AbortSignal | undefined };

/** Creates the client. */
export function createZaloOaClient(options: ZaloOaClientOptions): ZaloOaClient {
  // Unset: requestZaloJson's own transport (node:http for text bodies, fetch for uploads).
  const doFetch = options.fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const now = options.now ?? (() => new Date());
  const api = options.apiBase.replace(/\/+$/, "");
  const template = options.templateBase.replace(/\/+$/, "");

  async function once(c: Call, token: string): Promise<unknown> {
    const body = c.form ? c.form() : c.json !== undefined ? JSON.stringify(c.json) : undefined;
    const headers: Record<string, string> = { access_token: token };
    if (c.json !== undefined) headers["content-type"] = "application/json";
    const json = await requestZaloJson({ url: c.url, method: c.method, headers, body, timeoutMs: c.timeoutMs ?? timeoutMs, signal: c.signal, fetch: doFetch });
    const envelope = ZaloEnvelopeSchema.safeParse(json);
    if (!envelope.success) throw new ChannelFailure("ZALO_OA", "rejected", `Zalo OA: unexpected answer ${JSON.stringify(json).slice(0, 200)}`);
    if (envelope.data.error !== 0) throw zaloCodeFailure(envelope.data.error, envelope.data.message ?? "", now());
    return envelope.data.data;
  }

  /** The funnel: one refresh and one repeat of the same request when the token is refused. */
  async function call<S extends z.ZodType>(c: Call, schema: S): Promise<z.output<S>> {
    let token = await options.tokens.accessToken(c.signal);
    let data: unknown;
    try {
      data = await once(c, token);
    } catch (err) {
      if (!(err instanceof ChannelFailure) || err.reason !== "token_expired") throw err;
      token = await options.tokens.refreshAfterRejection(token, c.signal);
      try {
        data = await once(c, token);
      } catch (again) {
        // A token fresh from Zalo refused at once is not something another refresh fixes.
        if (again instanceof ChannelFailure && again.reason === "token_expired") {
          throw new ChannelFailure("ZALO_OA", "needs_admin", `${again.message} (right after a refresh)`, { providerCode: again.providerCode, cause: again });
        }
        throw again;
      }
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new ChannelFailure("ZALO_OA", "rejected", `Zalo OA: unexpected data ${JSON.stringify(data).slice(0, 200)}`, { cause: parsed.error });
    return parsed.data;
  }

  function checkButtons(buttons: ZaloOaButton[]): void {
    const bad =
      buttons.length > ZALO_OA_MAX_BUTTONS
        ? `${buttons.length} buttons (at most ${ZALO_OA_MAX_BUTTONS})`
        : buttons.find(
            (b) =>
              !b.title || b.title.length > ZALO_OA_BUTTON_TITLE_LIMIT || (typeof b.payload === "string" ? b.payload.length : b.payload.url.length) > ZALO_OA_BUTTON_PAYLOAD_LIMIT,
          )?.title;
    if (bad !== undefined) throw new ChannelFailure("ZALO_OA", "rejected", `Zalo OA: button over Zalo's limits: ${bad}`);
  }

  async function sendFile(o: { userId: string; fileToken: string; signal?: AbortSignal }): Promise<{ messageId: string }> {
    const sent = await call(
      {
        url: `${api}/v3.0/oa/message/cs`,
        method: "POST",
        json: { recipient: { user_id: o.userId }, message: { attachment: { type: "file", payload: { token: o.fileToken } } } },
        signal: o.signal,
      },
      ZaloSentMessageSchema,
    );
    return { messageId: sent.message_id };
  }

  async function uploadFile(o: { filename: string; bytes: Uint8Array; contentType?: string; signal?: AbortSignal }): Promise<string> {
    if (o.bytes.length > ZALO_OA_FILE_LIMIT_BYTES)
      throw new ChannelFailure("ZALO_OA", "rejected", `Zalo OA: ${o.filename} is ${o.bytes.length} bytes (at most ${ZALO_OA_FILE_LIMIT_BYTES})`);
    const form = () => {
      const f = new FormData();
      f.append("file", new Blob([o.bytes], { type: o.contentType ?? "application/pdf" }), o.filename);
      return f;
    };
    // Uploads are still on API v2.0 (there is no v3.0 upload).
    const up = await call({ url: `${api}/v2.0/oa/upload/file`, method: "POST", form, timeoutMs: timeoutMs * 4, signal: o.signal }, ZaloUploadedFileSchema);
    return up.token;
  }

  return {
    async sendText(o) {
      const buttons = o.buttons ?? [];
      checkButtons(buttons);
      // Vietnamese typed on phones often arrives decomposed; NFC is what Zalo counts and shows.
      const parts = splitText(o.text.normalize("NFC").replace(/\r\n?/g, "\n").trim(), ZALO_OA_TEXT_LIMIT);
      const messageIds: string[] = [];
      for (let i = 0; i < parts.length; i++) {
        const message: Record<string, unknown> = { text: parts[i] };
        if (i === 0 && o.quoteMessageId) message.quote_message_id = o.quoteMessageId;
        if (i === parts.length - 1 && buttons.length) {
          message.attachment = { type: "template", payload: { ...(options.buttonTemplateType ? { template_type: options.buttonTemplateType } : {}), buttons } };
        }
        const sent = await call({ url: `${api}/v3.0/oa/message/cs`, method: "POST", json: { recipient: { user_id: o.userId }, message }, signal: o.signal }, ZaloSentMessageSchema);
        messageIds.push(sent.message_id);
      }
      return { messageIds };
    },
    uploadFile,
    sendFile,
    async sendPdf(o) {
      const fileToken = await uploadFile({ filename: o.filename, bytes: o.bytes, contentType: "application/pdf", ...(o.signal ? { signal: o.signal } : {}) });
      return sendFile({ userId: o.userId, fileToken, ...(o.signal ? { signal: o.signal } : {}) });
    },
    async getUser(userId, signal) {
      const url = `${api}/v3.0/oa/user/detail?data=${encodeURIComponent(JSON.stringify({ user_id: userId }))}`;
      const d = await call({ url, method: "GET", signal }, ZaloUserDetailSchema);
      return { userId: d.user_id, displayName: d.display_name, isFollower: d.user_is_follower, lastInteractionDate: d.user_last_interaction_date, phone: d.shared_info?.phone };
    },
    async sendTemplate(o) {
      const templateData = Object.fromEntries(Object.entries(o.data).map(([k, v]) => [k, String(v)]));
      let c: Call;
      if ("phone" in o.to) {
        const e164 = normalizePhone(o.to.phone);
        if (!e164) throw new ChannelFailure("ZALO_OA", "unreachable", `Zalo OA: ${o.to.phone} is not a Vietnamese mobile number`);
        // Zalo wants 84…, not 0… or +84… (-108 otherwise).
        const body: Record<string, unknown> = { phone: e164.slice(1), template_id: o.templateId, template_data: templateData };
        if (o.trackingId) body.tracking_id = o.trackingId.slice(0, 48);
        if (o.development) body.mode = "development";
        c = { url: `${template}/message/template`, method: "POST", json: body, signal: o.signal };
      } else {
        c = { url: `${api}/v3.0/oa/message/template`, method: "POST", json: { user_id: o.to.userId, template_id: o.templateId, template_data: templateData }, signal: o.signal };
      }
      const sent = await call(c, ZaloTemplateSentSchema);
      return { messageId: (sent.msg_id ?? sent.message_id)! };
    },
  };
}
