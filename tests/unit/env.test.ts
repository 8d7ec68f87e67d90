import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { zaloBotSettings } from "../../bot/channels/zalo-bot/zalo-bot-settings.ts";
import { zaloOaSettings } from "../../bot/channels/zalo-oa/zalo-oa-settings.ts";
import { ConfigError, ENV_KEYS, loadConfig } from "../../server/config/env.ts";

describe("configuration", () => {
  it("documents every variable in .env.example", () => {
    const example = readFileSync(new URL("../../.env.example", import.meta.url), "utf8");
    const keys = ENV_KEYS;
    const missing = keys.filter((k) => !new RegExp(`^#? ?${k}=`, "m").test(example));
    expect(missing).toEqual([]);
  });
  it("has working defaults", () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.TELEGRAM_API_ROOT).toBe("https://api.telegram.org");
    expect(c.DATABASE_URL).toBeUndefined();
  });
  it("names each bad variable", () => {
    expect(() => loadConfig({ PORT: "abc", DATABASE_URL: "not a url" })).toThrowError(ConfigError);
    expect(() => loadConfig({ PORT: "abc", DATABASE_URL: "not a url" })).toThrowError(/PORT[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*PORT/);
    expect(() => loadConfig({ PUBLIC_URL: "https://x.vn", TELEGRAM_BOT_TOKEN: "1:a" })).toThrowError(/TELEGRAM_WEBHOOK_SECRET/);
  });
  it("requires ADMIN_EMAIL and ADMIN_PASSWORD together", () => {
    expect(() => loadConfig({ ADMIN_EMAIL: "a@b.vn" })).toThrowError(/ADMIN_PASSWORD/);
  });
  describe("webhook secrets", () => {
    const oa = {
      ZALO_OA_ID: "4318907742201887635",
      ZALO_OA_APP_ID: "2845093718264500192",
      ZALO_APP_SECRET: "app-secret",
      ZALO_OA_REFRESH_TOKEN: "rt",
    };
    // Every secret that authenticates a webhook, with what else its channel needs to start.
    const channels: [string, Record<string, string>][] = [
      ["TELEGRAM_WEBHOOK_SECRET", { PUBLIC_URL: "https://x.vn", TELEGRAM_BOT_TOKEN: "1:a" }],
      ["ZALO_BOT_WEBHOOK_SECRET", { PUBLIC_URL: "https://x.vn", ZALO_BOT_TOKEN: "1:x" }],
      ["ZALO_OA_SECRET_KEY", oa],
    ];
    it.each(channels.flatMap(([key, rest]) => ["a", "fifteen-chars-x"].map((secret) => [key, secret, rest] as const)))("%s of %j is refused at start-up", (key, secret, rest) => {
      expect(() => loadConfig({ ...rest, [key]: secret })).toThrowError(new RegExp(`${key}: at least 16 characters`));
    });
    it.each(channels)("%s of 16 characters is taken", (key, rest) => {
      expect(loadConfig({ ...rest, [key]: "sixteen-chars-xx" })[key as "TELEGRAM_WEBHOOK_SECRET"]).toBe("sixteen-chars-xx");
    });
    it("Telegram's secret keeps Telegram's alphabet and limit", () => {
      expect(() => loadConfig({ TELEGRAM_WEBHOOK_SECRET: "sixteen chars xx" })).toThrowError(/TELEGRAM_WEBHOOK_SECRET/);
      expect(() => loadConfig({ TELEGRAM_WEBHOOK_SECRET: "x".repeat(257) })).toThrowError(/TELEGRAM_WEBHOOK_SECRET/);
    });
  });
  describe("Zalo", () => {
    const oa = {
      ZALO_OA_ID: "4318907742201887635",
      ZALO_OA_APP_ID: "2845093718264500192",
      ZALO_APP_SECRET: "app-secret",
      ZALO_OA_SECRET_KEY: "oa-secret-key-16+",
      ZALO_OA_REFRESH_TOKEN: "rt",
    };
    it("is off without credentials and on with them, with Zalo's hosts by default", () => {
      expect(zaloOaSettings(loadConfig({}))).toBeNull();
      expect(zaloBotSettings(loadConfig({}))).toBeNull();
      const s = zaloOaSettings(loadConfig(oa))!;
      expect(s).toMatchObject({
        oaId: oa.ZALO_OA_ID,
        apiBase: "https://openapi.zalo.me",
        oauthBase: "https://oauth.zaloapp.com",
        templateBase: "https://business.openapi.zalo.me",
        followUrl: "https://zalo.me/4318907742201887635",
        seed: { accessToken: undefined, refreshToken: "rt" },
      });
      expect(zaloBotSettings(loadConfig({ ZALO_BOT_TOKEN: "1:x" }))).toMatchObject({ apiBase: "https://bot-api.zaloplatforms.com", ratePerSecond: 20, url: null });
      expect(zaloBotSettings(loadConfig({ ZALO_BOT_TOKEN: "1:x", ZALO_BOT_URL: "https://bot-link.example.vn/b" }))!.url).toBe("https://bot-link.example.vn/b");
      expect(() => loadConfig({ ZALO_BOT_URL: "javascript:alert(1)" })).toThrowError(/ZALO_BOT_URL: an http\(s\) URL/);
    });
    it("names every missing key of a half-configured OA", () => {
      expect(() => loadConfig({ ZALO_OA_ID: "1" })).toThrowError(/ZALO_OA_APP_ID[\s\S]*ZALO_APP_SECRET[\s\S]*ZALO_OA_SECRET_KEY[\s\S]*ZALO_OA_REFRESH_TOKEN/);
      expect(() => loadConfig({ ZALO_OA_ACCESS_TOKEN: "at" })).toThrowError(/ZALO_OA_ID/);
    });
    it("refuses webhook secrets shorter than 16 characters", () => {
      expect(() => loadConfig({ ...oa, ZALO_OA_SECRET_KEY: "fifteen-chars-x" })).toThrowError(/ZALO_OA_SECRET_KEY: at least 16/);
      expect(() => loadConfig({ ZALO_BOT_TOKEN: "1:x", ZALO_BOT_WEBHOOK_SECRET: "short-secret" })).toThrowError(/ZALO_BOT_WEBHOOK_SECRET: at least 16/);
      expect(() => loadConfig({ PUBLIC_URL: "https://x.vn", ZALO_BOT_TOKEN: "1:x" })).toThrowError(/ZALO_BOT_WEBHOOK_SECRET/);
      expect(loadConfig({ PUBLIC_URL: "https://x.vn", ZALO_BOT_TOKEN: "1:x", ZALO_BOT_WEBHOOK_SECRET: "sixteen-chars-xx" }).ZALO_BOT_WEBHOOK_SECRET).toBe("sixteen-chars-xx");
    });
  });
});

describe("ADMIN_PASSWORD and TRUST_PROXY", () => {
  it.each(["change-me-now", "short-pass", "Password@2024", "123456789012", "chidao-chidao"])("refuses %j as the first administrator's password", (password) => {
    expect(() => loadConfig({ ADMIN_EMAIL: "admin@sgd.example.vn", ADMIN_PASSWORD: password })).toThrowError(/ADMIN_PASSWORD/);
  });
  it("refuses the administrator's e-mail as the password, and never echoes the password", () => {
    let message = "";
    try {
      loadConfig({ ADMIN_EMAIL: "quantri.vien@sgd.example.vn", ADMIN_PASSWORD: "quantri.vien@sgd.example.vn" });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/ADMIN_PASSWORD: a known default/);
    expect(loadConfig({ ADMIN_EMAIL: "admin@sgd.example.vn", ADMIN_PASSWORD: "correct horse battery staple" }).ADMIN_PASSWORD).toBe("correct horse battery staple");
  });
  it.each([
    [undefined, ["loopback"]],
    ["false", false],
    ["0", 0],
    ["2", 2],
    ["loopback, 10.0.0.0/8", ["loopback", "10.0.0.0/8"]],
    ["uniquelocal,192.168.1.10,fd00::/8", ["uniquelocal", "192.168.1.10", "fd00::/8"]],
  ])("reads TRUST_PROXY=%j as %j", (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });
  it.each(["true", "everything", "10.0.0.0/33", "10.0.0.1/8/8", "loopback,,", "-1", "fd00::/129"])("refuses TRUST_PROXY=%j", (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrowError(/TRUST_PROXY/);
  });
});
