import { describe, expect, it } from "vitest";
import { jsonDepth } from "../../server/http/body/json-body.ts";

describe("jsonDepth: nesting of raw JSON bytes, before parsing", () => {
  it.each([
    ["1", 0],
    ['"[[[["', 0],
    ["[]", 1],
    ['{"a":[{"b":[]}]}', 4],
    ['["\\"[[", [1]]', 2],
    ['["\\\\", [1]]', 2],
    ['{"đường": {"ờ": ["{"]}}', 3],
    [`${"[".repeat(40)}${"]".repeat(40)}`, 40],
    ["[[[", 3],
  ])("%s → %i", (json, depth) => {
    expect(jsonDepth(Buffer.from(json))).toBe(depth);
  });
});
