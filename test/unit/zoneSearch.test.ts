import { afterAll, describe, expect, it } from "vitest";
import { setLocaleNow } from "../../web/src/i18n/state";
import { zoneChoiceLabel } from "../../web/src/lib/time";
import { zonesMatching } from "../../web/src/lib/zones";

// Winter in the north: each zone's offset and name are fixed for the test.
const JAN = Date.UTC(2027, 0, 15);
const ZONES = ["America/Chicago", "America/Los_Angeles", "America/Tijuana", "Asia/Tokyo", "Europe/Madrid", "Pacific/Auckland"];

/** The zones as the picker lists them for a reader of `locale`. */
function listed(locale: string) {
  setLocaleNow(locale);
  return ZONES.map((zone) => ({ zone, label: zoneChoiceLabel(zone, JAN) }));
}
const found = (typed: string, choices: { zone: string; label: string }[]) => zonesMatching(typed, choices).map((c) => c.zone);

afterAll(() => setLocaleNow("en-US"));

describe("a time zone found by what the reader types, in their language", () => {
  it("in Spanish, the zone's name (with or without its accents) finds it, as its city does", () => {
    const es = listed("es-ES");
    expect(es.find((c) => c.zone === "America/Los_Angeles")!.label).toBe("Los Angeles — hora del Pacífico (GMT-08:00)");
    expect(found("Pacífico", es)).toEqual(["America/Los_Angeles", "America/Tijuana"]);
    expect(found("pacifico", es)).toEqual(["America/Los_Angeles", "America/Tijuana"]);
    expect(found("  Los ángeles ", es)).toEqual(["America/Los_Angeles"]);
    expect(found("europa central", es)).toEqual(["Europe/Madrid"]);
    expect(found("Nueva Zelanda", es)).toEqual(["Pacific/Auckland"]);
    expect(found("", es)).toEqual(ZONES);
    expect(found("Ninguna parte", es)).toEqual([]);
  });

  it("in Arabic, the zone's Arabic name comes first (the Latin city after it tells its zones apart) and finds it, however its hamza or final ya is typed", () => {
    const ar = listed("ar");
    const la = ar.find((c) => c.zone === "America/Los_Angeles")!.label;
    expect(la).toMatch(/^توقيت المحيط الهادي — Los Angeles \(غرينتش-(08:00|٠٨:٠٠)\)$/);
    expect(found("المحيط الهادي", ar)).toEqual(["America/Los_Angeles", "America/Tijuana"]);
    expect(found("الهادى", ar)).toEqual(["America/Los_Angeles", "America/Tijuana"]);
    expect(found("وسط اوروبا", ar)).toEqual(["Europe/Madrid"]);
    expect(found("tijuana", ar)).toEqual(["America/Tijuana"]);
  });
});
