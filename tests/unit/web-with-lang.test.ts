import { describe, expect, it } from "vitest";
import { withLang } from "../../server/web/layout.ts";

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
