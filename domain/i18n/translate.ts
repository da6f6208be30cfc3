/**
 * A small typed layer over the platform's `Intl` for message catalogs. A catalog is plain data: nested objects
 * whose leaves are strings with `{name}` holes, or plural forms keyed by `Intl.PluralRules` categories
 * (`{ one: "{count} seat", other: "{count} seats" }`; Arabic adds zero, two, few and many). The source catalog
 * (English) is written `as const`, so keys and holes are types: a missing key or a missing value for a hole is a
 * type error, and every translation is typed `Translation<typeof source>` (same keys, any words).
 * Numbers put into holes are written by `Intl.NumberFormat` for the locale (Arabic digits in `ar`).
 */

export type PluralCategory = "zero" | "one" | "two" | "few" | "many" | "other";
/** Plural forms: `other` is required; `zero` is used for exactly 0 in every language (so English can say "No seats"). */
export type PluralForms = { readonly [C in Exclude<PluralCategory, "other">]?: string } & { readonly other: string };
export type Leaf = string | PluralForms;
/** A catalog; the key `other` is reserved for plural forms. */
export type Tree = { readonly [key: string]: Leaf | Tree };

/** What a translation of `T` must hold: exactly T's keys, each a string or plural forms like T's. */
export type Translation<T> = {
  readonly [K in keyof T]: T[K] extends string ? string : T[K] extends { readonly other: string } ? PluralForms : Translation<T[K]>;
};

/** Every dotted key of a catalog that names a message: "nav.findTutor". */
export type KeyOf<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends Leaf ? `${P}${K}` : KeyOf<T[K], `${P}${K}.`>;
}[keyof T & string];

type At<T, K extends string> = K extends `${infer H}.${infer R}` ? (H extends keyof T ? At<T[H], R> : never) : K extends keyof T ? T[K] : never;
type Holes<S> = S extends `${string}{${infer P}}${infer R}` ? P | Holes<R> : never;
type HolesOf<L> = L extends string ? Holes<L> : L extends PluralForms ? Holes<L[keyof L]> | "count" : never;

/** The values a message needs: one per hole; plural messages take `count`. */
export type ParamsOf<T, K extends string, V = never> = { [P in HolesOf<At<T, K>>]: P extends "count" ? number : string | number | V };
/** The arguments after the key: none when the message has no holes. */
export type ArgsOf<T, K extends string, V = never> = [HolesOf<At<T, K>>] extends [never] ? [] : [params: ParamsOf<T, K, V>];

export type Translate<T> = <K extends KeyOf<T>>(key: K, ...args: ArgsOf<T, K>) => string;

const plurals = new Map<string, Intl.PluralRules>();
const numbers = new Map<string, Intl.NumberFormat>();
const cached = <F>(map: Map<string, F>, locale: string, make: () => F) => {
  let f = map.get(locale);
  if (!f) map.set(locale, (f = make()));
  return f;
};

/** `count` written in the locale's digits ("١٢" in Arabic). */
export const formatNumber = (n: number, locale: string) => cached(numbers, locale, () => new Intl.NumberFormat(locale)).format(n);

/** The plural form of `forms` for `count` in `locale`. */
export function selectPlural(forms: PluralForms, count: number, locale: string): string {
  if (count === 0 && forms.zero !== undefined) return forms.zero;
  const category = cached(plurals, locale, () => new Intl.PluralRules(locale)).select(count) as PluralCategory;
  return forms[category] ?? forms.other;
}

/** The leaf at a dotted key, or undefined. */
export function lookup(tree: Tree | undefined, key: string): Leaf | undefined {
  let node: Leaf | Tree | undefined = tree;
  for (const part of key.split(".")) {
    if (node === undefined || typeof node === "string" || isPlural(node)) return undefined;
    node = (node as Tree)[part];
  }
  return node === undefined || typeof node === "string" || isPlural(node) ? (node as Leaf | undefined) : undefined;
}

export const isPlural = (node: Leaf | Tree): node is PluralForms => typeof node === "object" && typeof node.other === "string";

/**
 * A message's pieces with its holes filled: text stays text, numbers are written for the locale, any other value
 * (a DOM node, an element) is put in as it is. `interpolate` joins them into a string.
 */
export function fill<V>(leaf: Leaf, params: Record<string, string | number | V> | undefined, locale: string): (string | V)[] {
  const count = params?.count;
  const template = typeof leaf === "string" ? leaf : selectPlural(leaf, typeof count === "number" ? count : 0, locale);
  const out: (string | V)[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    const value = params?.[m[1]!];
    if (value === undefined) continue;
    if (m.index > last) out.push(afterValue(out, template.slice(last, m.index)));
    out.push(typeof value === "number" ? formatNumber(value, locale) : value);
    last = m.index + m[0].length;
  }
  if (last < template.length) out.push(afterValue(out, template.slice(last)));
  return out;
}

/**
 * The text that follows a filled hole. A value that ends with an abbreviation's full stop (es-MX writes "9:00 a.m.")
 * already ends the sentence: the message's own "." is not written again ("a las 9:00 a.m.", never "a.m..").
 */
function afterValue<V>(out: (string | V)[], text: string): string {
  const value = out.at(-1);
  return typeof value === "string" && value.endsWith(".") && text.startsWith(".") && !text.startsWith("..") ? text.slice(1) : text;
}

export const interpolate = (leaf: Leaf, params: Record<string, string | number> | undefined, locale: string) => fill(leaf, params, locale).join("");

/**
 * A `t(key, params)` for one catalog and locale, falling back to `fallback` (the source catalog) for a key the
 * catalog lacks — which the completeness test and the types already rule out — and to the key itself.
 */
export function translator<T extends Tree>(catalog: Translation<T>, locale: string, fallback?: T, direction: "ltr" | "rtl" = "ltr"): Translate<T> {
  return ((key: string, params?: Record<string, string | number>) => {
    const leaf = lookup(catalog as Tree, key) ?? lookup(fallback, key);
    return leaf === undefined ? key : interpolate(leaf, isolated(params, direction), locale);
  }) as Translate<T>;
}

/** Every key of a catalog with its kind and holes, for the completeness test: "a.b" → { plural: false, holes: ["name"] }. */
export function shapeOf(tree: Tree, prefix = ""): Map<string, { plural: boolean; holes: string[] }> {
  const out = new Map<string, { plural: boolean; holes: string[] }>();
  for (const [k, v] of Object.entries(tree)) {
    const key = `${prefix}${k}`;
    if (typeof v === "string" || isPlural(v)) {
      const texts = typeof v === "string" ? [v] : Object.values(v).filter((s): s is string => typeof s === "string");
      const holes = new Set(texts.flatMap((s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)));
      out.set(key, { plural: typeof v !== "string", holes: [...holes].sort() });
    } else for (const [k2, h] of shapeOf(v, `${key}.`)) out.set(k2, h);
  }
  return out;
}

/**
 * Text put into a right-to-left sentence keeps its own direction: each string value is wrapped in Unicode's
 * first-strong isolate (U+2068 … U+2069, the text form of `<bdi>`), so a Latin name, email or subject inside an
 * Arabic sentence neither takes the sentence's punctuation nor reorders the words around it. Numbers (written
 * by Intl in the locale's digits), elements and text already in a right-to-left script (a translated subject, a
 * sentence put into another) pass as they are, so isolates never nest. Left-to-right languages get the values
 * unchanged.
 */
const RTL_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
export function isolated<V>(params: Record<string, string | number | V> | undefined, direction: "ltr" | "rtl"): Record<string, string | number | V> | undefined {
  if (!params || direction === "ltr") return params;
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === "string" && v !== "" && !RTL_LETTER.test(v) ? `\u2068${v}\u2069` : v]));
}
