import { describe, expect, it } from "vitest";
import { acceptLanguageTags, directionOf, languageOf, localeForLanguage, negotiateLocale } from "./locales";
import { formatCredits, formatDuration } from "../format/amounts";
import { bookingEvents } from "../ical/bookingFeed";
import { renderNotice, withOtherName } from "../notifications/messages";
import { serverText } from "./server";
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

describe("the server's words in the reader's language", () => {
  it("isolates a Latin name inside an Arabic sentence (email, calendar, inbox), and leaves Spanish as it is", () => {
    expect(serverText("ar")("email.hi", { name: "Olivia Bennett" })).toContain("\u2068Olivia Bennett\u2069");
    expect(serverText("es")("email.hi", { name: "Olivia Bennett" })).toBe("Hola, Olivia Bennett:");
  });

  const start = "2027-03-01T17:00:00.000Z";
  it("writes a notice in Spanish with a 24-hour clock, the subject's Spanish name and credit in Spanish", () => {
    const n = renderNotice({ kind: "tutor_cancelled_refunded", subject: "mathematics", start, tutorName: "Mateo", minutes: 90 }, "Europe/Madrid", "es-ES");
    expect(n.title).toBe("Mateo canceló tu sesión de Matemáticas, lunes, 1 mar, 18:00 (hora de Europa central)");
    expect(n.body).toContain("tus 1 h 30 min de crédito han vuelto a tu saldo");
  });

  it("fills a missing name with a stand-in in the reader's language", () => {
    const n = renderNotice(withOtherName({ kind: "booked", subject: "physics", start, withName: "" }, undefined, "ar"), "Asia/Riyadh", "ar");
    expect(n.title).toBe("جلسة الفيزياء جديدة مع طالبك");
  });

  it("gives a calendar feed's events in Arabic for an Arabic-speaking student", () => {
    const [event] = bookingEvents(
      [{ id: "b1", tutorId: "t1", tutorName: "Olivia", kind: "group", status: "cancelled", subject: "physics", startAt: start, endAt: "2027-03-01T18:00:00.000Z", seats: 4, sequence: 2, updatedAt: start, cancelledAt: start, participants: [{ id: "s1", name: "Omar", cancelled: false }] }],
      { id: "s1", role: "student", locale: "ar" },
      { origin: "https://tutorly.example", window: { from: 0, to: Date.parse("2028-01-01"), cancelledSince: 0 } },
    );
    expect(event!.summary).toBe("أُلغيت: مجموعة الفيزياء مع \u2068Olivia\u2069");
    expect(event!.description).toBe("المدرّس: \u2068Olivia\u2069\nأُلغيت هذه الجلسة.");
  });

  it("writes durations and credit in the reader's words", () => {
    expect([formatCredits(90, "es"), formatCredits(60, "ar"), formatDuration(45, "en-GB")]).toEqual(["1 h 30 min de crédito", "1 س من الرصيد", "45 min"]);
  });
});
