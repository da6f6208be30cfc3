import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { chargeAt, releaseAt } from "../../domain/series";
import { calendarOf } from "../../worker/lib/stubs";
import { ALL_WEEK, type Client, approvedTutor, balance, drained, fundedStudent, mondayBeforeClockChange, settleWallet, signup, slotAhead } from "./helpers";

const WEEK = 7 * 86_400_000;
const HOUR = 3_600_000;
type Tutor = Awaited<ReturnType<typeof approvedTutor>>;
type Occurrence = { id: string; start: string; status: string; kind: string; seriesId?: string; paymentDueAt?: string; seatsTaken?: number };

/** The tutor opens a group session of `seats` seats at `start` (mathematics, 60 min); its id and seat price. */
async function openGroup(tutor: Tutor, start: string | number, seats: number) {
  const at = typeof start === "number" ? new Date(start).toISOString() : start;
  const res = await tutor.client.post("/api/tutors/me/group-sessions", { start: at, durationMinutes: 60, subject: "mathematics", seats }, { "Idempotency-Key": crypto.randomUUID() });
  expect(res.status).toBe(201);
  return { id: res.json.booking.id as string, price: res.json.booking.creditsMinutes as number };
}

const weeklySeat = (client: Client, tutorId: string, start: string, weeks: number, key = crypto.randomUUID()) =>
  client.post("/api/bookings", { tutorId, start, durationMinutes: 60, subject: "mathematics", group: true, repeat: { weeks } }, { "Idempotency-Key": key });
const oneSeat = (client: Client, tutorId: string, start: string | number, key = crypto.randomUUID()) =>
  client.post("/api/bookings", { tutorId, start: typeof start === "number" ? new Date(start).toISOString() : start, durationMinutes: 60, subject: "mathematics", group: true }, { "Idempotency-Key": key });
const seatHolders = async (tutorId: string, id: string) =>
  (await calendarOf(env, tutorId).getSession(id))!.booking.participants!.filter((p) => p.status === "confirmed").map((p) => p.studentId);
const chargeAtTime = async (tutorId: string, at: number) => {
  await calendarOf(env, tutorId).chargeDueSeries(at);
  await drained(tutorId);
};
const noticesOf = async (client: Client) => (await client.get("/api/notifications")).json.notifications as { title: string; body: string; link?: string }[];

describe("weekly group seats: POST /api/bookings with group and repeat", () => {
  it("takes a seat in each week's group at that time; full weeks and weeks without a group are reported with the groups free that day", async () => {
    const tutor = await approvedTutor();
    // 10:00 in the tutor's zone (UTC) two days ahead, so the later group (2 h after) is on the same day whenever this runs.
    const ahead = new Date(Date.now() + 2 * 86_400_000);
    const t0 = Date.UTC(ahead.getUTCFullYear(), ahead.getUTCMonth(), ahead.getUTCDate(), 10);
    const start = new Date(t0).toISOString();
    const g1 = await openGroup(tutor, t0, 3);
    const g2 = await openGroup(tutor, t0 + WEEK, 3);
    const g3 = await openGroup(tutor, t0 + 2 * WEEK, 2);
    const g3later = await openGroup(tutor, t0 + 2 * WEEK + 2 * HOUR, 3);
    // Week 3's group is full; week 4 has no group at that time.
    for (const other of [await fundedStudent(600), await fundedStudent(600)]) expect((await oneSeat(other.client, tutor.user.id, t0 + 2 * WEEK)).status).toBe(201);

    const student = await fundedStudent(600);
    const res = await weeklySeat(student.client, tutor.user.id, start, 4);
    expect(res.status).toBe(201);
    const series = res.json.series;
    const weeks: Occurrence[] = series.occurrences;
    expect(weeks.map((o) => [o.id, o.kind, o.start])).toEqual([
      [g1.id, "group", start],
      [g2.id, "group", new Date(t0 + WEEK).toISOString()],
    ]);
    expect(weeks.every((o) => o.status === "confirmed" && o.seriesId === series.id)).toBe(true);
    expect(series.skipped.map((s: { start: string }) => s.start)).toEqual([new Date(t0 + 2 * WEEK).toISOString(), new Date(t0 + 3 * WEEK).toISOString()]);
    expect(series.skipped[0].alternatives).toEqual([new Date(t0 + 2 * WEEK + 2 * HOUR).toISOString()]);
    expect(series.skipped[1].alternatives).toEqual([]);
    expect(g3.id && g3later.id).toBeTruthy();

    // The first week is within 7 days: paid now. The second is due 7 days before it, and its seat is held already.
    expect(weeks[0]!.paymentDueAt).toBeUndefined();
    expect(weeks[1]!.paymentDueAt).toBe(new Date(chargeAt(t0 + WEEK)).toISOString());
    expect(await balance(student.client)).toBe(600 - g1.price);
    expect(await seatHolders(tutor.user.id, g2.id)).toEqual([student.user.id]);
    // A seat of hers already: booking it again directly changes nothing, and spends nothing.
    expect((await oneSeat(student.client, tutor.user.id, t0 + WEEK)).status).toBe(201);
    expect(await balance(student.client)).toBe(600 - g1.price);
    expect((await tutor.client.get(`/api/series/${series.id}`)).json.series.occurrences).toHaveLength(2);
    await drained(tutor.user.id);
    for (const who of [student, tutor]) {
      await expect.poll(async () => (await noticesOf(who.client)).some((n) => n.title.includes("not booked")), { timeout: 3000 }).toBe(true);
    }
  });

  it("refuses a series whose first week's group is full, or is not there, and keeps no seat", async () => {
    const tutor = await approvedTutor();
    const start = slotAhead(2 * 24 * 60);
    const g1 = await openGroup(tutor, start, 2);
    await openGroup(tutor, Date.parse(start) + WEEK, 2);
    const [first, second] = [await fundedStudent(600), await fundedStudent(600)];
    for (const s of [first, second]) expect((await oneSeat(s.client, tutor.user.id, start)).status).toBe(201);
    const student = await fundedStudent(600);
    const full = await weeklySeat(student.client, tutor.user.id, start, 2);
    expect(full.status).toBe(409);
    expect(full.json.error).toMatchObject({ code: "slot_unavailable" });
    const none = await weeklySeat(student.client, tutor.user.id, slotAhead(3 * 24 * 60), 2);
    expect(none.status).toBe(409);
    expect(await balance(student.client)).toBe(600);
    expect(await seatHolders(tutor.user.id, g1.id)).toEqual([first.user.id, second.user.id]);
  });

  it("keeps the tutor's wall-clock time across DST: 09:00 New York groups the Mondays before and after its clock change", async () => {
    const zone = "America/New_York";
    const tutor = await approvedTutor({ timezone: zone, availability: ALL_WEEK(zone, { horizonDays: 365 }) });
    // 09:00 New York on the Monday before its next clock change and the two after (e.g. March 8 2027 at 14:00Z, then
    // March 15 and 22 at 13:00Z), more than 8 days ahead so no week is due yet.
    const [week1, week2, week3] = [0, 1, 2].map((w) => mondayBeforeClockChange(zone, 9).plus({ weeks: w }).set({ hour: 9 }).toUTC().toISO()!) as [string, string, string];
    const sameInstantAsWeek1 = new Date(Date.parse(week1) + 2 * WEEK).toISOString();
    expect(Math.abs(Date.parse(week3) - Date.parse(sameInstantAsWeek1))).toBe(HOUR);
    const before = await openGroup(tutor, week1, 3);
    const after = await openGroup(tutor, week2, 3);
    // A group at week 1's UTC time of day is an hour off 09:00 for the tutor: not this series' week.
    await openGroup(tutor, sameInstantAsWeek1, 3);
    const student = await fundedStudent(600);
    const res = await weeklySeat(student.client, tutor.user.id, week1, 3);
    expect(res.status).toBe(201);
    expect(res.json.series.occurrences.map((o: Occurrence) => [o.id, o.start])).toEqual([
      [before.id, week1],
      [after.id, week2],
    ]);
    expect(res.json.series.skipped.map((s: { start: string }) => s.start)).toEqual([week3]);
    expect(res.json.series.skipped[0].alternatives).toEqual([sameInstantAsWeek1]);
    expect(await balance(student.client)).toBe(600);
  });

  it("takes a week's credits 7 days before it; unpaid 24 h before, the seat is released and offered to the first in line", async () => {
    const tutor = await approvedTutor();
    const start = slotAhead(2 * 24 * 60);
    const t0 = Date.parse(start);
    const g1 = await openGroup(tutor, t0, 2);
    const g2 = await openGroup(tutor, t0 + WEEK, 2);
    const g3 = await openGroup(tutor, t0 + 2 * WEEK, 2);
    const student = await fundedStudent(2 * g1.price);
    expect((await weeklySeat(student.client, tutor.user.id, start, 3)).status).toBe(201);
    expect(await balance(student.client)).toBe(g1.price);

    // Week 2: taken at 7 days before, not a minute earlier.
    await chargeAtTime(tutor.user.id, chargeAt(t0 + WEEK) - 60_000);
    expect(await balance(student.client)).toBe(g1.price);
    await chargeAtTime(tutor.user.id, chargeAt(t0 + WEEK));
    expect(await balance(student.client)).toBe(g1.price - g2.price);
    await chargeAtTime(tutor.user.id, chargeAt(t0 + WEEK) + HOUR);
    expect(await balance(student.client)).toBe(g1.price - g2.price);

    // Week 3 cannot be covered (she bought two weeks): she is asked to top up, and Leo waits in line.
    const leo = await fundedStudent(600);
    const mia = await fundedStudent(600);
    expect((await oneSeat(mia.client, tutor.user.id, t0 + 2 * WEEK)).status).toBe(201);
    expect((await leo.client.post(`/api/group-sessions/${g3.id}/waitlist`, {}, { "Idempotency-Key": crypto.randomUUID() })).status).toBe(201);
    await chargeAtTime(tutor.user.id, chargeAt(t0 + 2 * WEEK));
    await expect.poll(async () => (await noticesOf(student.client)).find((n) => n.title.startsWith("Top up"))?.link, { timeout: 3000 }).toBe("/credits");
    await chargeAtTime(tutor.user.id, releaseAt(t0 + 2 * WEEK) - 60_000);
    expect(await seatHolders(tutor.user.id, g3.id)).toContain(student.user.id);
    await chargeAtTime(tutor.user.id, releaseAt(t0 + 2 * WEEK));
    // Released: her seat only (the group goes on), nothing spent, and the seat is held for Leo at once.
    expect(await seatHolders(tutor.user.id, g3.id)).toEqual([mia.user.id]);
    const series = (await student.client.get("/api/bookings")).json.bookings as { id: string; status: string }[];
    expect(series.find((b) => b.id === g3.id)?.status).not.toBe("confirmed");
    expect((await leo.client.get(`/api/group-sessions/${g3.id}/waitlist`)).json.waitlist).toMatchObject({ status: "offered", position: 1 });
    await settleWallet(student.user.id);
    expect(await balance(student.client)).toBe(g1.price - g2.price);
    await expect.poll(async () => (await noticesOf(student.client)).some((n) => n.title.endsWith("released")), { timeout: 3000 }).toBe(true);
  });

  it("cancels one week (her seat, the group goes on) and then the rest, under the normal policy", async () => {
    const tutor = await approvedTutor();
    const start = slotAhead(2 * 24 * 60);
    const t0 = Date.parse(start);
    const groups = [await openGroup(tutor, t0, 3), await openGroup(tutor, t0 + WEEK, 3), await openGroup(tutor, t0 + 2 * WEEK, 3)];
    const student = await fundedStudent(600);
    const other = await fundedStudent(600);
    expect((await oneSeat(other.client, tutor.user.id, t0 + WEEK)).status).toBe(201);
    const res = await weeklySeat(student.client, tutor.user.id, start, 3);
    const id: string = res.json.series.id;
    expect(await balance(student.client)).toBe(600 - groups[0]!.price);

    // Week 2, not paid yet: her seat goes, nothing is refunded or spent; the other student keeps his.
    const one = await student.client.post(`/api/bookings/${groups[1]!.id}/cancel`, {});
    expect(one.status).toBe(200);
    expect(await seatHolders(tutor.user.id, groups[1]!.id)).toEqual([other.user.id]);
    await chargeAtTime(tutor.user.id, chargeAt(t0 + WEEK));
    expect(await balance(student.client)).toBe(600 - groups[0]!.price);

    // The rest, the paid first week included (≥ 24 h ahead: refunded). The groups themselves stay open.
    const rest = await student.client.post(`/api/series/${id}/cancel`, {});
    expect(rest.status).toBe(200);
    expect(rest.json.series.status).toBe("cancelled");
    expect(rest.json.series.occurrences.map((o: Occurrence) => o.status)).toEqual(["cancelled", "cancelled", "cancelled"]);
    await drained(tutor.user.id);
    await settleWallet(student.user.id);
    expect(await balance(student.client)).toBe(600);
    for (const g of groups) expect(await seatHolders(tutor.user.id, g.id)).not.toContain(student.user.id);
    const tutorSide = (await tutor.client.get(`/api/series/${id}`)).json.series;
    expect(tutorSide.occurrences).toHaveLength(3);
    expect((await calendarOf(env, tutor.user.id).getSession(groups[0]!.id))!.booking.status).toBe("confirmed");
  });

  it("a tutor cancelling a week's group offers a replacement for the seats paid, and lets an unpaid weekly seat go with nothing to accept", async () => {
    const tutor = await approvedTutor();
    const start = slotAhead(2 * 24 * 60);
    const t0 = Date.parse(start);
    const groups = [await openGroup(tutor, t0, 3), await openGroup(tutor, t0 + WEEK, 3)];
    const weekly = await fundedStudent(600);
    const single = await fundedStudent(600);
    const res = await weeklySeat(weekly.client, tutor.user.id, start, 2);
    expect(res.status).toBe(201);
    expect((await oneSeat(single.client, tutor.user.id, t0 + WEEK)).status).toBe(201);
    const before = await balance(weekly.client);

    // Week 2 (nine days ahead) is not paid yet; the single seat beside it is.
    expect((await tutor.client.post(`/api/bookings/${groups[1]!.id}/cancel`, { reason: "away" })).status).toBe(200);
    await drained(tutor.user.id);
    await settleWallet(weekly.user.id);
    await settleWallet(single.user.id);
    expect((await single.client.get("/api/offers")).json.offers).toHaveLength(1);
    expect((await weekly.client.get("/api/offers")).json.offers).toEqual([]);
    expect((await noticesOf(weekly.client)).filter((n) => / cancelled Mathematics, /.test(n.title))).toHaveLength(1);
    // Nothing is taken for the week later, and nothing came back that was never paid.
    await chargeAtTime(tutor.user.id, chargeAt(t0 + WEEK));
    expect(await balance(weekly.client)).toBe(before);
    const week2 = (await weekly.client.get(`/api/series/${res.json.series.id}`)).json.series.occurrences[1] as Occurrence;
    expect(week2.status).toBe("cancelled");
    expect(week2.paymentDueAt).toBeUndefined();
  });

  it("races weekly seats, single seats and a waitlist confirmation for one group: no seat sold twice, credits conserved", async () => {
    const tutor = await approvedTutor();
    const start = slotAhead(2 * 24 * 60);
    const t0 = Date.parse(start);
    const g = await openGroup(tutor, t0, 3);
    const g2 = await openGroup(tutor, t0 + WEEK, 3);
    const [a, b, y] = [await fundedStudent(600), await fundedStudent(600), await fundedStudent(600)];
    const bookings: Record<string, string> = {};
    for (const s of [a, b, y]) bookings[s.user.id] = (await oneSeat(s.client, tutor.user.id, start)).json.booking.id;
    const cleo = await fundedStudent(600);
    expect((await cleo.client.post(`/api/group-sessions/${g.id}/waitlist`, {}, { "Idempotency-Key": crypto.randomUUID() })).status).toBe(201);
    // A leaves: the seat is held for Cleo. Y leaves: the line is empty, so that seat is free for anyone.
    expect((await a.client.post(`/api/bookings/${g.id}/cancel`, {})).status).toBe(200);
    expect((await y.client.post(`/api/bookings/${g.id}/cancel`, {})).status).toBe(200);

    const weekly = await Promise.all([0, 1, 2].map(() => fundedStudent(600)));
    const single = await Promise.all([0, 1, 2].map(() => fundedStudent(600)));
    // Cleo's confirmation is sent last: the seat held for her must still be hers.
    const answers = await Promise.all([
      ...weekly.map((s) => weeklySeat(s.client, tutor.user.id, start, 2)),
      ...single.map((s) => oneSeat(s.client, tutor.user.id, start)),
      oneSeat(cleo.client, tutor.user.id, start),
    ]);
    expect(answers.at(-1)!.status).toBe(201);
    const rivals = answers.slice(0, -1);
    expect(rivals.filter((r) => r.status === 201)).toHaveLength(1);
    expect(rivals.filter((r) => r.status !== 201).every((r) => r.status === 409)).toBe(true);

    // Three seats, three students: B, Cleo and the one winner; nobody twice.
    const holders = await seatHolders(tutor.user.id, g.id);
    const everyone = [...weekly, ...single];
    const winner = everyone[rivals.findIndex((r) => r.status === 201)]!;
    expect(holders.sort()).toEqual([b.user.id, cleo.user.id, winner.user.id].sort());
    // Credits: each paid once for what they hold, the losers nothing; a weekly winner also holds next week unpaid.
    await drained(tutor.user.id);
    for (const s of [...everyone, cleo]) await settleWallet(s.user.id);
    expect(await balance(cleo.client)).toBe(600 - g.price);
    for (const s of everyone) expect(await balance(s.client)).toBe(s === winner ? 600 - g.price : 600);
    const nextWeek = await seatHolders(tutor.user.id, g2.id);
    expect(nextWeek).toEqual(weekly.includes(winner) ? [winner.user.id] : []);
  });

  it("only students, and only with a group at that time; a stranger cannot read the series", async () => {
    const tutor = await approvedTutor();
    const start = slotAhead(2 * 24 * 60);
    await openGroup(tutor, start, 2);
    const student = await fundedStudent(600);
    const res = await weeklySeat(student.client, tutor.user.id, start, 2);
    expect(res.status).toBe(201);
    const stranger = await fundedStudent(0);
    expect((await stranger.client.get(`/api/series/${res.json.series.id}`)).status).toBe(404);
    expect((await stranger.client.post(`/api/series/${res.json.series.id}/cancel`, {})).status).toBe(404);
    const asTutor = await signup("tutor");
    expect((await weeklySeat(asTutor.client, tutor.user.id, start, 2)).status).toBe(403);
  });

  it("refuses to move the rest of a weekly group seat (400 series_is_group: its weeks follow the groups' times)", async () => {
    const tutor = await approvedTutor();
    const start = slotAhead(2 * 24 * 60);
    await openGroup(tutor, start, 3);
    const student = await fundedStudent(600);
    const res = await weeklySeat(student.client, tutor.user.id, start, 1);
    const moved = await student.client.post(`/api/series/${res.json.series.id}/move`, { from: start, start: new Date(Date.parse(start) + HOUR).toISOString() });
    expect(moved.status).toBe(400);
    expect(moved.json.error.code).toBe("series_is_group");
  });
});
