import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { calendarOf } from "../../worker/lib/stubs";
import { Client, approvedTutor, fundedStudent, slotAhead } from "./helpers";
import { isConflictNotice, listen } from "./liveHelpers";

const HOUR = 3_600_000;

/** The error an RPC call fails with (`expect(rpc).rejects` leaves an unhandled rejection behind in workerd). */
async function failure(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (e) {
    return String(e);
  }
  return "resolved";
}
const slotsAround = async (tutorId: string, start: string, hours = 4) =>
  (await new Client().get(`/api/tutors/${tutorId}/slots?from=${start}&to=${new Date(Date.parse(start) + hours * HOUR).toISOString()}&duration=60`)).json.slots.map(
    (s: { start: string }) => s.start,
  ) as string[];

describe("TutorCalendar outside blocks", () => {
  it("takes blocked time out of the free slots and gives it back when removed", async () => {
    const tutor = await approvedTutor();
    const start = slotAhead(48 * 60);
    const cal = calendarOf(env, tutor.user.id);
    expect(await slotsAround(tutor.user.id, start)).toContain(start);
    await cal.upsertBlock({ tutorId: tutor.user.id, source: "calendly", block: { externalId: "inv-1", start: Date.parse(start), end: Date.parse(start) + HOUR, title: "Intro call" }, now: Date.now() });
    expect(await slotsAround(tutor.user.id, start)).not.toContain(start);
    expect(await cal.removeBlock({ tutorId: tutor.user.id, source: "calendly", externalId: "inv-1", now: Date.now() })).toEqual({ removed: true });
    expect(await slotsAround(tutor.user.id, start)).toContain(start);
  });

  it("replaces one source's blocks as a whole and leaves other sources alone", async () => {
    const tutor = await approvedTutor();
    const cal = calendarOf(env, tutor.user.id);
    const t0 = Date.parse(slotAhead(48 * 60));
    const now = Date.now();
    await cal.upsertBlock({ tutorId: tutor.user.id, source: "calendly", block: { externalId: "inv-1", start: t0, end: t0 + HOUR }, now });
    await cal.replaceBlocks({ tutorId: tutor.user.id, source: "ics:work", blocks: [1, 2, 3].map((i) => ({ externalId: `e${i}`, start: t0 + i * 2 * HOUR, end: t0 + (i * 2 + 1) * HOUR })), now });
    expect(await cal.blockCounts()).toEqual({ calendly: 1, "ics:work": 3 });
    await cal.replaceBlocks({ tutorId: tutor.user.id, source: "ics:work", blocks: [{ externalId: "e9", start: t0 + 20 * HOUR, end: t0 + 21 * HOUR, title: "Gym" }], now });
    expect(await cal.blocks("ics:work")).toEqual([{ externalId: "e9", start: new Date(t0 + 20 * HOUR).toISOString(), end: new Date(t0 + 21 * HOUR).toISOString(), title: "Gym" }]);
    expect(await cal.blockCounts()).toEqual({ calendly: 1, "ics:work": 1 });
  });

  it("refuses malformed arguments and changes nothing", async () => {
    const tutor = await approvedTutor();
    const cal = calendarOf(env, tutor.user.id);
    const t0 = Date.parse(slotAhead(48 * 60));
    const now = Date.now();
    await cal.replaceBlocks({ tutorId: tutor.user.id, source: "ics:work", blocks: [{ externalId: "ok", start: t0, end: t0 + HOUR }], now });
    const bad = [
      { source: "ics:work", blocks: [{ externalId: "ok", start: t0 }, { externalId: "backwards", start: t0 + HOUR, end: t0 }] },
      { source: "ics:work", blocks: [{ externalId: "", start: t0, end: t0 + HOUR }] },
      { source: "google", blocks: [] },
      { source: "ics:../../etc", blocks: [] },
    ];
    for (const b of bad) expect(await failure(cal.replaceBlocks({ tutorId: tutor.user.id, now, ...(b as any) }))).toMatch(/ZodError/);
    expect(await failure(cal.upsertBlock({ tutorId: tutor.user.id, source: "calendly", block: { externalId: "x", start: t0, end: t0 + 500 * 24 * HOUR }, now }))).toMatch(/ZodError/);
    expect(await cal.blockCounts()).toEqual({ "ics:work": 1 });
  });

  it("a block removed for good is not brought back by a late upsert", async () => {
    const tutor = await approvedTutor();
    const cal = calendarOf(env, tutor.user.id);
    const t0 = Date.parse(slotAhead(48 * 60));
    const now = Date.now();
    await cal.removeBlock({ tutorId: tutor.user.id, source: "calendly", externalId: "inv-late", now, forever: true });
    expect(await cal.upsertBlock({ tutorId: tutor.user.id, source: "calendly", block: { externalId: "inv-late", start: t0, end: t0 + HOUR }, now })).toEqual({ status: "ignored", conflicts: 0 });
    expect(await cal.blockCounts()).toEqual({});
  });

  it("records a block over a confirmed session as a conflict, keeps the block and tells the tutor once", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(120);
    const start = slotAhead(48 * 60);
    const booked = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start, durationMinutes: 60, subject: "mathematics" });
    expect(booked.status).toBe(201);
    const live = await listen(tutor.client);
    const cal = calendarOf(env, tutor.user.id);
    const block = { externalId: "dentist", start: Date.parse(start) + 30 * 60_000, end: Date.parse(start) + 90 * 60_000, title: "Dentist" };
    expect(await cal.replaceBlocks({ tutorId: tutor.user.id, source: "ics:personal", blocks: [block], now: Date.now() })).toEqual({ count: 1, conflicts: 1 });
    const note = await live.next(isConflictNotice);
    expect(note).toMatchObject({ title: expect.stringMatching(/^Calendar conflict: Mathematics, /), link: "/calendar-sync" });
    expect(note.body).toMatch(/^"Dentist" from your outside calendar overlaps your Mathematics session of /);
    // The next sync finds the same overlap: no second record, no second notification.
    expect(await cal.replaceBlocks({ tutorId: tutor.user.id, source: "ics:personal", blocks: [block], now: Date.now() })).toEqual({ count: 1, conflicts: 0 });
    const conflicts = await cal.conflicts();
    expect(conflicts).toEqual([
      expect.objectContaining({ source: "ics:personal", title: "Dentist", sessionId: booked.json.booking.id, sessionStart: start, subject: "mathematics" }),
    ]);
    expect(await cal.blockCounts()).toEqual({ "ics:personal": 1 });
    expect(await cal.dismissConflict(conflicts[0]!.id, Date.now())).toBe(true);
    expect(await cal.conflicts()).toEqual([]);
    live.close();
  });

  it("resolves a conflict by itself when the outside block goes away", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(120);
    const start = slotAhead(48 * 60);
    expect((await student.client.post("/api/bookings", { tutorId: tutor.user.id, start, durationMinutes: 60, subject: "mathematics" })).status).toBe(201);
    const cal = calendarOf(env, tutor.user.id);
    await cal.replaceBlocks({ tutorId: tutor.user.id, source: "ics:personal", blocks: [{ externalId: "gym", start: Date.parse(start), end: Date.parse(start) + HOUR }], now: Date.now() });
    expect(await cal.conflicts()).toHaveLength(1);
    await cal.replaceBlocks({ tutorId: tutor.user.id, source: "ics:personal", blocks: [], now: Date.now() });
    expect(await cal.conflicts()).toEqual([]);
  });
});
