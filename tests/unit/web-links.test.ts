import { describe, expect, it } from "vitest";
import { withLang } from "../../server/web/layout.ts";
import { signInRedirect } from "../../server/web/web-errors.ts";

describe("withLang (the language switch's link)", () => {
  it.each([
    ["/directives", "en", "/directives?lang=en"],
    ["/directives?status=open&lang=vi", "en", "/directives?status=open&lang=en"],
    // Paths the router never matches still get a page (the 404), and its link must neither throw nor leave the site.
    ["//%FF%FE", "en", "/%FF%FE?lang=en"],
    ["//%C0", "vi", "/%C0?lang=vi"],
    ["//evil.example/x?a=1", "en", "/evil.example/x?a=1&lang=en"],
    ["///x", "en", "/x?lang=en"],
    ["/a?b=%ZZ", "en", "/a?b=%25ZZ&lang=en"],
  ])("%s → %s", (url, locale, expected) => {
    expect(withLang(url, locale)).toBe(expected);
  });
});

describe("signInRedirect (a signed-out browser sent to sign in)", () => {
  it.each([
    ["/directives/12?status=open", "/signin?next=%2Fdirectives%2F12%3Fstatus%3Dopen"],
    [`/directives?q=${"a".repeat(20_000)}`, "/signin?next=%2Fdirectives"],
    [`/${"a".repeat(20_000)}`, "/signin?next=%2F"],
  ])("%#: keeps the Location header short", (url, expected) => {
    const location = signInRedirect(url);
    expect(location).toBe(expected);
    expect(location.length).toBeLessThan(7000);
  });
});
