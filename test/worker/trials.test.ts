import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { POLICY } from "../../domain/credits/policy";
import { accountOf } from "../../worker/lib/stubs";
import { Client, approvedTutor, balance, drained, fundedStudent as funded, slotAhead } from "./helpers";

/** A subscriber (Starter) with `minutes` of paid credit: their trials are paid (the free plan's is in freeTrial.test.ts). */
async function fundedStudent(minutes: number) {
  const s = await funded(minutes);
  await accountOf(env, s.user.id).setPlan({ studentId: s.user.id, planId: "starter", version: Date.now() });
  return s;
}

const HOUR = 3_600_000;

const bookTrial = (client: Client, tutorId: string, start: string, extra: Record<string, unknown> = {}, key?: string) =>
  client.post("/api/bookings", { tutorId, start, durationMinutes: POLICY.trialMinutes, subject: "mathematics", trial: true, ...extra }, key ? { "Idempotency-Key": key } : {});

describe("trial lessons: POST /api/bookings with trial", () => {
  it("books 30 minutes at half the price of the same 1:1 time, marked as a trial, the tutor's earning from what was spent", async () => {
    // $45/h: 30 minutes 1:1 cost 45 credit-minutes, a trial half of that rounded up: 23.
    const tutor = await approvedTutor({ hourlyRateCents: 4500, offersTrials: true });
    const student = await fundedStudent(600);
    const start = slotAhead(3 * 24 * 60);
    const res = await bookTrial(student.client, tutor.user.id, start);
    expect(res.status).toBe(201);
    expect(res.json.booking).toMatchObject({ trial: true, start, end: new Date(Date.parse(start) + 30 * 60_000).toISOString(), creditsMinutes: 23, price: { creditMinutes: 23 } });
    expect(await balance(student.client)).toBe(577);

    await drained(tutor.user.id);
    // Paid credit at 50 ¢ a minute: 23 × 50 = 1,150 ¢ spent, 80 % to the tutor.
    const mine = (await tutor.client.get("/api/bookings")).json.bookings.find((b: { id: string }) => b.id === res.json.booking.id);
    expect(mine).toMatchObject({ trial: true, tutorEarningCents: 920 });
    const theirs = (await student.client.get(`/api/bookings/${res.json.booking.id}`)).json.booking;
    expect(theirs.trial).toBe(true);
  });

  it("is once per student and tutor: a second trial is refused, a regular lesson is not; a student who has had a lesson gets no trial", async () => {
    const tutor = await approvedTutor({ offersTrials: true });
    const student = await fundedStudent(600);
    expect((await bookTrial(student.client, tutor.user.id, slotAhead(2 * 24 * 60))).status).toBe(201);
    const again = await bookTrial(student.client, tutor.user.id, slotAhead(3 * 24 * 60));
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("trial_used");
    const regular = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(4 * 24 * 60), durationMinutes: 60, subject: "mathematics" });
    expect(regular.status).toBe(201);
    expect(regular.json.booking.trial).toBeUndefined();

    const regularFirst = await fundedStudent(600);
    expect((await regularFirst.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(5 * 24 * 60), durationMinutes: 60, subject: "mathematics" })).status).toBe(201);
    expect((await bookTrial(regularFirst.client, tutor.user.id, slotAhead(6 * 24 * 60))).json.error.code).toBe("trial_used");
    // The trial is about this tutor: another tutor's trial is still there.
    const other = await approvedTutor({ offersTrials: true });
    expect((await bookTrial(regularFirst.client, other.user.id, slotAhead(6 * 24 * 60))).status).toBe(201);
    expect(await balance(student.client)).toBe(600 - 15 - 60);
  });

  it("comes back when the trial is cancelled (refunded), so a student can book it at another time", async () => {
    const tutor = await approvedTutor({ offersTrials: true });
    const student = await fundedStudent(600);
    const first = await bookTrial(student.client, tutor.user.id, slotAhead(3 * 24 * 60));
    expect((await student.client.post(`/api/bookings/${first.json.booking.id}/cancel`, {})).status).toBe(200);
    expect(await balance(student.client)).toBe(600);
    expect((await bookTrial(student.client, tutor.user.id, slotAhead(4 * 24 * 60))).status).toBe(201);
  });

  it("is refused when the tutor does not offer trials, and offered from the moment their profile says so", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const start = slotAhead(3 * 24 * 60);
    const refused = await bookTrial(student.client, tutor.user.id, start);
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe("trial_not_offered");
    expect(await balance(student.client)).toBe(600);
    expect((await new Client().get(`/api/tutors/${tutor.user.id}`)).json.tutor.offersTrials).toBe(false);

    const profile = await tutor.client.put("/api/tutors/me/profile", { bio: "Test tutor", subjects: ["mathematics"], hourlyRateCents: 3000, timezone: "UTC", offersTrials: true });
    expect(profile.json.tutor.offersTrials).toBe(true);
    expect((await new Client().get(`/api/tutors/${tutor.user.id}`)).json.tutor.offersTrials).toBe(true);
    expect((await bookTrial(student.client, tutor.user.id, start)).status).toBe(201);
    // A profile edit that does not mention trials leaves the setting as it is.
    await tutor.client.put("/api/tutors/me/profile", { bio: "Still a test tutor", subjects: ["mathematics"], hourlyRateCents: 3000, timezone: "UTC" });
    expect((await new Client().get(`/api/tutors/${tutor.user.id}`)).json.tutor.offersTrials).toBe(true);
  });

  it("GET /api/tutors/:id tells a signed-in student whether the trial is still open to them; others see the offer as before", async () => {
    const tutor = await approvedTutor({ offersTrials: true });
    const student = await fundedStudent(600);
    const other = await fundedStudent(600);
    const profileFor = async (client: Client) => (await client.get(`/api/tutors/${tutor.user.id}`)).json.tutor;
    expect((await profileFor(student.client)).trialAvailable).toBe(true);
    const booked = await bookTrial(student.client, tutor.user.id, slotAhead(3 * 24 * 60));
    expect(booked.status).toBe(201);
    // Booked, not yet had: the trial is taken all the same, and only for this student.
    expect((await profileFor(student.client)).trialAvailable).toBe(false);
    expect((await profileFor(other.client)).trialAvailable).toBe(true);
    expect((await profileFor(new Client())).trialAvailable).toBe(true);
    expect((await profileFor(tutor.client)).trialAvailable).toBe(true);
    // The refusal names what is true whether or not the lesson has happened yet.
    const again = await bookTrial(student.client, tutor.user.id, slotAhead(4 * 24 * 60));
    expect(again.json.error).toMatchObject({ code: "trial_used", message: "You already have or had a lesson with this tutor, so the trial lesson is not open to you. Book a regular lesson instead." });
    // A cancelled trial gives it back.
    expect((await student.client.post(`/api/bookings/${booked.json.booking.id}/cancel`, {})).status).toBe(200);
    expect((await profileFor(student.client)).trialAvailable).toBe(true);

    // A tutor who offers no trials has none open to anyone.
    const noTrials = await approvedTutor();
    expect((await student.client.get(`/api/tutors/${noTrials.user.id}`)).json.tutor.trialAvailable).toBe(false);
    expect((await new Client().get(`/api/tutors/${noTrials.user.id}`)).json.tutor.trialAvailable).toBe(false);
  });

  it("lets exactly one of many concurrent trial requests by one student to one tutor through", async () => {
    const tutor = await approvedTutor({ offersTrials: true });
    const student = await fundedStudent(600);
    const starts = [2, 3, 4, 5, 6, 7].map((d) => slotAhead(d * 24 * 60));
    const answers = await Promise.all(starts.map((start, k) => bookTrial(student.client, tutor.user.id, start, {}, `trial-race-${k}`)));
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    const refused = answers.filter((r) => r.status !== 201);
    expect(refused.map((r) => r.json.error.code)).toEqual(Array(starts.length - 1).fill("trial_used"));
    expect(await balance(student.client)).toBe(600 - 15);
    // The losers hold no time: every other slot is still free.
    const won = answers.find((r) => r.status === 201)!.json.booking.start;
    for (const start of starts.filter((s) => s !== won)) {
      const slots = await new Client().get(`/api/tutors/${tutor.user.id}/slots?from=${start}&to=${new Date(Date.parse(start) + HOUR).toISOString()}&duration=30`);
      expect(slots.json.slots.map((s: { start: string }) => s.start)).toContain(start);
    }
  });

  it.each([
    [{ durationMinutes: 60 }, "durationMinutes"],
    [{ repeat: { weeks: 4 } }, "trial"],
    [{ group: true }, "trial"],
  ])("refuses a trial that is not a single 30-minute 1:1 lesson (%o) with 400", async (extra, path) => {
    const tutor = await approvedTutor({ offersTrials: true });
    const student = await fundedStudent(600);
    const res = await bookTrial(student.client, tutor.user.id, slotAhead(3 * 24 * 60), extra);
    expect(res.status).toBe(400);
    expect(res.json.error.issues.map((i: { path: string }) => i.path)).toContain(path);
  });
});
