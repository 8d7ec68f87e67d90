import createDebug from "debug";
import { pino } from "pino";
import { describe, expect, it, vi } from "vitest";
import { createLogger, registerConfigSecrets, registerSecret, registerUrlSecrets } from "../../server/config/logger.ts";
import { REDACTED } from "../../server/domain/scrub-secrets.ts";

const TOKEN = "6012345678:AAFq9Lw2-ZxYvUtSrQpOnMlKjIhGfEdCbA1";
const SECRET = TOKEN.split(":")[1]!;
const WEBHOOK_SECRET = "hook_Secret-0f1e2d3c";
const DB_PASSWORD = "pg-Pa55word";

/** A pino destination that keeps every line. */
function capture() {
  const lines: string[] = [];
  return { lines, write: (s: string) => void lines.push(s), text: () => lines.join("") };
}

registerConfigSecrets({
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
  DATABASE_URL: `postgres://chidao:${DB_PASSWORD}@db:5432/chidao`,
  PORT: 3000,
  LOG_LEVEL: "info",
});

describe("createLogger", () => {
  it("scrubs every way a logger is called: objects, bindings of children, messages, arguments, errors", () => {
    const out = capture();
    const root = createLogger("trace", out);
    const child = root.child({ module: "telegram", apiUrl: `https://api.telegram.org/bot${TOKEN}/` }).child({ headers: { authorization: "Bearer abcdefgh" } });
    const err = new Error(`request to https://api.telegram.org/bot${TOKEN}/getMe failed, reason: connect ECONNREFUSED`);
    child.error(err);
    child.error({ err }, "getMe failed");
    child.warn({ err });
    child.info(`plain message with ${WEBHOOK_SECRET}`);
    child.info("interpolated %s and %j", `postgres://chidao:${DB_PASSWORD}@db/chidao`, { token: "x", url: `https://x/bot${TOKEN}/a` });
    child.trace({ nested: { deeper: [{ secret_token: WEBHOOK_SECRET }] } }, "trace");
    child.debug({ webhook: { url: "https://chidao.example/webhooks/telegram", secret: WEBHOOK_SECRET } }, "set webhook");

    const text = out.text();
    expect(out.lines).toHaveLength(7);
    for (const secret of [SECRET, WEBHOOK_SECRET, DB_PASSWORD, "abcdefgh"]) expect(text).not.toContain(secret);
    const lines = out.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ module: "telegram", apiUrl: `https://api.telegram.org/bot6012345678:${REDACTED}/`, headers: { authorization: REDACTED } });
    expect(lines[0]!.msg).toBe(`request to https://api.telegram.org/bot6012345678:${REDACTED}/getMe failed, reason: connect ECONNREFUSED`);
    expect(lines[0]!.err).toMatchObject({ type: "Error", message: lines[0]!.msg });
    expect(lines[1]!.msg).toBe("getMe failed");
    expect(lines[2]!.msg).toBe(lines[0]!.msg);
    expect(lines[3]!.msg).toBe(`plain message with ${REDACTED}`);
    expect(lines[4]!.msg).toBe(`interpolated postgres://chidao:${REDACTED}@db/chidao and {"token":"${REDACTED}","url":"https://x/bot6012345678:${REDACTED}/a"}`);
    expect(lines[6]).toMatchObject({ webhook: { url: "https://chidao.example/webhooks/telegram", secret: REDACTED } });
  });

  it("scrubs secrets registered after the logger was created (Zalo's come later)", () => {
    const out = capture();
    const log = createLogger("info", out).child({ module: "zalo" });
    log.info("refreshed zalo-at-0123456789 before registration");
    registerSecret("zalo-at-0123456789", "zalo.access_token");
    log.info("refreshed zalo-at-0123456789 after registration");
    expect(out.lines[0]).toContain("zalo-at-0123456789");
    expect(out.lines[1]).not.toContain("zalo-at-0123456789");
  });

  it("registers URL passwords percent-encoded and decoded", () => {
    registerUrlSecrets("redis://:r%2Fdis-pass%40word@127.0.0.1:6379");
    const out = capture();
    createLogger("info", out).info({ note: "r/dis-pass@word" }, "and r%2Fdis-pass%40word");
    expect(out.text()).not.toContain("dis-pass");
  });

  it("scrubs what libraries print through the debug package (grammY's raw errors with DEBUG=grammy*)", () => {
    createLogger("info", capture());
    const printed: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (printed.push(String(chunk)), true));
    try {
      const debugErr = createDebug("grammy:error");
      debugErr.enabled = true;
      debugErr(new Error(`request to https://api.telegram.org/bot${TOKEN}/getUpdates failed, reason: socket hang up`));
    } finally {
      spy.mockRestore();
    }
    expect(printed.join("")).toContain("getUpdates failed");
    expect(printed.join("")).not.toContain(SECRET);
  });

  it("costs little per line: figures against pino without scrubbing", () => {
    const sink = { write: (_s: string) => {} };
    const plain = pino({ level: "info" }, sink).child({ module: "delivery-worker" });
    const scrubbed = createLogger("info", sink).child({ module: "delivery-worker" });
    const typical = { deliveryId: 123456, jobId: "delivery-123456-2", outcome: { kind: "retry", error: "Telegram 502: Bad Gateway", followUp: { attempt: 2, delayMs: 4000 } } };
    const err = Object.assign(new Error("Network request for 'sendMessage' failed!"), {
      error: new Error(`request to https://api.telegram.org/bot${TOKEN}/sendMessage failed, reason: socket hang up`),
    });
    const cases: [string, (log: typeof plain) => void][] = [
      ["message only", (log) => log.info("telegram long polling started")],
      ["typical object", (log) => log.info(typical, "delivery not sent")],
      ["object with a secret", (log) => log.info({ url: `https://api.telegram.org/bot${TOKEN}/getMe`, password: "x" }, "calling")],
      ["error with cause and URL", (log) => log.error({ err, deliveryId: 1 }, "send failed")],
    ];
    const perLine = (fn: () => void, n: number) => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) fn();
      return Number(process.hrtime.bigint() - t0) / n / 1000;
    };
    // The machine is shared: alternate the two loggers over rounds and keep each one's best round.
    const rows = cases.map(([name, call]) => {
      const n = name.startsWith("error") ? 2_000 : 20_000;
      let base = Infinity;
      let ours = Infinity;
      for (let round = 0; round < 7; round++) {
        base = Math.min(
          base,
          perLine(() => call(plain), n),
        );
        ours = Math.min(
          ours,
          perLine(() => call(scrubbed), n),
        );
      }
      return { line: name, "pino µs": base.toFixed(2), "scrubbed µs": ours.toFixed(2), "added µs": (ours - base).toFixed(2) };
    });
    console.table(rows);
    // Generous bounds for a busy 2-core machine: a plain line stays within a few microseconds.
    expect(Number(rows[1]!["added µs"])).toBeLessThan(20);
    expect(Number(rows[3]!["scrubbed µs"])).toBeLessThan(500);
  });
});
