import { describe, expect, it } from "vitest";
import { renderNotice } from "./messages";

/** What a student is told when a tutor's cancelled lesson gives back its credit, or, for a free trial, the trial. */
describe("renderNotice: what came back after a tutor cancelled", () => {
  const start = "2027-03-01T18:00:00.000Z";
  const at = "Mon, Mar 1, 6:00 PM (UTC)";

  it("blames a raised price, not timing, when the last tutor on offer was refused for it", () => {
    const n = renderNotice({ kind: "refunded", subject: "spanish", start, minutes: 60, cause: "price_changed" }, "UTC");
    expect(n.title).toBe(`Credits back: Spanish, ${at}`);
    expect(n.body).toBe(`The tutor you chose for the Spanish session of ${at} had raised their price since the offer, and nobody else was on it, so your 1 h of credit is back in your balance.`);
  });

  it("says the tutor chosen was no longer free then, not that nobody chose in time, when that refusal left nobody on offer", () => {
    const n = renderNotice({ kind: "refunded", subject: "spanish", start, minutes: 60, cause: "tutor_unavailable" }, "UTC");
    expect(n.title).toBe(`Credits back: Spanish, ${at}`);
    expect(n.body).toBe(`The tutor you chose for the Spanish session of ${at} was no longer free at that time, and nobody else was on it, so your 1 h of credit is back in your balance.`);
  });

  it.each([
    ["declined", `You chose your free trial back instead of a replacement tutor for the Spanish session of ${at}: you can book a trial lesson again this month.`],
    ["expired", `Nobody took the replacement offers for the Spanish session of ${at} in time, so your free trial is back: you can book a trial lesson again this month.`],
    ["price_changed", `The tutor you chose for the Spanish session of ${at} had raised their price since the offer, and nobody else was on it, so your free trial is back: you can book a trial lesson again this month.`],
    ["tutor_unavailable", `The tutor you chose for the Spanish session of ${at} was no longer free at that time, and nobody else was on it, so your free trial is back: you can book a trial lesson again this month.`],
  ] as const)("a free trial's offer closed (%s) gives back the trial, not credit", (cause, body) => {
    const n = renderNotice({ kind: "refunded", subject: "spanish", start, minutes: 23, cause, freeTrial: true }, "UTC");
    expect(n).toEqual({ title: `Free trial back: Spanish, ${at}`, body });
  });

  it("a free trial cancelled by its tutor with nobody free then gives back the trial, not credit", () => {
    const n = renderNotice({ kind: "tutor_cancelled_refunded", subject: "spanish", start, tutorName: "Mateo", minutes: 23, freeTrial: true }, "UTC");
    expect(n.body).toBe(`Mateo cancelled your Spanish session of ${at}. No other Spanish tutor is free then, so your free trial is back: you can book a trial lesson again this month.`);
  });

  it("a free trial cancelled by its tutor with tutors on offer says the replacement stays the free trial, and declining gives the trial back, not credits", () => {
    const n = renderNotice({ kind: "tutor_cancelled_offers", subject: "spanish", start, tutorName: "Mateo", offers: 2, freeTrial: true }, "UTC");
    expect(n.body).toBe(`Mateo cancelled your Spanish session of ${at}. We found 2 other Spanish tutors free at that exact time — pick one, still as your free trial, or take your free trial back.`);
    for (const locale of ["es-ES", "ar"]) {
      const trial = renderNotice({ kind: "tutor_cancelled_offers", subject: "spanish", start, tutorName: "Mateo", offers: 1, freeTrial: true }, "UTC", locale).body;
      const paid = renderNotice({ kind: "tutor_cancelled_offers", subject: "spanish", start, tutorName: "Mateo", offers: 1 }, "UTC", locale).body;
      expect(trial).not.toBe(paid);
    }
  });

  it.each([
    ["es-ES", /clase de prueba gratuita ha vuelto/, /subió su precio/, /ya no estaba libre a esa hora/],
    ["ar", /عاد درسك التجريبي المجاني/, /رفع المدرّس/, /لم يعد المدرّس الذي اخترته .* متاحًا في ذلك الوقت/],
  ])("says the same in %s", (locale, trialBack, priceRose, noLongerFree) => {
    const trial = renderNotice({ kind: "refunded", subject: "spanish", start, minutes: 23, cause: "price_changed", freeTrial: true }, "UTC", locale);
    expect(trial.body).toMatch(trialBack);
    expect(trial.body).toMatch(priceRose);
    const credits = renderNotice({ kind: "refunded", subject: "spanish", start, minutes: 60, cause: "price_changed" }, "UTC", locale);
    expect(credits.body).toMatch(priceRose);
    expect(credits.body).not.toMatch(trialBack);
    expect(renderNotice({ kind: "tutor_cancelled_refunded", subject: "spanish", start, tutorName: "Mateo", minutes: 23, freeTrial: true }, "UTC", locale).body).toMatch(trialBack);
    const busyTrial = renderNotice({ kind: "refunded", subject: "spanish", start, minutes: 23, cause: "tutor_unavailable", freeTrial: true }, "UTC", locale).body;
    expect(busyTrial).toMatch(noLongerFree);
    expect(busyTrial).toMatch(trialBack);
    const busyCredits = renderNotice({ kind: "refunded", subject: "spanish", start, minutes: 60, cause: "tutor_unavailable" }, "UTC", locale).body;
    expect(busyCredits).toMatch(noLongerFree);
    expect(busyCredits).not.toMatch(trialBack);
    expect(busyCredits).not.toBe(renderNotice({ kind: "refunded", subject: "spanish", start, minutes: 60, cause: "expired" }, "UTC", locale).body);
  });
});
