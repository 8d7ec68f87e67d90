/** The dashboard's HTML templating escapes by default; its schema forms read back what they render. */
import { describe, expect, it } from "vitest";
import { escapeHtml, html, jsonScript, raw } from "../../server/web/html.ts";
import { formToData } from "../../server/web/schema-form.ts";
import { csrfTokenFor } from "../../server/web/web-session.ts";

describe("html``", () => {
  it("escapes interpolated text, in content and in attributes", () => {
    const name = `<script>alert("x")</script> & 'q'`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</p>',
    );
  });

  it("keeps nested templates and raw() as markup, joins arrays, drops null, undefined and false", () => {
    const items = ["a<b", "c"].map((x) => html`<li>${x}</li>`);
    // Prettier would lay the markup out on several lines; the exact string is the point here.
    // prettier-ignore
    const out = html`<ul>${items}</ul>${null}${undefined}${false}${raw("<hr>")}${0}`;
    expect(out.value).toBe("<ul><li>a&lt;b</li><li>c</li></ul><hr>0");
  });

  it("escapes every character that matters, and JSON for a script element cannot close it", () => {
    expect(escapeHtml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
    expect(jsonScript({ a: "</script><script>" }).value).not.toContain("</script>");
  });
});

describe("formToData", () => {
  const schema = {
    type: "object",
    properties: {
      subject: { type: "string" },
      signer: { type: "object", properties: { title: { type: "string" }, name: { type: "string" } } },
      recipients: { type: "array", items: { type: "string" } },
      copies: { type: "integer" },
      urgent: { type: "boolean" },
      place: { type: "string" },
    },
  };

  it("reads dotted names back into nested data: lists by line, integers as numbers, empty optional fields left out", () => {
    const body = {
      "data.subject": "V/v hội giảng",
      "data.signer.title": "GIÁM ĐỐC",
      "data.signer.name": "Nguyễn Văn Bình",
      "data.recipients": "Như trên;\r\n\r\n  Lưu: VT.  ",
      "data.copies": "3",
      "data.urgent": "true",
      "data.place": "   ",
    };
    expect(formToData(schema, body)).toEqual({
      subject: "V/v hội giảng",
      signer: { title: "GIÁM ĐỐC", name: "Nguyễn Văn Bình" },
      recipients: ["Như trên;", "Lưu: VT."],
      copies: 3,
      urgent: true,
    });
  });

  it("leaves a number that is not one as text, for the template's validation to name", () => {
    expect(formToData(schema, { "data.copies": "ba" })).toEqual({ copies: "ba" });
  });
});

describe("CSRF token", () => {
  it("is bound to the session: another session's token differs, the same session's is stable", () => {
    expect(csrfTokenFor("session-a-0123456789")).toBe(csrfTokenFor("session-a-0123456789"));
    expect(csrfTokenFor("session-a-0123456789")).not.toBe(csrfTokenFor("session-b-0123456789"));
    expect(csrfTokenFor("session-a-0123456789")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
