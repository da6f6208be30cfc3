import { describe, expect, it } from "vitest";
import { formatCredits, formatDuration, formatMoney } from "./amounts";
import { subjectLabel } from "./subject";
import { calendarDay, formatDateTime, formatLongDateTime, formatRelative, formatShortDate, formatTime, formatTimeRange, zoneNameFor, zoneTitle } from "./time";
import { interpolate } from "../i18n/translate";

describe("formatTime and formatDateTime", () => {
  it.each([
    ["en-US", "2:30 PM"],
    ["en-GB", "14:30"],
    ["de-DE", "14:30"],
  ])("follow the reader's locale for 12- or 24-hour clocks (%s → %s)", (locale, text) => {
    expect(formatTime("2027-03-01T14:30:00.000Z", "UTC", locale)).toBe(text);
  });

  it("writes the instant in the reader's zone", () => {
    expect(formatDateTime("2027-03-01T09:00:00.000Z", "Asia/Kathmandu", "en-US")).toBe("Mon, Mar 1, 2:45 PM");
    expect(formatDateTime("2027-03-01T09:00:00.000Z", "America/New_York", "en-GB")).toBe("Mon 1 Mar, 04:00");
  });

  it("joins the date and the time as the locale does: an Arabic comma in Arabic, not a Latin one", () => {
    for (const text of [formatDateTime("2027-03-01T09:00:00.000Z", "Asia/Dubai", "ar"), formatLongDateTime("2027-03-01T09:00:00.000Z", "Asia/Dubai", "ar")]) {
      expect(text).toContain("،");
      expect(text).not.toContain(",");
    }
    expect(formatLongDateTime("2027-03-01T09:00:00.000Z", "UTC", "es")).toBe("lunes, 1 de marzo de 2027, 9:00");
  });
});

describe("the weekday before a date", () => {
  // A Tuesday.
  const t = "2026-12-08T18:00:00.000Z";
  it("is written in full in Spanish, where dates follow an article ('el mar, 8 dic' reads as 'the sea')", () => {
    expect(formatDateTime(t, "Europe/Madrid", "es-ES")).toBe("martes, 8 dic, 19:00");
    expect(formatShortDate(t, "UTC", "es")).toBe("martes, 8 dic");
  });

  it("stays short in English, and Arabic's short weekday is its full name already", () => {
    expect(formatDateTime(t, "Europe/Madrid", "en-US")).toBe("Tue, Dec 8, 7:00 PM");
    expect(formatShortDate(t, "UTC", "ar")).toBe("الثلاثاء، 8 ديسمبر");
  });
});

describe("zoneNameFor", () => {
  const t = "2026-12-08T18:00:00.000Z";
  it.each([
    ["en-US", "America/Mexico_City", "America/Mexico City"],
    ["en-GB", "Asia/Kathmandu", "Asia/Kathmandu"],
    ["es-ES", "Europe/Madrid", "hora de Europa central"],
    ["es-MX", "America/Mexico_City", "hora estándar central"],
    ["ar", "Europe/Madrid", "توقيت وسط أوروبا"],
    ["es", "UTC", "UTC"],
  ])("names a zone for a reader of %s: %s → %s", (locale, zone, name) => {
    expect(zoneNameFor(zone, t, locale)).toBe(name);
  });
});

describe("formatTimeRange", () => {
  it.each([
    ["en-GB", "14:00–15:00"],
    ["en-US", "2:00 – 3:00 PM"],
  ])("writes a range on one day once (%s → %s)", (locale, text) => {
    expect(formatTimeRange("2027-03-01T14:00:00.000Z", "2027-03-01T15:00:00.000Z", "UTC", locale).replace(/\s/g, " ")).toBe(text);
  });

  it.each([
    ["en-GB", "23:00–00:00"],
    ["en-US", "11:00 PM – 12:00 AM"],
  ])("keeps a session that ends at or after midnight short (%s → %s), without two dates", (locale, text) => {
    expect(formatTimeRange("2027-03-01T22:00:00.000Z", "2027-03-01T23:00:00.000Z", "Europe/Paris", locale).replace(/\s/g, " ")).toBe(text);
  });
});

describe("formatRelative", () => {
  // 2027-03-01 is a Monday; 08:00 in Berlin is 07:00Z.
  const now = Date.parse("2027-03-01T07:00:00.000Z");
  it.each([
    ["2027-03-01T07:20:00.000Z", "in 20 minutes"],
    ["2027-03-01T19:00:00.000Z", "in 12 hours"],
    ["2027-03-02T21:00:00.000Z", "tomorrow"], // 38 h ahead: tomorrow evening, not "in 2 days"
    ["2027-03-02T00:30:00.000Z", "tomorrow"], // 01:30 Berlin the next day
    ["2027-03-03T07:00:00.000Z", "in 2 days"],
    ["2027-02-28T20:00:00.000Z", "yesterday"],
  ])("counts %s as %s for a reader in Berlin at 08:00", (t, text) => {
    expect(formatRelative(t, now, "Europe/Berlin", "en-US")).toBe(text);
  });

  it("counts calendar days in the reader's zone, not the server's", () => {
    // 23:30Z on Mar 1 is already Mar 2 in Tokyo (today there) but still Mar 1 in New York.
    const late = Date.parse("2027-03-01T23:30:00.000Z");
    expect(formatRelative("2027-03-02T14:00:00.000Z", late, "Asia/Tokyo", "en-US")).toBe("in 15 hours");
    expect(formatRelative("2027-03-02T14:00:00.000Z", late, "America/New_York", "en-US")).toBe("tomorrow");
    expect(calendarDay(late, "Asia/Tokyo")).toBe("2027-03-02");
  });
});

describe("amounts", () => {
  it.each([
    [45, "45 min"],
    [60, "1 h"],
    [90, "1 h 30 min"],
    [-30, "−30 min"],
  ])("formatDuration(%i) is %s", (m, text) => expect(formatDuration(m)).toBe(text));

  it("writes credit in one unit everywhere", () => expect(formatCredits(90)).toBe("1 h 30 min of credit"));

  it("writes money from integer cents", () => {
    expect(formatMoney(12000)).toBe("$120");
    expect(formatMoney(12050, "eur")).toBe("€120.50");
  });
});

describe("subjectLabel", () => {
  it.each([
    ["mathematics", "Mathematics"],
    ["sat prep", "SAT prep"],
    ["computer science", "Computer science"],
  ])("%s → %s", (s, label) => expect(subjectLabel(s)).toBe(label));
});

describe("a time at the end of a sentence", () => {
  it("ends it with one full stop when the locale's time already ends with one (es-MX \"a.m.\")", () => {
    const time = formatTime("2027-03-01T09:00:00.000Z", "UTC", "es-MX");
    expect(time.endsWith(".")).toBe(true);
    expect(interpolate("Tu sesión empieza a las {time}.", { time }, "es-MX")).toBe(`Tu sesión empieza a las ${time}`);
    expect(interpolate("Empieza a las {time}. Llega antes.", { time }, "es-MX")).toBe(`Empieza a las ${time} Llega antes.`);
    expect(interpolate("A las {time}.", { time: "14:00" }, "es-ES")).toBe("A las 14:00.");
    expect(interpolate("Cargando {what}...", { what: "a.m." }, "es-MX")).toBe("Cargando a.m....");
  });
});

describe("zoneTitle", () => {
  it("names a zone in the reader's language as Intl does, not by its English city", () => {
    const at = Date.parse("2027-01-15T12:00:00Z");
    expect(zoneTitle("America/Mexico_City", at, "es-MX")).toMatch(/^hora .*central/);
    expect(zoneTitle("America/Sao_Paulo", at, "es")).toMatch(/Brasilia/);
    expect(zoneTitle("America/Sao_Paulo", at, "es")).not.toMatch(/Sao Paulo|America/);
    expect(zoneTitle("Asia/Kathmandu", at, "es")).toBe("hora de Nepal");
    expect(zoneTitle("Africa/Cairo", at, "ar")).not.toMatch(/[A-Za-z]/);
    expect(zoneTitle("UTC", at, "es")).toBe("UTC");
  });
});
