/** The Zalo OA's settings from configuration; null when the OA is off (no credentials). */
import type { Config } from "../../../server/config/env.ts";
import { parseTemplateParams } from "../../../server/domain/template-params.ts";
import type { ZaloOaTemplateSettings } from "./zalo-oa-adapter.ts";

export type ZaloOaSettings = {
  oaId: string;
  appId: string;
  appSecret: string;
  /** Signs webhook events. */
  secretKey: string;
  seed: { accessToken: string | undefined; refreshToken: string };
  apiBase: string;
  oauthBase: string;
  templateBase: string;
  /** Sends per second across workers; 0 = no limit of ours. */
  ratePerSecond: number;
  /** Where a principal follows the OA (the link-code answer offers it). */
  followUrl: string;
  /** The approved template message sent outside the interaction window; null: fall back to the next channel. */
  template: ZaloOaTemplateSettings | null;
};

/** Reads the OA's settings; configuration validation already made them all-or-nothing. */
export function zaloOaSettings(c: Config): ZaloOaSettings | null {
  if (!c.ZALO_OA_ID || !c.ZALO_OA_APP_ID || !c.ZALO_APP_SECRET || !c.ZALO_OA_SECRET_KEY || !c.ZALO_OA_REFRESH_TOKEN) return null;
  return {
    oaId: c.ZALO_OA_ID,
    appId: c.ZALO_OA_APP_ID,
    appSecret: c.ZALO_APP_SECRET,
    secretKey: c.ZALO_OA_SECRET_KEY,
    seed: { accessToken: c.ZALO_OA_ACCESS_TOKEN, refreshToken: c.ZALO_OA_REFRESH_TOKEN },
    apiBase: c.ZALO_OA_API_BASE,
    oauthBase: c.ZALO_OAUTH_BASE,
    templateBase: c.ZALO_TEMPLATE_API_BASE,
    ratePerSecond: c.ZALO_OA_RATE_LIMIT,
    followUrl: `https://zalo.me/${encodeURIComponent(c.ZALO_OA_ID)}`,
    template: c.ZALO_OA_TEMPLATE_ID ? { templateId: c.ZALO_OA_TEMPLATE_ID, params: parseTemplateParams(c.ZALO_OA_TEMPLATE_PARAMS ?? "") ?? {}, by: c.ZALO_OA_TEMPLATE_BY } : null,
  };
}
