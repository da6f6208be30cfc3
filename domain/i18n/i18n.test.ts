import { describe, expect, it } from "vitest";
import { acceptLanguageTags, directionOf, languageOf, localeForLanguage, negotiateLocale } from "./locales";
import { fill, translator } from "./translate";

describe("negotiateLocale", () => {
  it.each([
    [["fr-FR", "es-MX", "en"], "es-MX"],
    [["ar-EG"], "ar-EG"],
    [["de", "ja"], "en"],
    [[], "en"],
    [["EN-gb"], "en-GB"],
  ])("picks the first shipped language of %j → %s", (tags, locale) => expect(negotiateLocale(tags)).toBe(locale));

  it("reads Accept-Language by quality", () => {
    expect(acceptLanguageTags("fr;q=0.9, ar;q=0.95, *;q=0.1, de;q=0")).toEqual(["ar", "fr"]);
    expect(negotiateLocale(acceptLanguageTags("fr-CA,fr;q=0.9,es;q=0.8"))).toBe("es");
  });

  it("keeps a person's region when the language stays, and takes their own region when it changes", () => {
    expect(localeForLanguage("en", "en-GB")).toBe("en-GB");
    expect(localeForLanguage("es", "en-GB", ["en-GB", "es-AR"])).toBe("es-AR");
    expect(localeForLanguage("ar", "es-AR", ["es-AR"])).toBe("ar");
  });

  it("knows which languages run right to left", () => {
    expect(directionOf(languageOf("ar-SA"))).toBe("rtl");
    expect(directionOf(languageOf("es"))).toBe("ltr");
  });
});

describe("translator", () => {
  const en = { seats: { zero: "No seats left", one: "{count} seat left", other: "{count} seats left" }, hi: "Hi {name}", nested: { deep: "deep" } } as const;
  const ar = { seats: { zero: "لا مقاعد", one: "مقعد واحد", two: "مقعدان", few: "{count} مقاعد", many: "{count} مقعدًا", other: "{count} مقعد" }, hi: "مرحبًا {name}", nested: { deep: "عميق" } };

  it("fills holes and picks English plural forms, with zero said in words", () => {
    const t = translator(en, "en-US", en);
    expect([t("seats", { count: 0 }), t("seats", { count: 1 }), t("seats", { count: 1200 }), t("hi", { name: "Maya" }), t("nested.deep")]).toEqual([
      "No seats left",
      "1 seat left",
      "1,200 seats left",
      "Hi Maya",
      "deep",
    ]);
  });

  it("picks each of Arabic's six plural forms", () => {
    const t = translator<typeof en>(ar, "ar", en);
    expect([0, 1, 2, 3, 11, 100].map((count) => t("seats", { count }))).toEqual(["لا مقاعد", "مقعد واحد", "مقعدان", "3 مقاعد", "11 مقعدًا", "100 مقعد"]);
  });

  it("writes numbers for the locale", () => {
    expect(translator(en, "es-ES", en)("seats", { count: 12000 })).toBe("12.000 seats left");
  });

  it("puts elements into holes as they are", () => {
    const strong = { tag: "strong" };
    expect(fill("Shown in {zone} now", { zone: strong }, "en")).toEqual(["Shown in ", strong, " now"]);
  });
});
