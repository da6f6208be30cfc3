import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { LANGUAGES, SOURCE_LANGUAGE } from "../../domain/i18n/locales";
import { WORDS } from "../../domain/format/words";
import { DEMO_TUTORS } from "../../worker/dev/demoData";
import { SERVER_CATALOGS } from "../../domain/i18n/server";
import { type Tree, isPlural, shapeOf } from "../../domain/i18n/translate";

/**
 * Every catalog has exactly the source catalog's keys (English), each with the same holes, and plural messages
 * with every plural form its language has (Arabic: zero, one, two, few, many, other). The SPA's catalogs live in
 * web/src/i18n/catalogs/<language>/<namespace>.ts, the server's (emails, notices, calendar texts) in
 * domain/i18n/server/<language>.ts.
 */
const root = resolve(import.meta.dirname, "../..");
const spaDir = join(root, "web/src/i18n/catalogs");
const namespaces = (lang: string) => readdirSync(join(spaDir, lang)).map((f) => f.replace(/\.ts$/, "")).sort();
const load = async (path: string): Promise<Tree> => (await import(path)).default;

type Shape = Map<string, { plural: boolean; holes: string[] }>;

/** What is wrong with a translation's shape against the source's, as readable lines (empty when nothing is). */
function differences(source: Shape, translation: Shape): string[] {
  const out: string[] = [];
  for (const [key, s] of source) {
    const t = translation.get(key);
    if (!t) out.push(`missing ${key}`);
    else if (s.plural !== t.plural) out.push(`${key} is ${s.plural ? "plural" : "not plural"} in the source`);
    else if (s.plural ? t.holes.some((h) => h !== "count" && !s.holes.includes(h)) : t.holes.join() !== s.holes.join())
      out.push(`${key} has holes {${t.holes.join("}, {")}} where the source has {${s.holes.join("}, {")}}`);
  }
  for (const key of translation.keys()) if (!source.has(key)) out.push(`extra ${key} (not in the source)`);
  return out;
}

/** The plural forms a language uses for the counts we show (whole numbers up to 10,000; Spanish "many" is for millions). */
const formsOf = (lang: string) => {
  const rules = new Intl.PluralRules(lang);
  return [...new Set(Array.from({ length: 10_001 }, (_, n) => rules.select(n)))];
};

/** Plural messages that lack one of their language's plural forms. */
function missingPluralForms(tree: Tree, lang: string, prefix = ""): string[] {
  const categories = formsOf(lang);
  return Object.entries(tree).flatMap(([k, v]) => {
    if (typeof v === "string") return [];
    if (isPlural(v)) return categories.filter((c) => !(c in v)).map((c) => `${prefix}${k} has no "${c}" form`);
    return missingPluralForms(v, lang, `${prefix}${k}.`);
  });
}

const targets = LANGUAGES.filter((l) => l !== SOURCE_LANGUAGE);

describe("the SPA's catalogs", () => {
  it.each(targets)("%s has a catalog for every namespace the source has, and no other", (lang) => {
    expect(namespaces(lang)).toEqual(namespaces(SOURCE_LANGUAGE));
  });

  const cases = targets.flatMap((lang) => namespaces(SOURCE_LANGUAGE).map((ns) => [lang, ns] as const));
  it.each(cases)("%s/%s has exactly the source's keys, with its holes and its language's plural forms", async (lang, ns) => {
    const source = await load(join(spaDir, SOURCE_LANGUAGE, `${ns}.ts`));
    const translation = await load(join(spaDir, lang, `${ns}.ts`));
    expect(differences(shapeOf(source), shapeOf(translation))).toEqual([]);
    expect(missingPluralForms(translation, lang)).toEqual([]);
  });

  it.each(namespaces(SOURCE_LANGUAGE))("en/%s gives plural messages their English forms", async (ns) => {
    expect(missingPluralForms(await load(join(spaDir, SOURCE_LANGUAGE, `${ns}.ts`)), SOURCE_LANGUAGE)).toEqual([]);
  });
});

describe("the server's catalogs (notices, emails, calendar texts)", () => {
  it.each(targets)("%s has exactly the source's keys, with its holes and its language's plural forms", (lang) => {
    expect(differences(shapeOf(SERVER_CATALOGS[SOURCE_LANGUAGE]), shapeOf(SERVER_CATALOGS[lang]))).toEqual([]);
    expect(missingPluralForms(SERVER_CATALOGS[lang], lang)).toEqual([]);
  });
  it("en gives plural messages their English forms", () => expect(missingPluralForms(SERVER_CATALOGS.en, "en")).toEqual([]));
});

describe("the formatters' words", () => {
  it.each(targets)("%s names the same subjects as every other language", (lang) => {
    expect(Object.keys(WORDS[lang].subjects).sort()).toEqual(Object.keys(WORDS.es.subjects).sort());
  });
  it.each(targets)("%s names every subject the demo tutors teach (what a visitor sees first)", (lang) => {
    const taught = [...new Set(DEMO_TUTORS.flatMap((t) => t.subjects))];
    expect(taught.filter((s) => !WORDS[lang].subjects[s])).toEqual([]);
  });
});

describe("the check itself", () => {
  const source = shapeOf({ a: "Hi {name}", b: { one: "{count} seat", other: "{count} seats" }, c: { d: "x" } });
  it("names a missing key, an extra key, a changed hole and a lost plural", () => {
    expect(differences(source, shapeOf({ a: "Hola {nombre}", b: "asientos", e: "?" }))).toEqual([
      "a has holes {nombre} where the source has {name}",
      "b is plural in the source",
      "missing c.d",
      "extra e (not in the source)",
    ]);
  });
  it("accepts plural forms that leave the number out (Arabic says 'two seats' in one word)", () => {
    expect(differences(source, shapeOf({ a: "مرحبًا {name}", b: { two: "مقعدان", other: "{count} مقعد" }, c: { d: "س" } }))).toEqual([]);
  });
  it("asks Arabic plurals for all six forms", () => {
    expect(missingPluralForms({ b: { one: "مقعد", other: "{count} مقعد" } }, "ar")).toEqual(['b has no "zero" form', 'b has no "two" form', 'b has no "few" form', 'b has no "many" form']);
  });
});
