import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ServerMessage } from "../../domain/protocol";
import type { TutorCalendar } from "../../durable-objects/TutorCalendar";
import { accountOf, calendarOf } from "../../worker/lib/stubs";
import { Client, approvedTutor, drained, fundedStudent, signup, slotAhead } from "./helpers";
import { listen } from "./liveHelpers";

type State = "open" | "closed";

/** Waits until `read` answers `want` (a closing tab is told after the socket's close handshake). */
async function until(read: () => Promise<State>, want: State) {
  let last: State = "closed";
  for (let i = 0; i < 100; i++) {
    last = await read();
    if (last === want) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`still ${last}, wanted ${want}`);
}

type BookingChanged = Extract<ServerMessage, { type: "booking.changed" }>;
/** The live event of booking `id`. */
const bookingEvent = (id: string) => (m: ServerMessage): m is BookingChanged => m.type === "booking.changed" && m.booking.id === id;
const isCredits = (m: ServerMessage): m is Extract<ServerMessage, { type: "credits.changed" }> => m.type === "credits.changed";
const isNotice = (m: ServerMessage): m is Extract<ServerMessage, { type: "notification" }> => m.type === "notification";
const book = (client: Client, tutorId: string, minutesAhead: number) =>
  client.post("/api/bookings", { tutorId, start: slotAhead(minutesAhead), durationMinutes: 60, subject: "mathematics" });

describe("live events go only to people with a tab open", () => {
  it("a student's account knows when their first tab opens and their last one closes", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const account = accountOf(env, student.user.id);
    const first = await listen(student.client);
    expect(await account.presenceState()).toBe("open");
    const second = await listen(student.client);
    first.close();
    // One tab is still open: it keeps hearing of bookings and credits.
    await new Promise((r) => setTimeout(r, 100));
    expect(await account.presenceState()).toBe("open");
    const { json } = await book(student.client, tutor.user.id, 48 * 60);
    expect((await second.next(bookingEvent(json.booking.id))).change).toBe("booked");
    expect(await second.next(isCredits)).toEqual({ type: "credits.changed", balanceMinutes: 540 });
    second.close();
    await until(() => account.presenceState(), "closed");
  });

  it("a student who comes back hears the next booking and its credits again", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const account = accountOf(env, student.user.id);
    (await listen(student.client)).close();
    await until(() => account.presenceState(), "closed");
    // With no tab open nothing is pushed: the account stays sure of it.
    await book(student.client, tutor.user.id, 48 * 60);
    await drained(tutor.user.id);
    expect(await account.presenceState()).toBe("closed");
    const back = await listen(student.client);
    expect(await account.presenceState()).toBe("open");
    const { json } = await book(student.client, tutor.user.id, 72 * 60);
    expect((await back.next(bookingEvent(json.booking.id))).change).toBe("booked");
    expect(await back.next(isCredits)).toEqual({ type: "credits.changed", balanceMinutes: 480 });
    back.close();
  });

  it("a tutor's calendar knows whether the tutor has a tab open: their booking events and notices reach it while one is", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const calendar = calendarOf(env, tutor.user.id);
    const tab = await listen(tutor.client);
    expect(await calendar.presenceState()).toBe("open");
    const { json } = await book(student.client, tutor.user.id, 48 * 60);
    expect((await tab.next(bookingEvent(json.booking.id))).change).toBe("booked");
    expect((await tab.next(isNotice)).link).toBe(`/sessions/${json.booking.id}`);
    tab.close();
    await until(() => calendar.presenceState(), "closed");
    await book(student.client, tutor.user.id, 72 * 60);
    await drained(tutor.user.id);
    expect(await calendar.presenceState()).toBe("closed");
  });

  it("a change reaches the tutor's outbox as a live event only while they have a tab open (nothing is queued, run and deleted for nobody)", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const { json } = await book(student.client, tutor.user.id, 48 * 60);
    await drained(tutor.user.id);
    const calendar = calendarOf(env, tutor.user.id);
    /** The live events the calendar queues for its tutor when it announces the booking again (read before they run). */
    const queuedForTutor = () =>
      runInDurableObject(calendar, (instance: TutorCalendar, state) => {
        const announce = (instance as unknown as { announce(b: unknown, change: string, userIds: string[]): void }).announce.bind(instance);
        announce(json.booking, "booked", [tutor.user.id]);
        return state.storage.sql.exec("SELECT payload FROM effects WHERE kind = 'notify'").toArray().filter((r) => String(r.payload).includes(`"userId":"${tutor.user.id}"`)).length;
      });
    expect(await calendar.presenceState()).toBe("closed");
    expect(await queuedForTutor()).toBe(0);
    await drained(tutor.user.id);
    await calendar.setPresence(true);
    expect(await queuedForTutor()).toBe(1);
    await drained(tutor.user.id);
  });

  it("signing out the only device counts as closing the tab", async () => {
    const { client, user } = await signup("student");
    await listen(client);
    expect(await accountOf(env, user.id).presenceState()).toBe("open");
    expect((await client.post("/api/auth/logout")).status).toBe(204);
    await until(() => accountOf(env, user.id).presenceState(), "closed");
  });

  it("an account that wrongly believes a tab is open learns otherwise from the first push that reaches none", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const account = accountOf(env, student.user.id);
    // As after a restart that dropped the sockets without their close being told.
    await account.setPresence(true);
    await book(student.client, tutor.user.id, 48 * 60);
    await drained(tutor.user.id);
    await until(() => account.presenceState(), "closed");
  });
  it("a student's wallet tells the calendar, as it pays, whether the student has a tab open (a booking's event is not sent to nobody)", async () => {
    const student = await fundedStudent(600);
    const account = accountOf(env, student.user.id);
    const spend = (n: number) => {
      const start = Date.now() + (48 + n) * 3_600_000;
      return account.reserve({ studentId: student.user.id, reservationId: `tabs-${n}`, sessionId: `tabs-${n}`, tutorId: "t", start, end: start + 3_600_000, cost: 60, now: Date.now() });
    };
    expect(await spend(1)).toMatchObject({ ok: true, tabs: false });
    const tab = await listen(student.client);
    expect(await spend(2)).toMatchObject({ ok: true, tabs: true });
    // A repeat of a spend answers the same, with how things are now.
    tab.close();
    await until(() => account.presenceState(), "closed");
    expect(await spend(2)).toMatchObject({ ok: true, tabs: false });
  });
});
