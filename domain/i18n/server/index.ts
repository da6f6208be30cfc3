import { type Language, directionOf, languageOf } from "../locales";
import { type Translate, translator } from "../translate";
import ar from "./ar";
import en from "./en";
import es from "./es";

/** The server's catalogs (all small; the Worker and the objects carry them all). */
export const SERVER_CATALOGS = { en, es, ar } as const;
export type ServerText = Translate<typeof en>;

const cache = new Map<string, ServerText>();
/**
 * `t` for texts the server writes for one reader, in the language of their `locale` (numbers in its digits); in a
 * right-to-left language each text put into a sentence is isolated (see `isolated`), as the SPA does.
 */
export function serverText(locale: string | null | undefined): ServerText {
  const key = locale ?? "en";
  let t = cache.get(key);
  if (!t) {
    const lang: Language = languageOf(locale);
    cache.set(key, (t = translator<typeof en>(SERVER_CATALOGS[lang], locale ?? "en-US", en, directionOf(lang))));
  }
  return t;
}
