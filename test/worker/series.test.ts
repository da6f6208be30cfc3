import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { seriesIdFor } from "../../domain/bookingIds";
import { chargeAt, releaseAt } from "../../domain/series";
import { AttachmentsSchema } from "../../platform/integrations/email/sender";
import { calendarOf } from "../../worker/lib/stubs";
import { ALL_WEEK, Client, approvedTutor, balance, drained, fund, fundedStudent, mondayBeforeClockChange, settleWallet, slotAhead } from "./helpers";

const WEEK = 7 * 86_400_000;
const HOUR = 3_600_000;
type Occurrence = { id: string; start: string; status: string; studentIds: string[]; paymentDueAt?: string; seriesId?: string };

const bookWeekly = (client: Client, body: Record<string, unknown>, key?: string) =>
  client.post("/api/bookings", { subject: "mathematics", durationMinutes: 60, ...body }, key ? { "Idempotency-Key": key } : {});

/** The calendar's alarm, as it would run at `at` (credits due by then are taken, unpaid weeks released). */
const chargeAtTime = async (tutorId: string, at: number) => {
  await calendarOf(env, tutorId).chargeDueSeries(at);
  await drained(tutorId);
};

const noticesOf = async (client: Client) => (await client.get("/api/notifications")).json.notifications as { title: string; body: string; link?: string }[];

describe("weekly lessons: POST /api/bookings with repeat", () => {
  it("reserves every week at once, pays the first lesson now and the others later", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const start = slotAhead(3 * 24 * 60);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start, repeat: { weeks: 4 } });
    expect(res.status).toBe(201);
    const occurrences: Occurrence[] = res.json.series.occurrences;
    expect(occurrences.map((o) => o.start)).toEqual([0, 1, 2, 3].map((k) => new Date(Date.parse(start) + k * WEEK).toISOString()));
    expect(occurrences.every((o) => o.status === "confirmed" && o.studentIds[0] === student.user.id && o.seriesId === res.json.series.id)).toBe(true);
    // The first lesson is within 7 days: paid now. The others are paid 7 days before each.
    expect(occurrences[0]!.paymentDueAt).toBeUndefined();
    expect(occurrences.slice(1).map((o) => o.paymentDueAt)).toEqual(occurrences.slice(1).map((o) => new Date(chargeAt(Date.parse(o.start))).toISOString()));
    expect(await balance(student.client)).toBe(540);

    // Every week is taken in the tutor's calendar.
    const week4 = occurrences[3]!.start;
    const slots = await new Client().get(`/api/tutors/${tutor.user.id}/slots?from=${week4}&to=${new Date(Date.parse(week4) + HOUR).toISOString()}&duration=60`);
    expect(slots.json.slots).toEqual([]);

    // Student and tutor read it; another student does not learn it exists.
    expect((await student.client.get(`/api/series/${res.json.series.id}`)).json.series.occurrences).toHaveLength(4);
    const tutorView = await tutor.client.get(`/api/series/${res.json.series.id}`);
    expect(tutorView.status).toBe(200);
    expect(tutorView.json.series.occurrences[0].tutorEarningCents).toBe(2400);
    const other = await fundedStudent(0);
    expect((await other.client.get(`/api/series/${res.json.series.id}`)).status).toBe(404);
  });

  it("books the week on the night the tutor's clocks go back at the 01:30 the slots offer (its first pass), begun in winter", async () => {
    const zone = "Europe/London";
    const tutor = await approvedTutor({ timezone: zone, availability: ALL_WEEK(zone, { horizonDays: 365 }) });
    const student = await fundedStudent(3_600);
    // Sundays 01:30 London from the first Sunday two days ahead (winter time when run from November to March) to the
    // next Sunday the clocks go back on, when 01:30 comes twice: first at the summer offset, as the slots offer it.
    let first = DateTime.now().setZone(zone).plus({ days: 2 }).startOf("day");
    while (first.weekday !== 7) first = first.plus({ days: 1 });
    let fallBack = first;
    while (!(fallBack.weekday === 7 && fallBack.set({ hour: 12 }).offset < fallBack.minus({ days: 1 }).set({ hour: 12 }).offset)) fallBack = fallBack.plus({ days: 1 });
    const weeks = Math.round(fallBack.diff(first, "days").days / 7) + 1;
    const firstPass = new Date(Date.UTC(fallBack.year, fallBack.month - 1, fallBack.day, 1, 30) - fallBack.minus({ days: 1 }).set({ hour: 12 }).offset * 60_000).toISOString();
    const night = await new Client().get(`/api/tutors/${tutor.user.id}/slots?from=${fallBack.toUTC().toISO()}&to=${fallBack.plus({ hours: 6 }).toUTC().toISO()}&duration=60`);
    expect(night.json.slots.map((s: { start: string }) => s.start)).toContain(firstPass);

    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: first.set({ hour: 1, minute: 30 }).toUTC().toISO()!, repeat: { weeks } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.series.skipped).toEqual([]);
    expect(res.json.series.occurrences.at(-1).start).toBe(firstPass);
  });

  it("queues a 52-week series for the listings as one projection, and every week is listed once it has drained", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const start = slotAhead(2 * 24 * 60);
    const calendar = calendarOf(env, tutor.user.id);
    // What the booking leaves for after its answer, read in the same turn as the answer (before any of it has run):
    // the weeks go to D1 in one effect (the first week's own projection aside), not one effect per week.
    const { series, queued } = await runInDurableObject(calendar, async (instance, state) => {
      const booked = await instance.bookSeries({ tutorId: tutor.user.id, seriesId: seriesIdFor(tutor.user.id, crypto.randomUUID()), studentId: student.user.id, start: Date.parse(start), durationMinutes: 60, subject: "mathematics", weeks: 52, now: Date.now() });
      return { series: booked, queued: state.storage.sql.exec("SELECT count(*) AS n FROM effects WHERE kind IN ('project', 'project_series')").one().n };
    });
    if (!series.ok) throw new Error(series.code);
    expect(series.value.occurrences).toHaveLength(52);
    expect(queued).toBeLessThanOrEqual(3);
    await drained(tutor.user.id);
    const last = new Date(Date.parse(start) + 52 * WEEK).toISOString();
    for (const who of [student, tutor]) {
      const listed = (await who.client.get(`/api/bookings?from=${encodeURIComponent(start)}&to=${encodeURIComponent(last)}`)).json.bookings as { id: string }[];
      expect(listed.map((b) => b.id).sort()).toEqual(series.value.occurrences.map((o) => o.id).sort());
    }
  });

  it("answers a retry with the same series (Idempotent-Replayed), and a reused key for another request with 422", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const start = slotAhead(2 * 24 * 60);
    const first = await bookWeekly(student.client, { tutorId: tutor.user.id, start, repeat: { weeks: 3 } }, "weekly-1");
    const again = await bookWeekly(student.client, { tutorId: tutor.user.id, start, repeat: { weeks: 3 } }, "weekly-1");
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(again.json.series.id).toBe(first.json.series.id);
    expect((await bookWeekly(student.client, { tutorId: tutor.user.id, start, repeat: { weeks: 4 } }, "weekly-1")).status).toBe(422);
    expect(await balance(student.client)).toBe(540);
  });

  it("refuses the whole series when the first lesson, due now, cannot be paid", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(30);
    const start = slotAhead(2 * 24 * 60);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start, repeat: { weeks: 3 } });
    expect(res.status).toBe(402);
    expect(res.json.error.code).toBe("insufficient_credits");
    const later = new Date(Date.parse(start) + WEEK).toISOString();
    const slots = await new Client().get(`/api/tutors/${tutor.user.id}/slots?from=${later}&to=${new Date(Date.parse(later) + HOUR).toISOString()}&duration=60`);
    expect(slots.json.slots.map((s: { start: string }) => s.start)).toContain(later);
  });

  it("keeps the tutor's wall-clock time across their DST change (09:00 in New York the Mondays before and after it)", async () => {
    const zone = "America/New_York";
    const tutor = await approvedTutor({ timezone: zone, availability: ALL_WEEK(zone, { horizonDays: 365 }) });
    const student = await fundedStudent(600);
    // Mondays 09:00 New York from the week before its next clock change (e.g. March 8 2027, 14:00Z in EST; then
    // March 15, 13:00Z in EDT). More than 8 days ahead, so no week is due yet.
    const mondays = [0, 1, 2].map((w) => mondayBeforeClockChange(zone, 9).plus({ weeks: w }).set({ hour: 9 }).toUTC().toISO()!);
    expect(Math.abs(Date.parse(mondays[1]!) - Date.parse(mondays[0]!) - WEEK)).toBe(HOUR);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: mondays[0]!, repeat: { weeks: 3 } });
    expect(res.status).toBe(201);
    expect(res.json.series.tutorZone).toBe(zone);
    expect(res.json.series.occurrences.map((o: Occurrence) => o.start)).toEqual(mondays);
    // Nothing is due yet: every week is paid 7 days before it.
    expect(await balance(student.client)).toBe(600);
  });

  it("skips a week the tutor is busy in and reports it to both with the times free that day", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const start = slotAhead(2 * 24 * 60);
    const week2 = Date.parse(start) + WEEK;
    await calendarOf(env, tutor.user.id).upsertBlock({ tutorId: tutor.user.id, source: "calendly", block: { externalId: "dentist", start: week2 - 30 * 60_000, end: week2 + 30 * 60_000, title: "Dentist" }, now: Date.now() });
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start, repeat: { weeks: 3 } });
    expect(res.status).toBe(201);
    expect(res.json.series.occurrences).toHaveLength(2);
    expect(res.json.series.skipped).toHaveLength(1);
    const skipped = res.json.series.skipped[0];
    expect(skipped.start).toBe(new Date(week2).toISOString());
    expect(skipped.alternatives.length).toBeGreaterThan(0);
    expect(skipped.alternatives).not.toContain(new Date(week2).toISOString());
    await drained(tutor.user.id);
    for (const who of [student, tutor]) {
      await expect.poll(async () => (await noticesOf(who.client)).some((n) => n.title.includes("not booked")), { timeout: 2000 }).toBe(true);
    }
  });

  it("refuses a series whose first week is taken", async () => {
    const tutor = await approvedTutor();
    const [a, b] = [await fundedStudent(600), await fundedStudent(600)];
    const start = slotAhead(2 * 24 * 60);
    expect((await bookWeekly(a.client, { tutorId: tutor.user.id, start })).status).toBe(201);
    const res = await bookWeekly(b.client, { tutorId: tutor.user.id, start, repeat: { weeks: 2 } });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("slot_unavailable");
  });
});

describe("weekly lessons in GET /api/bookings and GET /api/bookings/:id", () => {
  /** A week as the student's listing and its detail page read it (from the D1 projection). */
  const listedWeek = async (client: Client, id: string, start: string) => {
    const to = new Date(Date.parse(start) + HOUR).toISOString();
    const listed = ((await client.get(`/api/bookings?from=${encodeURIComponent(start)}&to=${encodeURIComponent(to)}`)).json.bookings as (Occurrence & { paymentDueAt?: string | null })[]).find((b) => b.id === id);
    const detail = (await client.get(`/api/bookings/${id}`)).json.booking as Occurrence & { paymentDueAt?: string | null };
    return { listed, detail };
  };

  it("says when an unpaid week's credits are taken (as the series does), and nothing once it is paid", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(3 * 24 * 60), repeat: { weeks: 3 } });
    expect(res.status).toBe(201);
    await drained(tutor.user.id);
    await settleWallet(student.user.id);
    const [first, second, third] = res.json.series.occurrences as Occurrence[];
    expect(third!.paymentDueAt).toBeDefined();

    // Week 3: not paid yet. Both answers say when its credits are taken, and which series it is of.
    for (const b of Object.values(await listedWeek(student.client, third!.id, third!.start))) {
      expect(b?.paymentDueAt).toBe(third!.paymentDueAt);
      expect(b?.seriesId).toBe(res.json.series.id);
    }
    // Week 1: paid at booking. Nothing is due any more.
    for (const b of Object.values(await listedWeek(student.client, first!.id, first!.start))) {
      expect(b?.paymentDueAt).toBeNull();
      expect(b?.seriesId).toBe(res.json.series.id);
    }
    // The tutor's listing says it too (a 1:1 week has one student).
    expect((await listedWeek(tutor.client, third!.id, third!.start)).detail.paymentDueAt).toBe(third!.paymentDueAt);

    // Week 2 is charged 7 days before it: then the listing says it is paid, too.
    expect((await listedWeek(student.client, second!.id, second!.start)).listed?.paymentDueAt).toBe(second!.paymentDueAt);
    await chargeAtTime(tutor.user.id, chargeAt(Date.parse(second!.start)));
    expect(await balance(student.client)).toBe(480);
    for (const b of Object.values(await listedWeek(student.client, second!.id, second!.start))) expect(b?.paymentDueAt).toBeNull();

    // A week cancelled before it was paid has nothing due either.
    expect((await student.client.post(`/api/bookings/${third!.id}/cancel`, {})).status).toBe(200);
    await drained(tutor.user.id);
    expect((await listedWeek(student.client, third!.id, third!.start)).detail.paymentDueAt).toBeNull();
  });

  it("moves the date a short week's credits are taken when the alarm tries again later", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(2 * 24 * 60), repeat: { weeks: 2 } });
    const second: Occurrence = res.json.series.occurrences[1];
    const due = chargeAt(Date.parse(second.start));
    await chargeAtTime(tutor.user.id, due);
    const { listed, detail } = await listedWeek(student.client, second.id, second.start);
    expect(Date.parse(listed?.paymentDueAt ?? "")).toBe(due + 6 * HOUR);
    expect(Date.parse(detail.paymentDueAt ?? "")).toBe(due + 6 * HOUR);
  });
});

describe("weekly lessons need credit for a week at booking", () => {
  it("refuses a student with no credit (402): a tutor's weekly hour cannot be held for a year for free", async () => {
    const tutor = await approvedTutor();
    const broke = await fundedStudent(0);
    const start = slotAhead(8 * 24 * 60);
    const booked = await broke.client.post("/api/bookings", { tutorId: tutor.user.id, subject: "mathematics", durationMinutes: 60, start, repeat: { weeks: 52 } });
    expect(booked.status).toBe(402);
    expect(booked.json.error.code).toBe("insufficient_credits");
    const slots = await new Client().get(`/api/tutors/${tutor.user.id}/slots?from=${start}&to=${new Date(Date.parse(start) + 3_600_000).toISOString()}&duration=60`);
    expect(slots.json.slots.map((x: { start: string }) => Date.parse(x.start))).toContain(Date.parse(start));
  });

  it("takes a student whose credit covers the first week, spending nothing until a week falls due", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const booked = await student.client.post("/api/bookings", { tutorId: tutor.user.id, subject: "mathematics", durationMinutes: 60, start: slotAhead(8 * 24 * 60), repeat: { weeks: 4 } });
    expect(booked.status).toBe(201);
    expect(await balance(student.client)).toBe(60);
  });
});

describe("weekly lessons: credits taken before each week", () => {
  it("takes a week's credits 7 days before it, not earlier, and fixes its earning then", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(2 * 24 * 60), repeat: { weeks: 3 } });
    const second: Occurrence = res.json.series.occurrences[1];
    const due = chargeAt(Date.parse(second.start));
    await chargeAtTime(tutor.user.id, due - 60_000);
    expect(await balance(student.client)).toBe(540);
    await chargeAtTime(tutor.user.id, due);
    expect(await balance(student.client)).toBe(480);
    const series = (await tutor.client.get(`/api/series/${res.json.series.id}`)).json.series;
    expect(series.occurrences[1].paymentDueAt).toBeUndefined();
    expect(series.occurrences[1].tutorEarningCents).toBe(2400);
    expect(series.occurrences[2].paymentDueAt).toBeDefined();
    // Running the alarm again takes nothing twice.
    await chargeAtTime(tutor.user.id, due + HOUR);
    expect(await balance(student.client)).toBe(480);
  });

  it("tells a student who cannot cover a week (with a top-up link), takes it once they top up", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(2 * 24 * 60), repeat: { weeks: 2 } });
    expect(res.status).toBe(201);
    const second: Occurrence = res.json.series.occurrences[1];
    const due = chargeAt(Date.parse(second.start));
    await chargeAtTime(tutor.user.id, due);
    await expect.poll(async () => (await noticesOf(student.client)).find((n) => n.title.startsWith("Top up")), { timeout: 2000 }).toMatchObject({ link: "/credits" });
    const still = (await student.client.get(`/api/series/${res.json.series.id}`)).json.series.occurrences[1];
    expect(still.status).toBe("confirmed");
    expect(Date.parse(still.paymentDueAt)).toBe(due + 6 * HOUR);
    await fund(student.user.id, 60);
    await chargeAtTime(tutor.user.id, due + 6 * HOUR);
    expect(await balance(student.client)).toBe(0);
    expect((await student.client.get(`/api/series/${res.json.series.id}`)).json.series.occurrences[1].paymentDueAt).toBeUndefined();
  });

  it("releases a week still unpaid 24 hours before it: the time is free again and nothing is spent", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(2 * 24 * 60), repeat: { weeks: 2 } });
    const second: Occurrence = res.json.series.occurrences[1];
    const start = Date.parse(second.start);
    await chargeAtTime(tutor.user.id, chargeAt(start));
    await chargeAtTime(tutor.user.id, releaseAt(start) - 60_000);
    expect((await student.client.get(`/api/series/${res.json.series.id}`)).json.series.occurrences[1].status).toBe("confirmed");
    await chargeAtTime(tutor.user.id, releaseAt(start));
    const series = (await student.client.get(`/api/series/${res.json.series.id}`)).json.series;
    expect(series.occurrences[1].status).toBe("cancelled");
    expect(series.occurrences[0].status).toBe("confirmed");
    expect(await balance(student.client)).toBe(0);
    await settleWallet(student.user.id);
    const slots = await new Client().get(`/api/tutors/${tutor.user.id}/slots?from=${second.start}&to=${new Date(start + HOUR).toISOString()}&duration=60`);
    expect(slots.json.slots.map((s: { start: string }) => s.start)).toContain(second.start);
    await expect.poll(async () => (await noticesOf(student.client)).some((n) => n.title.endsWith("released")), { timeout: 2000 }).toBe(true);
  });
});

describe("weekly lessons: cancelling one week, then the rest", () => {
  it("cancels one week under the normal policy, then the rest of the series from the API", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(2 * 24 * 60), repeat: { weeks: 4 } });
    const [first, second, third, fourth] = res.json.series.occurrences as Occurrence[];
    // An unpaid week: cancelled, nothing to refund, nothing spent.
    const one = await student.client.post(`/api/bookings/${second!.id}/cancel`, {});
    expect(one.status).toBe(200);
    expect(one.json.booking.status).toBe("cancelled");
    expect(await balance(student.client)).toBe(540);
    // It is never charged afterwards.
    await chargeAtTime(tutor.user.id, chargeAt(Date.parse(second!.start)));
    expect(await balance(student.client)).toBe(540);

    const rest = await student.client.post(`/api/series/${res.json.series.id}/cancel`, { from: third!.start });
    expect(rest.status).toBe(200);
    expect(rest.json.series.occurrences.map((o: Occurrence) => o.status)).toEqual(["confirmed", "cancelled", "cancelled", "cancelled"]);
    expect(rest.json.series.status).toBe("active");
    // The rest of it, the paid first week included (≥ 24 h ahead: refunded).
    const all = await student.client.post(`/api/series/${res.json.series.id}/cancel`, {});
    expect(all.json.series.status).toBe("cancelled");
    expect(all.json.series.occurrences.map((o: Occurrence) => o.status)).toEqual(["cancelled", "cancelled", "cancelled", "cancelled"]);
    await drained(tutor.user.id);
    expect(await balance(student.client)).toBe(600);
    expect(first && fourth).toBeTruthy();
  });

  it("lets only the series' student, its tutor and admins cancel it", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(2 * 24 * 60), repeat: { weeks: 2 } });
    const stranger = await fundedStudent(0);
    expect((await stranger.client.post(`/api/series/${res.json.series.id}/cancel`, {})).status).toBe(404);
    const otherTutor = await approvedTutor();
    expect((await otherTutor.client.post(`/api/series/${res.json.series.id}/cancel`, {})).status).toBe(404);
    const byTutor = await tutor.client.post(`/api/series/${res.json.series.id}/cancel`, {});
    expect(byTutor.json.series.occurrences.every((o: Occurrence) => o.status === "cancelled")).toBe(true);
  });

  it("a week moved to within 7 days is charged on its new schedule", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(2 * 24 * 60), repeat: { weeks: 3 } });
    const third: Occurrence = res.json.series.occurrences[2];
    const sooner = slotAhead(4 * 24 * 60);
    const moved = await student.client.post(`/api/bookings/${third.id}/reschedule`, { start: sooner });
    expect(moved.status).toBe(200);
    await chargeAtTime(tutor.user.id, Date.now() + 60_000);
    expect(await balance(student.client)).toBe(480);
  });
});

type Kept = { id: string; start: string; code: string; alternatives: string[] };
const moveRest = (client: Client, seriesId: string, body: { from: string; start: string }, key?: string) =>
  client.post(`/api/series/${seriesId}/move`, body, key ? { "Idempotency-Key": key } : {});
const startsOf = (series: { occurrences: Occurrence[] }) => series.occurrences.map((o) => o.start);

describe("weekly lessons: moving the rest of a series (POST /api/series/:id/move)", () => {
  it("moves Mondays 09:00 New York to Thursdays 18:00 from a week on, still 18:00 after the DST change; same ids, credits untouched", async () => {
    const zone = "America/New_York";
    const tutor = await approvedTutor({ timezone: zone, availability: ALL_WEEK(zone, { horizonDays: 365 }) });
    const student = await fundedStudent(600);
    // Mondays 09:00 New York from two weeks before its next clock change (e.g. March 1 2027), more than 8 days ahead.
    const monday = mondayBeforeClockChange(zone, 16);
    const first = monday.minus({ weeks: 1 }).set({ hour: 9 }).toUTC().toISO()!;
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: first, repeat: { weeks: 4 } });
    const series = res.json.series as { id: string; occurrences: Occurrence[] };
    // From the second week on (the Monday before the change) to Thursday 18:00 that week (e.g. March 11 23:00Z),
    // then 18:00 still in the weeks after the change (e.g. 22:00Z once New York is on EDT).
    const thursdays = [0, 1, 2].map((w) => monday.plus({ days: 3, weeks: w }).set({ hour: 18 }).toUTC().toISO()!);
    expect(Math.abs(Date.parse(thursdays[1]!) - Date.parse(thursdays[0]!) - WEEK)).toBe(HOUR);
    const moved = await moveRest(student.client, series.id, { from: series.occurrences[1]!.start, start: thursdays[0]! });
    expect(moved.status).toBe(200);
    expect(moved.json.series.id).toBe(series.id);
    expect(startsOf(moved.json.series)).toEqual([first, ...thursdays]);
    expect(moved.json.series.occurrences.map((o: Occurrence) => o.id)).toEqual(series.occurrences.map((o) => o.id));
    expect(moved.json.kept).toEqual([]);
    expect(await balance(student.client)).toBe(600);
    // The tutor hears it once for the whole move; the listings show the new times.
    await drained(tutor.user.id);
    const notices = (await noticesOf(tutor.client)).filter((n) => n.title.includes("moved"));
    expect(notices).toHaveLength(1);
    const byTutor = (await tutor.client.get(`/api/series/${series.id}`)).json.series;
    expect(startsOf(byTutor)).toEqual(startsOf(moved.json.series));
  });

  it("keeps a week that collides at its new time where it was, and reports it with what is free that day", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(3 * 24 * 60), repeat: { weeks: 3 } });
    const series = res.json.series as { id: string; occurrences: Occurrence[] };
    const [first, second, third] = series.occurrences.map((o) => Date.parse(o.start));
    const later = 2 * HOUR;
    await calendarOf(env, tutor.user.id).upsertBlock({ tutorId: tutor.user.id, source: "calendly", block: { externalId: "choir", start: second! + later, end: second! + later + HOUR, title: "Choir" }, now: Date.now() });
    const moved = await moveRest(student.client, series.id, { from: new Date(first!).toISOString(), start: new Date(first! + later).toISOString() });
    expect(moved.status).toBe(200);
    expect(startsOf(moved.json.series)).toEqual([first! + later, second!, third! + later].map((t) => new Date(t).toISOString()));
    const kept = moved.json.kept as Kept[];
    expect(kept.map((k) => [k.id, k.start, k.code])).toEqual([[series.occurrences[1]!.id, new Date(second!).toISOString(), "slot_unavailable"]]);
    expect(kept[0]!.alternatives.length).toBeGreaterThan(0);
    expect(kept[0]!.alternatives).not.toContain(new Date(second! + later).toISOString());
    // The first week (paid at booking, within 7 days) moved with its credits: nothing more taken, nothing given back.
    await drained(tutor.user.id);
    expect(await balance(student.client)).toBe(540);
  });

  it("leaves a week too close to its start for the student to move, and moves the others", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(6 * 60), repeat: { weeks: 3 } });
    const series = res.json.series as { id: string; occurrences: Occurrence[] };
    const [first, second, third] = series.occurrences.map((o) => Date.parse(o.start));
    const moved = await moveRest(student.client, series.id, { from: new Date(first!).toISOString(), start: new Date(first! + HOUR).toISOString() });
    expect(moved.status).toBe(200);
    expect(startsOf(moved.json.series)).toEqual([first!, second! + HOUR, third! + HOUR].map((t) => new Date(t).toISOString()));
    expect((moved.json.kept as Kept[]).map((k) => k.code)).toEqual(["too_late_to_reschedule"]);
    // The first week was paid at booking: its price is unchanged, nothing more was taken.
    expect(await balance(student.client)).toBe(540);
  });

  it("never double-books a new time: a move and a single booking racing for it", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const other = await fundedStudent(600);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(3 * 24 * 60), repeat: { weeks: 3 } });
    const series = res.json.series as { id: string; occurrences: Occurrence[] };
    const [first, second] = series.occurrences.map((o) => Date.parse(o.start));
    const target = new Date(second! + 3 * HOUR).toISOString();
    const [moved, single] = await Promise.all([
      moveRest(student.client, series.id, { from: new Date(first!).toISOString(), start: new Date(first! + 3 * HOUR).toISOString() }),
      other.client.post("/api/bookings", { tutorId: tutor.user.id, subject: "mathematics", durationMinutes: 60, start: target }),
    ]);
    expect(moved.status).toBe(200);
    const weekTwoMoved = moved.json.series.occurrences[1].start === target;
    expect(single.status === 201).toBe(!weekTwoMoved);
    // The tutor's week two: one lesson at the new time, whichever won.
    const atTarget = async (id: string) => (await calendarOf(env, tutor.user.id).getSession(id))?.booking;
    const holders = [await atTarget(series.occurrences[1]!.id), single.status === 201 ? await atTarget(single.json.booking.id) : undefined]
      .filter((b) => b && b.status === "confirmed" && b.start === target);
    expect(holders).toHaveLength(1);
  });

  it("lets the series' student and tutor move it; strangers and other tutors get 404", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(3 * 24 * 60), repeat: { weeks: 2 } });
    const series = res.json.series as { id: string; occurrences: Occurrence[] };
    const body = { from: series.occurrences[0]!.start, start: new Date(Date.parse(series.occurrences[0]!.start) + HOUR).toISOString() };
    expect((await moveRest((await fundedStudent(0)).client, series.id, body)).status).toBe(404);
    expect((await moveRest((await approvedTutor()).client, series.id, body)).status).toBe(404);
    const byTutor = await moveRest(tutor.client, series.id, body);
    expect(byTutor.status).toBe(200);
  });

  it("answers a retry of the same Idempotency-Key with the first answer, without moving again", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(3 * 24 * 60), repeat: { weeks: 3 } });
    const series = res.json.series as { id: string; occurrences: Occurrence[] };
    const first = Date.parse(series.occurrences[0]!.start);
    // Back a day: a week that moved earlier would be "from" again without the key.
    const body = { from: series.occurrences[1]!.start, start: new Date(first + WEEK - 24 * HOUR).toISOString() };
    const one = await moveRest(student.client, series.id, body, "move-1");
    const two = await moveRest(student.client, series.id, body, "move-1");
    expect(two.status).toBe(200);
    expect(two.headers.get("Idempotent-Replayed")).toBe("true");
    expect(startsOf(two.json.series)).toEqual(startsOf(one.json.series));
    expect(startsOf((await student.client.get(`/api/series/${series.id}`)).json.series)).toEqual(startsOf(one.json.series));
    expect((await moveRest(student.client, series.id, { ...body, start: new Date(first + WEEK + HOUR).toISOString() }, "move-1")).status).toBe(422);
  });
});

describe("a lesson being moved holds its new time (weeks of a series, and single lessons)", () => {
  it("keeps the new time of a move days earlier from anyone else while the student's wallet is asked", async () => {
    const tutor = await approvedTutor();
    const [mover, other] = [await fundedStudent(600), await fundedStudent(600)];
    const later = Date.parse(slotAhead(6 * 24 * 60));
    const earlier = later - 3 * 86_400_000;
    const booked = await mover.client.post("/api/bookings", { tutorId: tutor.user.id, start: new Date(later).toISOString(), durationMinutes: 60, subject: "mathematics" }, { "Idempotency-Key": crypto.randomUUID() });
    expect(booked.status).toBe(201);
    // The state a move (one lesson, or the rest of a series) is in while it waits for the wallet: its new time held.
    await runInDurableObject(calendarOf(env, tutor.user.id), async (_instance, state) => {
      state.storage.sql.exec("UPDATE sessions SET pending_start_ms = ?, pending_end_ms = ?, pending_expires_ms = ? WHERE id = ?", earlier, earlier + HOUR, Date.now() + 60_000, booked.json.booking.id);
    });
    const taken = await other.client.post("/api/bookings", { tutorId: tutor.user.id, start: new Date(earlier).toISOString(), durationMinutes: 60, subject: "mathematics" }, { "Idempotency-Key": crypto.randomUUID() });
    expect(taken.status).toBe(409);
    expect(taken.json.error.code).toBe("slot_unavailable");
  });
});

describe("weekly lessons in the tutor's calendar feed", () => {
  it("has one VEVENT per week with a stable UID", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(2 * 24 * 60), repeat: { weeks: 3 } });
    await drained(tutor.user.id);
    const feedUrl = (await tutor.client.get("/api/tutors/me/calendar-feed")).json.url as string;
    const feed = await new Client().get(new URL(feedUrl).pathname);
    const unfolded = feed.text.replace(/\r?\n /g, "");
    const uids = [...unfolded.matchAll(/^UID:(.+)$/gm)].map((m) => m[1]!.trim());
    expect(uids).toEqual((res.json.series.occurrences as Occurrence[]).map((o) => `${o.id}@tutorly`));
  });
});

describe("weekly lessons meeting the tutor's outside calendar", () => {
  it("tells the student too, with the times free that day, when a Calendly event lands on a booked week", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(2 * 24 * 60), repeat: { weeks: 3 } });
    const third = Date.parse(res.json.series.occurrences[2].start);
    await calendarOf(env, tutor.user.id).upsertBlock({ tutorId: tutor.user.id, source: "calendly", block: { externalId: "late-meeting", start: third, end: third + HOUR, title: "Meeting" }, now: Date.now() });
    await drained(tutor.user.id);
    await expect.poll(async () => (await noticesOf(student.client)).find((n) => n.title.includes("your tutor has a conflict"))?.body, { timeout: 2000 }).toContain("free that day");
    await expect.poll(async () => (await noticesOf(tutor.client)).some((n) => n.title.startsWith("Calendar conflict")), { timeout: 2000 }).toBe(true);
  });
});

describe("weekly lessons claim the student's time at booking (no double booking)", () => {
  const single = (client: Client, tutorId: string, start: string) => bookWeekly(client, { tutorId, start });

  it("refuses the student a lesson with another tutor at the time of a week not yet paid (409 student_busy)", async () => {
    const [tutor, other] = [await approvedTutor(), await approvedTutor()];
    const student = await fundedStudent(600);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(2 * 24 * 60), repeat: { weeks: 4 } });
    const third = (res.json.series.occurrences as Occurrence[])[2]!;
    expect(third.paymentDueAt).toBeDefined();
    const clash = await single(student.client, other.user.id, third.start);
    expect(clash.status).toBe(409);
    expect(clash.json.error.code).toBe("student_busy");
    expect(await balance(student.client)).toBe(540);
  });

  it("frees that time once the unpaid week is cancelled", async () => {
    const [tutor, other] = [await approvedTutor(), await approvedTutor()];
    const student = await fundedStudent(600);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(2 * 24 * 60), repeat: { weeks: 4 } });
    const third = (res.json.series.occurrences as Occurrence[])[2]!;
    expect((await student.client.post(`/api/bookings/${third.id}/cancel`, {})).status).toBe(200);
    await drained(tutor.user.id);
    expect((await single(student.client, other.user.id, third.start)).status).toBe(201);
  });

  it("reports a week of a second series that overlaps a week of the first as skipped, student_busy", async () => {
    const [tutor, other] = [await approvedTutor(), await approvedTutor()];
    const student = await fundedStudent(600);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(2 * 24 * 60), repeat: { weeks: 3 } });
    const third = (res.json.series.occurrences as Occurrence[])[2]!;
    const second = await bookWeekly(student.client, { tutorId: other.user.id, start: third.start, repeat: { weeks: 2 } });
    expect(second.status).toBe(201);
    expect(second.json.series.skipped).toEqual([{ start: third.start, alternatives: [], code: "student_busy" }]);
    expect((second.json.series.occurrences as Occurrence[]).map((o) => o.start)).toEqual([new Date(Date.parse(third.start) + WEEK).toISOString()]);
    // The other tutor's calendar keeps that hour free.
    const slots = await new Client().get(`/api/tutors/${other.user.id}/slots?from=${third.start}&to=${new Date(Date.parse(third.start) + HOUR).toISOString()}&duration=60`);
    expect((slots.json.slots as { start: string }[]).map((x) => x.start)).toContain(third.start);
  });

  it("moves the claims with the rest of the series: the old times are free, the new ones taken", async () => {
    const [tutor, other] = [await approvedTutor(), await approvedTutor()];
    const student = await fundedStudent(600);
    const res = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(2 * 24 * 60), repeat: { weeks: 4 } });
    const series = res.json.series as { id: string; occurrences: Occurrence[] };
    const later = 2 * HOUR;
    const moved = await moveRest(student.client, series.id, { from: series.occurrences[1]!.start, start: new Date(Date.parse(series.occurrences[1]!.start) + later).toISOString() });
    expect(moved.status).toBe(200);
    expect(moved.json.kept).toEqual([]);
    const third = series.occurrences[2]!;
    const clash = await single(student.client, other.user.id, new Date(Date.parse(third.start) + later).toISOString());
    expect(clash.status).toBe(409);
    expect(clash.json.error.code).toBe("student_busy");
    expect((await single(student.client, other.user.id, third.start)).status).toBe(201);
  });
});

describe("an unpaid week moved to less than 24 hours ahead is charged, not released unpaid", () => {
  for (const who of ["student", "tutor"] as const) {
    it(`${who} reschedules an unpaid week to 20 h ahead: it is charged and kept`, async () => {
      const tutor = await approvedTutor();
      const student = await fundedStudent(600);
      const booked = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(3 * 24 * 60), repeat: { weeks: 2 } });
      expect(booked.status).toBe(201);
      const week2: Occurrence = booked.json.series.occurrences[1];
      const actor = who === "student" ? student : tutor;
      expect((await actor.client.post(`/api/bookings/${week2.id}/reschedule`, { start: slotAhead(20 * 60) })).status).toBe(200);
      // The calendar's alarm, as it runs for a week due now.
      await drained(tutor.user.id);
      await settleWallet(student.user.id);
      const series = (await student.client.get(`/api/series/${booked.json.series.id}`)).json.series;
      expect(series.occurrences[1].status).toBe("confirmed");
      expect(series.occurrences[1].paymentDueAt).toBeUndefined();
      expect(await balance(student.client)).toBe(480);
    });
  }

  it("moving the rest of a series so an unpaid week lands 20 h ahead charges it and keeps it", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const booked = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(3 * 24 * 60), repeat: { weeks: 2 } });
    expect(booked.status).toBe(201);
    const series = booked.json.series as { id: string; occurrences: Occurrence[] };
    const moved = await moveRest(student.client, series.id, { from: series.occurrences[1]!.start, start: slotAhead(20 * 60) });
    expect(moved.status).toBe(200);
    expect(moved.json.kept).toEqual([]);
    await drained(tutor.user.id);
    await settleWallet(student.user.id);
    const after = (await student.client.get(`/api/series/${series.id}`)).json.series;
    expect(after.occurrences.map((o: Occurrence) => o.status)).toEqual(["confirmed", "confirmed"]);
    expect(await balance(student.client)).toBe(480);
  });

  it("still releases a week moved to 20 h ahead when the student cannot pay it", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const booked = await bookWeekly(student.client, { tutorId: tutor.user.id, start: slotAhead(3 * 24 * 60), repeat: { weeks: 2 } });
    expect(booked.status).toBe(201);
    const week2: Occurrence = booked.json.series.occurrences[1];
    expect((await student.client.post(`/api/bookings/${week2.id}/reschedule`, { start: slotAhead(20 * 60) })).status).toBe(200);
    await drained(tutor.user.id);
    const series = (await student.client.get(`/api/series/${booked.json.series.id}`)).json.series;
    expect(series.occurrences.map((o: Occurrence) => o.status)).toEqual(["confirmed", "cancelled"]);
    expect(await balance(student.client)).toBe(0);
    await expect.poll(async () => (await noticesOf(student.client)).some((n) => n.title.endsWith("released")), { timeout: 2000 }).toBe(true);
  });
});

describe("weekly lessons: moving the rest of a series", () => {
  it("tells the one who moved it in the first person and the other by the mover's name", async () => {
    const tutor = await approvedTutor();
    const s = await fundedStudent(600);
    const start = slotAhead(48 * 60);
    const booked = await bookWeekly(s.client, { tutorId: tutor.user.id, start, repeat: { weeks: 3 } });
    expect(booked.status).toBe(201);
    await drained(tutor.user.id);
    const moved = await s.client.post(`/api/series/${booked.json.series.id}/move`, { from: start, start: new Date(Date.parse(start) + HOUR).toISOString() });
    expect(moved.status).toBe(200);
    await drained(tutor.user.id);
    const mine = (await noticesOf(s.client)).find((n) => n.title.startsWith("Weekly Mathematics moved"));
    const theirs = (await noticesOf(tutor.client)).find((n) => n.title.startsWith("Weekly Mathematics moved"));
    expect(mine?.body).toMatch(/^You moved your weekly Mathematics lessons/);
    expect(theirs?.body).toMatch(/^Test Student moved your weekly Mathematics lessons/);
  });
});

describe("weekly lessons: the student's own confirmation", () => {
  it("speaks of the whole series and puts every week in the student's calendar with one invitation", async () => {
    const tutor = await approvedTutor();
    const s = await fundedStudent(600);
    const booked = await bookWeekly(s.client, { tutorId: tutor.user.id, start: slotAhead(48 * 60), repeat: { weeks: 3 } });
    expect(booked.status).toBe(201);
    await drained(tutor.user.id);
    const mails = (await env.DB.prepare("SELECT subject, text, attachments FROM email_outbox WHERE user_id = ?").bind(s.user.id).all<{ subject: string; text: string; attachments: string | null }>()).results;
    const confirmation = mails.find((m) => m.subject.startsWith("You're booked"));
    expect(confirmation?.text).toContain("Your weekly Mathematics lessons with Test Tutor are booked: 3 weeks, from ");
    expect(confirmation?.text).toContain("each later week's credits are taken 7 days before it.");
    const ics = AttachmentsSchema.parse(JSON.parse(confirmation!.attachments!))[0]!.content.replace(/\r\n[ \t]/g, "");
    const uids = [...ics.matchAll(/^UID:(.+)@tutorly$/gm)].map((m) => m[1]);
    expect(uids).toEqual(booked.json.series.occurrences.map((o: { id: string }) => o.id));
    expect([...ics.matchAll(/^DTSTART:(\d{8}T\d{6}Z)$/gm)]).toHaveLength(3);
  });
});
