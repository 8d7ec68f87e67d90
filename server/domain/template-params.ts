/**
 * The parameters of an office's approved template message (Zalo ZNS / ZBS template), filled from a
 * directive: configuration names which field goes into which of the template's parameters
 * (`ZALO_OA_TEMPLATE_PARAMS="tieu_de=title,han=deadline,ma=directive_id"`).
 */
import { formatDeadline } from "./format-deadline.ts";

/** What a template parameter can be filled with. */
export const TEMPLATE_FIELDS = ["title", "body", "issuer", "deadline", "directive_id", "recipient_name"] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/** Template parameter name → directive field. */
export type TemplateParams = Readonly<Record<string, TemplateField>>;

/**
 * Zalo's template parameters hold short values (its commonest limit is 100 characters for a text
 * parameter; a longer value is refused and the message not sent), so values are cut there.
 */
export const TEMPLATE_VALUE_LIMIT = 100;

/**
 * Reads `name=field,name=field`; null when it is malformed or names an unknown field.
 * @example parseTemplateParams("tieu_de=title, han=deadline") // { tieu_de: "title", han: "deadline" }
 */
export function parseTemplateParams(text: string): TemplateParams | null {
  const out: Record<string, TemplateField> = {};
  for (const pair of text.split(",")) {
    if (!pair.trim()) continue;
    const m = /^\s*([A-Za-z0-9_]{1,64})\s*=\s*([a-z_]+)\s*$/.exec(pair);
    if (!m || !(TEMPLATE_FIELDS as readonly string[]).includes(m[2]!) || m[1]! in out) return null;
    out[m[1]!] = m[2] as TemplateField;
  }
  return out;
}

export type TemplateSource = { directiveId: number; title: string; body: string; issuerName: string | null; deadline: Date | null; recipientName: string | null };

/** The template data for one recipient: every configured parameter, its value cut to {@link TEMPLATE_VALUE_LIMIT}. */
export function buildTemplateData(params: TemplateParams, s: TemplateSource): Record<string, string> {
  const value = (f: TemplateField): string => {
    switch (f) {
      case "title":
        return s.title;
      case "body":
        return s.body.replace(/\s+/g, " ");
      case "issuer":
        return s.issuerName ?? "";
      case "deadline":
        return s.deadline ? formatDeadline(s.deadline) : "";
      case "directive_id":
        return String(s.directiveId);
      case "recipient_name":
        return s.recipientName ?? "";
    }
  };
  return Object.fromEntries(
    Object.entries(params).map(([name, f]) => {
      const v = value(f).normalize("NFC").trim();
      return [name, v.length > TEMPLATE_VALUE_LIMIT ? `${v.slice(0, TEMPLATE_VALUE_LIMIT - 1)}…` : v];
    }),
  );
}
