import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
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
});
