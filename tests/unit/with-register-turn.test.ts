import { describe, expect, it } from "vitest";
import { withRegisterTurn } from "../../server/features/register/with-register-turn.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("withRegisterTurn", () => {
  it("runs at most two calls for one register at a time, starting them in order, and other registers alongside", async () => {
    const log: string[] = [];
    let inA = 0;
    let maxInA = 0;
    const a = (i: number) =>
      withRegisterTurn("1:2026:*", async () => {
        maxInA = Math.max(maxInA, ++inA);
        log.push(`a${i}`);
        await sleep(5);
        inA--;
        return i;
      });
    const b = withRegisterTurn("2:2026:*", async () => void log.push("b"));
    expect(await Promise.all([a(1), a(2), a(3), a(4), a(5), b])).toEqual([1, 2, 3, 4, 5, undefined]);
    expect(maxInA).toBe(2);
    expect(log.filter((x) => x.startsWith("a"))).toEqual(["a1", "a2", "a3", "a4", "a5"]);
    expect(log.indexOf("b")).toBeLessThan(log.indexOf("a3"));
  });

  it("passes the turn on when a call fails", async () => {
    const failing = withRegisterTurn("k", async () => {
      throw new Error("rolled back");
    });
    const next = withRegisterTurn("k", async () => "next");
    await expect(failing).rejects.toThrow("rolled back");
    expect(await next).toBe("next");
  });
});
