/**
 * Translations for server and bot messages. Vietnamese is the default; English the second locale.
 * Keys are dotted (`errors.not_found`); `{name}` placeholders are filled from params.
 */
import vi from "../locales/vi.json" with { type: "json" };
import en from "../locales/en.json" with { type: "json" };

export const LOCALES = ["vi", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "vi";

type Dict = { [key: string]: string | Dict };
const DICTS: Record<Locale, Dict> = { vi, en };

function lookup(dict: Dict, key: string): string | undefined {
  let node: string | Dict | undefined = dict;
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}

/** Translates `key` into `locale`, falling back to Vietnamese, then to the key itself. */
export function t(locale: Locale, key: string, params: Record<string, unknown> = {}): string {
  const template = lookup(DICTS[locale], key) ?? lookup(DICTS[DEFAULT_LOCALE], key) ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** True when `key` exists in the Vietnamese dictionary (used by tests to catch missing strings). */
export function hasKey(key: string): boolean {
  return lookup(DICTS[DEFAULT_LOCALE], key) !== undefined;
}

/**
 * Picks the locale from an Accept-Language header (or a `?lang=`); Vietnamese unless English is preferred.
 * @example pickLocale("en-US,en;q=0.9") // "en"
 */
export function pickLocale(header: string | undefined | null): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag = "", ...rest] = part.trim().split(";");
      const q = rest.find((r) => r.trim().startsWith("q="));
      return { tag: tag.toLowerCase().split("-")[0] ?? "", q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) if ((LOCALES as readonly string[]).includes(tag)) return tag as Locale;
  return DEFAULT_LOCALE;
}
