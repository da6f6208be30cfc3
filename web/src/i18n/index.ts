import { type Component, type JSX, createEffect, createRoot, createSignal, lazy } from "solid-js";
import { type Language, LANGUAGES, directionOf, isLanguage, languageOf, supportedLanguage } from "../../../domain/i18n/locales";
import { STORAGE_KEY, language, locale, setLocaleNow } from "./state";
import { type ArgsOf, type Leaf, type Tree, fill, isolated, lookup } from "../../../domain/i18n/translate";
import type { Key, Namespace, PlainKey, Sources } from "./types";

/**
 * The SPA's words and formats. English is the source: `catalogs/en/<namespace>.ts`, each `as const`; Spanish and
 * Arabic are `Translation`s of it. A key starts with its namespace ("core.nav.findTutor"). Only the active
 * language's catalogs are fetched, one namespace at a time: `core` (what the landing, search and tutor pages say)
 * before the first page, the others with the routes that use them. Nothing is bundled (English included), so the
 * first-load JavaScript carries no words; a language whose download fails falls back to English. `t()` is reactive: the page re-renders in place when the language changes.
 */

export type { CatalogOf, Key, Namespace, PlainKey, Sources } from "./types";

// Every catalog is a chunk of its own, fetched when first needed.
const loaders = import.meta.glob<{ default: Tree }>("./catalogs/*/*.ts");
const loaded: Record<Language, Partial<Record<Namespace, Tree>>> = { en: {}, es: {}, ar: {} };
const pending = new Map<string, Promise<void>>();
const failed = new Set<string>();

const catalogs = createRoot(() => {
  // Bumped when a catalog arrives, so messages that waited for it render.
  const [version, setVersion] = createSignal(0);
  return { version, bump: () => setVersion((v) => v + 1) };
});

export { language, locale };

/** Fetches a namespace's catalog in a language (once); resolves when it can be used. */
export function need(ns: Namespace, lang: Language = language()): Promise<void> {
  if (loaded[lang][ns]) return Promise.resolve();
  const id = `${lang}/${ns}`;
  let p = pending.get(id);
  if (!p) {
    const load = loaders[`./catalogs/${id}.ts`];
    p = (load ? load() : Promise.reject(new Error(`No catalog ${id}`)))
      .then((m) => {
        loaded[lang][ns] = m.default;
      })
      .catch(() => {
        // Offline or a deploy moved the chunk: English stands in (and is fetched if it is not here either).
        failed.add(id);
        pending.delete(id);
        if (lang !== "en") return need(ns, "en");
      })
      .finally(() => catalogs.bump());
    pending.set(id, p);
  }
  return p;
}

/** Fetches several namespaces in the active language. */
export const needAll = (namespaces: readonly Namespace[]) => Promise.all(namespaces.map((ns) => need(ns))).then(() => undefined);

function leafFor(key: string): Leaf | undefined {
  catalogs.version();
  const lang = language();
  const ns = key.slice(0, key.indexOf(".")) as Namespace;
  const catalog = loaded[lang][ns];
  if (!catalog && !failed.has(`${lang}/${ns}`)) void need(ns, lang);
  // Until it arrives nothing is shown rather than another language's words; a failed download shows English.
  const source = catalog ?? (failed.has(`${lang}/${ns}`) ? loaded.en[ns] : undefined);
  return lookup(source, key.slice(ns.length + 1)) ?? (catalog ? lookup(loaded.en[ns], key.slice(ns.length + 1)) : undefined);
}

/** The message at `key` in the active language, its holes filled (numbers in the locale's digits). */
export function t<K extends Key>(key: K, ...args: ArgsOf<Sources, K>): string {
  const leaf = leafFor(key);
  return leaf === undefined ? "" : fill(leaf, isolated(args[0] as Record<string, string | number> | undefined, directionOf(language())), locale()).join("");
}

/**
 * Whether `key` names a message without holes in the catalogs here, for a key built from data (a server's error
 * code): false until its namespace has arrived (asking fetches it).
 */
export const isPlainKey = (key: string): key is PlainKey => leafFor(key) !== undefined;

/** Like `t`, with elements in the holes: `tx("core.tutor.shownIn", { zone: <strong>{z}</strong> })`. */
export function tx<K extends Key>(key: K, ...args: ArgsOf<Sources, K, JSX.Element>): JSX.Element {
  const leaf = leafFor(key);
  return leaf === undefined ? "" : (fill(leaf, isolated(args[0] as Record<string, string | number | JSX.Element> | undefined, directionOf(language())), locale()) as JSX.Element);
}

/**
 * Switches the words and formats to `tag`, once the catalogs in use are here in that language (so the page
 * changes at once, never half-translated); the choice is remembered in this browser.
 */
export async function setLocale(tag: string): Promise<void> {
  const lang = languageOf(tag);
  const inUse = (Object.keys(loaded[language()]) as Namespace[]).filter((ns) => loaded[language()][ns]);
  await Promise.all(inUse.map((ns) => need(ns, lang)));
  try {
    localStorage.setItem(STORAGE_KEY, tag);
  } catch {
    // Not remembered in this browser; the account keeps it when signed in.
  }
  setLocaleNow(supportedLanguage(tag) ? tag : lang);
}

/** The account's stored locale is the person's choice: it wins over the browser's languages once signed in. */
export async function adoptAccountLocale(tag: string): Promise<void> {
  if (tag !== locale() && supportedLanguage(tag)) await setLocale(tag);
}

/** A route component that loads with the catalogs it speaks from. */
export function lazyRoute<P extends Record<string, any> = {}>(load: () => Promise<{ default: Component<P> }>, ...namespaces: Namespace[]) {
  return lazy(() => Promise.all([load(), needAll(namespaces)]).then(([m]) => m));
}

/** Keeps `<html lang dir>` on the active language (screen readers, fonts and the mirrored layout follow). */
export function bindDocument(doc: Document = document): void {
  createRoot(() =>
    createEffect(() => {
      const lang = language();
      doc.documentElement.lang = supportedLanguage(locale()) ? locale() : lang;
      doc.documentElement.dir = directionOf(lang);
    }),
  );
}

/** Resolves when the first page can be shown in the visitor's language (its `core` catalog is here). */
export const ready = () => need("core");

export { LANGUAGES, isLanguage, type Language };
