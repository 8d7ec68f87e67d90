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
