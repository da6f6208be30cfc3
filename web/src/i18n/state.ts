import { createRoot, createSignal } from "solid-js";
import { type Language, languageOf, negotiateLocale, supportedLanguage } from "../../../domain/i18n/locales";

/**
 * The viewer's locale as a signal, apart from the catalogs (./index.ts): the formatters (lib/time.ts, which the
 * browser tests also run in Node) read it without loading any words. First the choice remembered in this
 * browser, else the first of the browser's languages we ship; a signed-in account's stored one replaces it.
 */
export const STORAGE_KEY = "tutorly.locale";

function initialLocale(): string {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be off (private modes) or absent (Node); the browser's languages still apply.
  }
  if (stored && supportedLanguage(stored)) return stored;
  const nav = typeof navigator === "undefined" ? undefined : navigator;
  return negotiateLocale(nav ? (nav.languages ?? [nav.language]) : []);
}

const state = createRoot(() => {
  const [locale, setLocale] = createSignal(initialLocale());
  return { locale, setLocale };
});

/** The locale dates and numbers are written for: "es-MX", "en-GB", "ar". */
export const locale = state.locale;
/** Sets the locale at once (./index.ts's `setLocale` first fetches the words). */
export const setLocaleNow = state.setLocale;
/** The language the words are in. */
export const language = (): Language => languageOf(state.locale());
