/**
 * The languages Tutorly speaks, and how a person's language is chosen from what they or their browser ask for.
 * A *language* picks the catalog (words); a *locale* — a full BCP 47 tag such as `en-GB` or `es-MX` — picks the
 * formats (dates, numbers, currency). A locale always belongs to one language: `languageOf("es-MX")` is `es`.
 */

/** English is the source language: every other catalog has exactly its keys. */
export const LANGUAGES = ["en", "es", "ar"] as const;
export type Language = (typeof LANGUAGES)[number];
export const SOURCE_LANGUAGE: Language = "en";

/** Each language named in itself, for the switcher (a reader looks for their own language's name). */
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", es: "Español", ar: "العربية" };

/** Arabic is written right to left; the page's `dir` follows the language. */
export const directionOf = (language: Language): "ltr" | "rtl" => (language === "ar" ? "rtl" : "ltr");

export const isLanguage = (s: unknown): s is Language => typeof s === "string" && (LANGUAGES as readonly string[]).includes(s);

/** The language of a locale tag we ship, or null: `es-419` → `es`, `AR-eg` → `ar`, `fr` → null. */
export function supportedLanguage(tag: string | null | undefined): Language | null {
  const primary = tag?.split(/[-_]/)[0]?.toLowerCase();
  return isLanguage(primary) ? primary : null;
}

/** The language of a locale tag, English when we do not ship it. */
export const languageOf = (tag: string | null | undefined): Language => supportedLanguage(tag) ?? SOURCE_LANGUAGE;

/**
 * The first of a person's preferred tags (navigator.languages, Accept-Language, in order) whose language we
 * ship, as the locale to format with; English when none is. `["fr-FR", "es-MX", "en"]` → `es-MX`.
 */
export function negotiateLocale(preferred: readonly string[]): string {
  for (const tag of preferred) {
    if (!supportedLanguage(tag)) continue;
    try {
      return Intl.getCanonicalLocales(tag)[0]!;
    } catch {
      continue;
    }
  }
  return SOURCE_LANGUAGE;
}

/** Tags of an `Accept-Language` header, best first (q=0 left out). */
export function acceptLanguageTags(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = Number(params.find((p) => p.trim().startsWith("q="))?.trim().slice(2) ?? "1");
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => x.tag && x.tag !== "*" && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((x) => x.tag);
}

/** The locales the account settings offer for "language and formats": each shipped language, with regions whose formats differ. */
export const FORMAT_LOCALES = ["en-US", "en-GB", "es-ES", "es-MX", "ar"] as const;

/**
 * The locale to use when someone picks `language` while formatting for `current`: their region stays when the
 * language does not change; otherwise the first of their preferred tags in that language, or the bare language.
 */
export function localeForLanguage(language: Language, current: string, preferred: readonly string[] = []): string {
  if (supportedLanguage(current) === language) return current;
  return preferred.find((tag) => supportedLanguage(tag) === language) ?? language;
}
