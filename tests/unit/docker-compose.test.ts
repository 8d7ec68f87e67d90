/**
 * docker-compose.yml holds no credential: `docker compose up` with nothing set must refuse to start
 * rather than create an administrator or a database with a password written in the file, and the web
 * port is published on 127.0.0.1 unless the operator says otherwise. Compose's own interpolation
 * (`${VAR}`, `${VAR:-default}`, `${VAR:?error}`) is reproduced here, since Docker is not on CI.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const compose = readFileSync(new URL("../../docker-compose.yml", import.meta.url), "utf8");

/** Compose's variable interpolation for the forms the file uses; throws like `docker compose` on `:?`. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{([A-Z_][A-Z0-9_]*)(?:(:-|:\?)([^}]*))?\}/g, (_m, name: string, op: string | undefined, arg: string | undefined) => {
    const value = env[name] ?? "";
    if (op === ":?" && value === "") throw new Error(`required variable ${name} is missing a value: ${arg}`);
    if (op === ":-" && value === "") return arg ?? "";
    return value;
  });
}

const lines = compose.split("\n").filter((l) => !/^\s*#/.test(l));

describe("docker-compose.yml", () => {
  it("refuses to start without POSTGRES_PASSWORD", () => {
    expect(() => interpolate(compose, {})).toThrowError(/POSTGRES_PASSWORD/);
  });

  it("writes no password, secret, token or administrator in the file, not even as a default", () => {
    const sensitive = lines.filter((l) => /^\s*[A-Z_]*(PASSWORD|SECRET|TOKEN|ADMIN_EMAIL)[A-Z_]*\s*:/.test(l));
    expect(sensitive.length).toBeGreaterThanOrEqual(5);
    for (const line of sensitive) {
      const value = line.split(/:\s*/).slice(1).join(":").trim();
      // Only a reference to the operator's environment, with an empty default or a required-variable error.
      expect(value, line).toMatch(/^\$\{[A-Z_]+(:-|:\?[^}]*)?\}$/);
      expect(value, line).not.toMatch(/:-[^}]/);
    }
    const urls = lines.filter((l) => /postgres(ql)?:\/\//.test(l));
    for (const url of urls) expect(url).toMatch(/postgres:\$\{POSTGRES_PASSWORD:\?[^}]*\}@/);
  });

  it("creates no administrator and publishes on 127.0.0.1 when only the database password is given", () => {
    const out = interpolate(compose, { POSTGRES_PASSWORD: "0f3c9a" });
    expect(out).toMatch(/ADMIN_EMAIL: \n/);
    expect(out).toMatch(/ADMIN_PASSWORD: \n/);
    expect(out).toContain('ports: ["127.0.0.1:3000:3000"]');
    expect(out.match(/ports:/g)).toHaveLength(1);
    expect(out).toContain("postgresql://postgres:0f3c9a@postgres:5432/chidao");
  });

  it("publishes on the address the operator gives in CHIDAO_BIND", () => {
    expect(interpolate(compose, { POSTGRES_PASSWORD: "x", CHIDAO_BIND: "0.0.0.0" })).toContain('ports: ["0.0.0.0:3000:3000"]');
  });
});
