import { describe, expect, it } from "vitest";
import { renderAccountEmail } from "../accounts/emails";
import { NoticeTemplateSchema, formatInZone, renderNotice } from "./messages";

describe("formatInZone", () => {
  it.each([
    ["Asia/Kathmandu", "Mon, Mar 1, 2:45 PM (Asia/Kathmandu)"],
    ["America/New_York", "Mon, Mar 1, 4:00 AM (America/New York)"],
    ["Australia/Sydney", "Mon, Mar 1, 8:00 PM (Australia/Sydney)"],
  ])("writes 2027-03-01T09:00Z in %s as %s", (zone, text) => {
    expect(formatInZone("2027-03-01T09:00:00.000Z", zone)).toBe(text);
  });

  it("uses the reader's clock: 24-hour for a British locale", () => {
    expect(formatInZone("2027-03-01T09:00:00.000Z", "Asia/Kathmandu", "en-GB")).toBe("Mon 1 Mar, 14:45 (Asia/Kathmandu)");
  });

  it("follows DST: the same UTC hour reads differently before and after Berlin's change", () => {
    expect(formatInZone("2027-03-27T09:00:00.000Z", "Europe/Berlin")).toContain("10:00 AM");
    expect(formatInZone("2027-03-28T09:00:00.000Z", "Europe/Berlin")).toContain("11:00 AM");
  });
});

describe("renderNotice", () => {
  const start = "2027-03-01T18:00:00.000Z";

  it("writes a reminder in the recipient's own zone, the subject as the app shows it", () => {
    const n = renderNotice({ kind: "reminder", subject: "physics", start, withName: "Jonas", lead: "1h" }, "Asia/Tokyo");
    expect(n.title).toBe("In one hour: Physics with Jonas");
    expect(n.body).toContain("Tue, Mar 2, 3:00 AM (Asia/Tokyo)");
  });

  it("names who cancelled, when the session was and the reason they gave", () => {
    const n = renderNotice({ kind: "cancelled", subject: "sat prep", start, byName: "Maya Lopez", byRole: "student", reason: "exam moved", refunded: false }, "UTC");
    expect(n.title).toBe("Maya Lopez cancelled SAT prep, Mon, Mar 1, 6:00 PM (UTC)");
    expect(n.body).toBe("Maya Lopez cancelled your SAT prep session of Mon, Mar 1, 6:00 PM (UTC). Reason given: “exam moved”.");
  });

  it("says Tutorly support, not a person, when an admin cancelled", () => {
    const n = renderNotice({ kind: "cancelled", subject: "physics", start, byName: "Ada Admin", byRole: "admin", reason: "tutor unwell", refunded: true }, "UTC");
    expect(n.body).toBe("Tutorly support cancelled your Physics session of Mon, Mar 1, 6:00 PM (UTC). Reason given: “tutor unwell”. The credits are back in your balance.");
  });

  it("tells a student whose tutor cancelled who it was, why, and how many replacements there are", () => {
    const n = renderNotice({ kind: "tutor_cancelled_offers", subject: "spanish", start, tutorName: "Mateo", offers: 1, reason: "sick" }, "UTC");
    expect(n.body).toContain("Mateo cancelled your Spanish session of Mon, Mar 1, 6:00 PM (UTC). Reason given: “sick”.");
    expect(n.body).toContain("We found 1 other Spanish tutor free at that exact time");
  });

  it("names the tutor who cancelled also when the credits went straight back", () => {
    const n = renderNotice({ kind: "tutor_cancelled_refunded", subject: "spanish", start, tutorName: "Mateo", minutes: 60 }, "UTC");
    expect(n.title).toBe("Mateo cancelled your Spanish session, Mon, Mar 1, 6:00 PM (UTC)");
    expect(n.body).toContain("your 1 h of credit is back in your balance");
  });

  it("speaks to a student about their own choice in the second person", () => {
    const n = renderNotice({ kind: "refunded", subject: "spanish", start, minutes: 90, cause: "declined" }, "UTC");
    expect(n.body).toBe("You chose your credits back instead of a replacement tutor: 1 h 30 min of credit for the Spanish session of Mon, Mar 1, 6:00 PM (UTC) is in your balance again.");
  });

  it("does not say a tutor who never came cancelled", () => {
    const n = renderNotice({ kind: "tutor_no_show", subject: "physics", start, tutorName: "Olivia" }, "UTC");
    expect(n.title).toBe("Olivia didn't come to Physics, Mon, Mar 1, 6:00 PM (UTC)");
    expect(n.body).not.toContain("cancelled your");
  });

  it("tells a student how long a lesson that ended early lasted and what came back", () => {
    const n = renderNotice({ kind: "ended_early", subject: "physics", start, taughtMinutes: 25, refundedMinutes: 35 }, "UTC");
    expect(n.title).toBe("Physics ended early, Mon, Mar 1, 6:00 PM (UTC)");
    expect(n.body).toBe("Your Physics session of Mon, Mar 1, 6:00 PM (UTC) ended after 25 min. 35 min of credit for the time not taught is back in your balance.");
  });

  it.each([
    ["en-US", "within its first minute"],
    ["es-ES", "en su primer minuto"],
    ["ar", "خلال دقيقتها الأولى"],
  ])("says a lesson ended in its first minute ended within it, not 'after 0 min' (%s)", (locale, words) => {
    const n = renderNotice({ kind: "ended_early", subject: "physics", start, taughtMinutes: 0, refundedMinutes: 60 }, "UTC", locale);
    expect(n.body).toContain(words);
    // No zero duration in any digits ("0 min", "0 minutos", "٠ د").
    expect(n.body).not.toMatch(/(^|[^\d٠-٩])[0٠]\s/u);
  });

  it("tells a student whose lesson ended in its first minute that all of its credit came back", () => {
    const n = renderNotice({ kind: "ended_early", subject: "physics", start, taughtMinutes: 0, refundedMinutes: 60 }, "UTC");
    expect(n.body).toBe("Your Physics session of Mon, Mar 1, 6:00 PM (UTC) ended within its first minute, so nothing was taught: all it cost (1 h of credit) is back in your balance.");
  });

  it("tells a tutor which outside booking collides with which session, in their zone", () => {
    const n = renderNotice({ kind: "calendar_conflict", subject: "mathematics", start: "2027-03-01T09:00:00.000Z", title: "Sales demo", source: "Calendly" }, "Europe/Berlin", "en-GB");
    expect(n.title).toBe("Calendar conflict: Mathematics, Mon 1 Mar, 10:00 (Europe/Berlin)");
    expect(n.body).toBe('"Sales demo" from Calendly overlaps your Mathematics session of Mon 1 Mar, 10:00 (Europe/Berlin). Both are kept: move or cancel one of them.');
  });
});

describe("notices and account emails in Spanish and Arabic", () => {
  // A Tuesday: 19:00 in Madrid, 12:00 in Mexico City.
  const start = "2026-12-08T18:00:00.000Z";
  const later = "2026-12-09T18:00:00.000Z";
  /** A short weekday after an article: "el mar, 8 dic" reads as "the sea, 8 Dec". */
  const shortWeekdayAfterArticle = /\b(el|del|al) (lun|mar|mié|jue|vie|sáb|dom)(?!\p{L})/u;
  const englishZoneId = /America\/|Mexico City|Europe\/|Asia\//;
  const words = (n: { title: string; body: string }) => `${n.title}\n${n.body}`;

  it("writes a Spanish notice's date after its article with the weekday in full, and the zone by its Spanish name", () => {
    const n = renderNotice({ kind: "cancelled", subject: "spanish", start, byName: "Mateo García", byRole: "tutor", refunded: true }, "Europe/Madrid", "es-ES");
    expect(n.body).toBe("Mateo García canceló tu sesión de Español del martes, 8 dic, 19:00 (hora de Europa central). Los créditos han vuelto a tu saldo.");
  });

  it.each([
    { kind: "cancelled", subject: "spanish", start, byName: "Mateo", byRole: "tutor", refunded: true },
    { kind: "rescheduled", subject: "spanish", start: later, previousStart: start, byName: "Mateo" },
    { kind: "waitlist_seat", subject: "spanish", start: later, tutorName: "Mateo", until: start, minutes: 60 },
    { kind: "series_payment_due", subject: "spanish", start: later, minutes: 60, releaseAt: start },
    { kind: "series_week_skipped", subject: "spanish", start, alternatives: [later] },
    { kind: "reminder", subject: "spanish", start, withName: "Mateo", lead: "24h" },
  ] as const)("no Spanish $kind notice puts a short weekday after an article or names the zone in English", (template) => {
    const n = renderNotice(NoticeTemplateSchema.parse(template), "America/Mexico_City", "es-MX");
    expect(words(n)).not.toMatch(shortWeekdayAfterArticle);
    expect(words(n)).not.toMatch(englishZoneId);
    expect(words(n)).toContain("(hora estándar central)");
  });

  it("names the zone of a Spanish account email in Spanish, the weekday after 'el' in full", () => {
    const { subject, text } = renderAccountEmail({ kind: "verify_email", link: "https://tutorly.example/verify", expiresAt: start }, { name: "Lucía", timezone: "America/Mexico_City", locale: "es-MX" });
    expect(subject + text).not.toMatch(englishZoneId);
    expect(text).not.toMatch(shortWeekdayAfterArticle);
    expect(text).toMatch(/hasta el martes,? 8 de dic\S*, 12:00 p\.\s?m\. \(hora estándar central\)/);
  });

  it("names the zone of an Arabic notice and account email in Arabic", () => {
    const n = renderNotice({ kind: "cancelled", subject: "spanish", start, byName: "Mateo", byRole: "tutor", refunded: true }, "Europe/Madrid", "ar");
    const email = renderAccountEmail({ kind: "password_changed", at: start, resetLink: "https://tutorly.example/reset" }, { name: "Omar", timezone: "Asia/Riyadh", locale: "ar" });
    expect(words(n)).toContain("توقيت وسط أوروبا");
    expect(email.text).toContain("التوقيت العربي الرسمي");
    expect(words(n) + email.text).not.toMatch(englishZoneId);
  });

  it("keeps English as it was: the short weekday and the zone's id", () => {
    expect(formatInZone(start, "America/Mexico_City", "en-US")).toBe("Tue, Dec 8, 12:00 PM (America/Mexico City)");
  });
});
