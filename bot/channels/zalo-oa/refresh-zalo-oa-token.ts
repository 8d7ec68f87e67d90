/**
 * Zalo's OAuth v4 refresh: trades the single-use refresh token for a new access/refresh pair. Only the
 * HTTP exchange lives here; storing the pair before it is used (and the lock around it) is the
 * token store's job.
 */
import { ChannelFailure } from "../../../server/domain/channel-failure.ts";
import { requestZaloJson } from "./zalo-oa-http.ts";
import { ZaloOAuthErrorSchema, ZaloTokenPairSchema } from "./zalo-oa.schemas.ts";

export type ZaloTokenPair = { accessToken: string; refreshToken: string; expiresInSeconds: number };

export type RefreshZaloOaTokenOptions = {
  /** e.g. https://oauth.zaloapp.com */
  oauthBase: string;
  appId: string;
  appSecret: string;
  refreshToken: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  signal?: AbortSignal;
};

/**
 * Refreshes the pair. The app secret travels in a `secret_key` header, the rest as a form.
 * @throws ChannelFailure `needs_admin` when Zalo refuses (refresh token used, expired or revoked,
 * wrong secret: only a new grant helps); `retry_later` when Zalo could not be asked or answered
 * nothing usable (the refresh token may or may not have been spent).
 */
export async function refreshZaloOaToken(o: RefreshZaloOaTokenOptions): Promise<ZaloTokenPair> {
  const json = await requestZaloJson({
    url: `${o.oauthBase.replace(/\/+$/, "")}/v4/oa/access_token`,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", secret_key: o.appSecret },
    body: new URLSearchParams({ refresh_token: o.refreshToken, app_id: o.appId, grant_type: "refresh_token" }),
    timeoutMs: o.timeoutMs ?? 15_000,
    signal: o.signal,
    fetch: o.fetch ?? fetch,
  });
  const pair = ZaloTokenPairSchema.safeParse(json);
  if (pair.success) return { accessToken: pair.data.access_token, refreshToken: pair.data.refresh_token, expiresInSeconds: pair.data.expires_in };
  const refusal = ZaloOAuthErrorSchema.safeParse(json);
  if (refusal.success && refusal.data.error !== 0) {
    const why = refusal.data.error_description ?? refusal.data.error_name ?? refusal.data.error_reason ?? "refused";
    throw new ChannelFailure("ZALO_OA", "needs_admin", `Zalo OAuth ${refusal.data.error}: ${why}`, { providerCode: refusal.data.error });
  }
  throw new ChannelFailure("ZALO_OA", "retry_later", `Zalo OAuth: unexpected answer ${JSON.stringify(json).slice(0, 200)}`);
}
