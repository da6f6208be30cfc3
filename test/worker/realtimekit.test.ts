import { createExecutionContext, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { app } from "../../worker/index";
import { FAKE_REALTIME, type RecordedRealtimeRequest } from "../fakes/realtimekit";
import { ROOM_CLOSE } from "../../domain/video/protocol";
import { calendarOf } from "../../worker/lib/stubs";
import { Client, ORIGIN, adminClient, approvedTutor, drained, fundedStudent, slotAhead } from "./helpers";
import { bookedSession, groupSession, moveBooking, openRoom } from "./videoHelpers";

/** The Worker with RealtimeKit switched on against the wire fake (vitest.config.ts points REALTIME_API_BASE at it). */
const realtimeEnv = (extra: Partial<Env> = {}) =>
  ({ ...env, VIDEO_PROVIDER: "realtimekit", REALTIME_ACCOUNT_ID: FAKE_REALTIME.accountId, REALTIME_APP_ID: FAKE_REALTIME.appId, REALTIME_API_TOKEN: FAKE_REALTIME.apiToken, ...extra }) as Env;

/** The same signed-in user, talking to the Worker with `e`. */
function as(client: Client, e: Env = realtimeEnv()): Client {
  const c = new Client(ORIGIN, (req) => app.fetch(req, e, createExecutionContext()) as Promise<Response>);
  c.cookie = client.cookie;
  return c;
}

const fakeBase = () => env.REALTIME_API_BASE!.replace(/\/client\/v4$/, "");
async function fake<T = unknown>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(fakeBase() + path, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) });
  return (await res.json()) as T;
}
type FakeMeeting = { id: string; title: string; participants: { id: string; custom_participant_id: string; preset_name: string; name: string; token: string }[] };
/** The fake's meetings for one booking (their titles name it). */
const meetingsOf = async (bookingId: string) => (await fake<FakeMeeting[]>("/__meetings")).filter((m) => m.title.includes(bookingId));
const requestsFor = async (meetingId: string) => (await fake<RecordedRealtimeRequest[]>("/__requests")).filter((r) => r.path.includes(meetingId));
const join = (client: Client, id: string) => client.post(`/api/bookings/${id}/join`);

beforeEach(async () => {
  await fake("/__create-delay", { ms: 0 });
  await fake("/__fail-next", { count: 0 });
});

describe("the realtimekit provider", () => {
  it("is off when peer-to-peer is chosen: rooms use the local provider", async () => {
    const { student, bookingId } = await bookedSession();
    const res = await join(as(student.client, { ...env, VIDEO_PROVIDER: "p2p" } as Env), bookingId);
    expect(res.json.provider).toBe("local");
    expect(await meetingsOf(bookingId)).toEqual([]);
  });

  it("creates the booking's meeting on the first join and adds the tutor as host and the student as participant", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    const host = await join(as(tutor.client), bookingId);
    expect(host.status).toBe(200);
    const [meeting] = await meetingsOf(bookingId);
    expect(meeting!.title).toBe(`Tutorly · mathematics · ${bookingId}`);
    expect(host.json).toMatchObject({
      provider: "realtimekit",
      role: "host",
      realtimekit: { meetingId: meeting!.id, participantId: meeting!.participants[0]!.id, authToken: meeting!.participants[0]!.token, presetName: "group_call_host" },
      room: { path: `/api/bookings/${bookingId}/room`, ticket: expect.any(String) },
    });
    expect(host.json.local).toBeUndefined();

    const guest = await join(as(student.client), bookingId);
    expect(guest.json).toMatchObject({ provider: "realtimekit", role: "participant", realtimekit: { meetingId: meeting!.id, presetName: "group_call_participant" } });
    const [after] = await meetingsOf(bookingId);
    expect(after!.participants.map((p) => [p.custom_participant_id, p.preset_name, p.name])).toEqual([
      [tutor.user.id, "group_call_host", "Test Tutor"],
      [student.user.id, "group_call_participant", "Test Student"],
    ]);
    expect(guest.json.realtimekit.authToken).toBe(after!.participants[1]!.token);
  });

  it("keeps one participant per user: joining again refreshes their token", async () => {
    const { student, bookingId } = await bookedSession();
    const first = await join(as(student.client), bookingId);
    const second = await join(as(student.client), bookingId);
    expect(second.json.realtimekit.participantId).toBe(first.json.realtimekit.participantId);
    expect(second.json.realtimekit.authToken).not.toBe(first.json.realtimekit.authToken);
    const [meeting] = await meetingsOf(bookingId);
    expect(meeting!.participants).toHaveLength(1);
    expect(meeting!.participants[0]!.token).toBe(second.json.realtimekit.authToken);
    expect((await requestsFor(meeting!.id)).map((r) => r.path.replace(meeting!.id, ":meeting").replace(first.json.realtimekit.participantId, ":participant"))).toEqual([
      `/client/v4/accounts/${FAKE_REALTIME.accountId}/realtime/kit/${FAKE_REALTIME.appId}/meetings/:meeting/participants`,
      `/client/v4/accounts/${FAKE_REALTIME.accountId}/realtime/kit/${FAKE_REALTIME.appId}/meetings/:meeting/participants/:participant/token`,
    ]);
  });

  it("creates a single meeting when the tutor (from two tabs) and the student join at the same moment", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    // A slow meeting creation widens the window in which a second creation could slip in.
    await fake("/__create-delay", { ms: 300 });
    const results = await Promise.all([join(as(tutor.client), bookingId), join(as(student.client), bookingId), join(as(tutor.client), bookingId)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const meetings = await meetingsOf(bookingId);
    expect(meetings).toHaveLength(1);
    expect(new Set(results.map((r) => r.json.realtimekit.meetingId))).toEqual(new Set([meetings[0]!.id]));
    expect(meetings[0]!.participants.map((p) => p.custom_participant_id).sort()).toEqual([tutor.user.id, student.user.id].sort());
  });

  it("uses the preset names from settings", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    const e = realtimeEnv({ REALTIME_HOST_PRESET: "tutorly_host", REALTIME_PARTICIPANT_PRESET: "tutorly_student" });
    expect((await join(as(tutor.client, e), bookingId)).json.realtimekit.presetName).toBe("tutorly_host");
    expect((await join(as(student.client, e), bookingId)).json.realtimekit.presetName).toBe("tutorly_student");
    const [meeting] = await meetingsOf(bookingId);
    expect(meeting!.participants.map((p) => p.preset_name)).toEqual(["tutorly_host", "tutorly_student"]);
  });

  it("answers 503 video_unavailable when RealtimeKit fails, and works on the next try", async () => {
    const { student, bookingId } = await bookedSession();
    await fake("/__fail-next", { count: 1 });
    const failed = await join(as(student.client), bookingId);
    expect(failed.status).toBe(503);
    expect(failed.json.error.code).toBe("video_unavailable");
    const retried = await join(as(student.client), bookingId);
    expect(retried.status).toBe(200);
    expect(await meetingsOf(bookingId)).toHaveLength(1);
  });

  it("answers 503 when the API token is refused, without leaking it", async () => {
    const { student, bookingId } = await bookedSession();
    const res = await join(as(student.client, realtimeEnv({ REALTIME_API_TOKEN: "wrong-token" })), bookingId);
    expect(res.status).toBe(503);
    expect(res.text).not.toContain("wrong-token");
  });

  it("checks the participant and the window before calling RealtimeKit", async () => {
    const { bookingId } = await bookedSession();
    const outsider = await fundedStudent(0);
    expect((await join(as(outsider.client), bookingId)).status).toBe(403);
    const early = await bookedSession({ startsInMinutes: 30 });
    expect((await join(as(early.tutor.client), early.bookingId)).json.error.code).toBe("outside_session_window");
    expect(await meetingsOf(bookingId)).toEqual([]);
    expect(await meetingsOf(early.bookingId)).toEqual([]);
  });

  it("still admits the participant to the room socket for chat and presence", async () => {
    const { student, bookingId } = await bookedSession();
    const client = as(student.client);
    const res = await join(client, bookingId);
    const opened = await openRoom(client, bookingId, res.json.room.ticket);
    expect(opened.status).toBe(101);
    expect((await opened.room!.next("welcome")).self.userId).toBe(student.user.id);
    opened.room!.ws.close();
  });
});

describe("leaving a RealtimeKit meeting for good", () => {
  /** The meeting's REST calls after the joins, with ids replaced by names. */
  const callsAfterJoin = async (meetingId: string, names: Record<string, string>) =>
    (await requestsFor(meetingId))
      .filter((r) => r.method === "DELETE" || r.path.includes("/active-session/"))
      .map((r) => {
        let path = r.path.replace(`/client/v4/accounts/${FAKE_REALTIME.accountId}/realtime/kit/${FAKE_REALTIME.appId}/meetings/${meetingId}`, "");
        for (const [id, name] of Object.entries(names)) path = path.replace(id, name);
        return `${r.method} ${path}${r.method === "POST" ? ` ${JSON.stringify(r.body)}` : ""}`;
      });

  it("a student whose seat is cancelled while the room is open is deleted from the meeting and disconnected", async () => {
    // The room is open (five minutes before the start), and students may still cancel until the start.
    const { tutor, students: [a, b], id } = await groupSession({ students: 2, startsInMinutes: 5 });
    expect((await join(as(tutor.client), id)).status).toBe(200);
    expect((await join(as(a.client), id)).status).toBe(200);
    const leaving = await join(as(b.client), id);
    const participantId: string = leaving.json.realtimekit.participantId;
    const [meeting] = await meetingsOf(id);

    expect((await b.client.post(`/api/bookings/${id}/cancel`, {})).status).toBe(200);
    await drained(tutor.user.id); // the room hears of the lost seat after the answer
    expect(await callsAfterJoin(meeting!.id, { [participantId]: ":b" })).toEqual([
      "DELETE /participants/:b",
      `POST /active-session/kick {"custom_participant_ids":["${b.user.id}"],"participant_ids":[]}`,
    ]);
    const [after] = await meetingsOf(id);
    expect(after!.participants.map((p) => p.custom_participant_id).sort()).toEqual([tutor.user.id, a.user.id].sort());
  });

  it.each(["student", "tutor"] as const)("a 1:1 its %s cancels while the room is open: every participant is deleted from the meeting and kicked at once", async (who) => {
    const { tutor, student, bookingId } = await bookedSession({ startsInMinutes: 5 });
    const hostJoin = await join(as(tutor.client), bookingId);
    const guestJoin = await join(as(student.client), bookingId);
    const host = await openRoom(as(tutor.client), bookingId, hostJoin.json.room.ticket);
    await host.room!.next("welcome");
    // A second tab's ticket, issued before the cancel and not used yet.
    const spare = await join(as(tutor.client), bookingId);
    const meetingId: string = hostJoin.json.realtimekit.meetingId;

    const canceller = who === "student" ? student : tutor;
    expect((await canceller.client.post(`/api/bookings/${bookingId}/cancel`, {})).status).toBe(200);
    await drained(tutor.user.id); // the room hears of the cancel after the answer, not when its window closes
    const names = { [hostJoin.json.realtimekit.participantId]: ":tutor", [guestJoin.json.realtimekit.participantId]: ":student" };
    const calls = await callsAfterJoin(meetingId, names);
    expect(calls.at(-1)).toBe("POST /active-session/kick-all {}");
    expect(calls.slice(0, -1).sort()).toEqual(
      [
        "DELETE /participants/:tutor",
        "DELETE /participants/:student",
        `POST /active-session/kick {"custom_participant_ids":["${tutor.user.id}"],"participant_ids":[]}`,
        `POST /active-session/kick {"custom_participant_ids":["${student.user.id}"],"participant_ids":[]}`,
      ].sort(),
    );
    expect((await meetingsOf(bookingId))[0]!.participants).toEqual([]);
    expect(await host.room!.next("ended")).toMatchObject({ reason: "room_closed" });
    expect((await host.room!.closed).code).toBe(ROOM_CLOSE.ended);
    const late = await openRoom(as(tutor.client), bookingId, spare.json.room.ticket);
    expect(late.status).toBe(403);
    expect(late.body.error.code).toBe("session_ended");
  });

  it("a group session cancelled by its tutor while the room is open takes everyone out of the meeting at once", async () => {
    const { tutor, students: [a, b], id } = await groupSession({ students: 2, startsInMinutes: 5 });
    for (const c of [tutor, a, b]) expect((await join(as(c.client), id)).status).toBe(200);
    expect((await tutor.client.post(`/api/bookings/${id}/cancel`, {})).status).toBe(200);
    await drained(tutor.user.id);
    expect((await meetingsOf(id))[0]!.participants).toEqual([]);
  });

  /**
   * The tutor is in the room (socket open, in the meeting) with a second tab's ticket not used yet; `cancel` takes the
   * whole session away while its window is open. Its room must close then, not when its window would have: the host
   * hears it closed, every RealtimeKit participant is deleted and kicked, and the ticket issued before is refused.
   */
  async function closesAtTheCancel(a: { tutor: Client; id: string; others: Client[]; cancel: () => Promise<void>; drain: () => Promise<void> }) {
    const hostJoin = await join(as(a.tutor), a.id);
    expect(hostJoin.status).toBe(200);
    for (const c of a.others) expect((await join(as(c), a.id)).status).toBe(200);
    const host = await openRoom(as(a.tutor), a.id, hostJoin.json.room.ticket);
    await host.room!.next("welcome");
    const spare = await join(as(a.tutor), a.id);
    await a.cancel();
    await a.drain();
    expect((await meetingsOf(a.id))[0]!.participants).toEqual([]);
    const calls = await callsAfterJoin(hostJoin.json.realtimekit.meetingId, { [hostJoin.json.realtimekit.participantId]: ":tutor" });
    expect(calls).toContain("DELETE /participants/:tutor");
    expect(calls.at(-1)).toBe("POST /active-session/kick-all {}");
    expect(await host.room!.next("ended")).toMatchObject({ reason: "room_closed" });
    expect((await host.room!.closed).code).toBe(ROOM_CLOSE.ended);
    const late = await openRoom(as(a.tutor), a.id, spare.json.room.ticket);
    expect(late.status).toBe(403);
    expect(late.body.error.code).toBe("session_ended");
  }

  it("a group session nobody has a seat in, cancelled by its tutor while they wait in its room, closes the room at once", async () => {
    const tutor = await approvedTutor();
    const group = await tutor.client.post("/api/tutors/me/group-sessions", { start: slotAhead(48 * 60), durationMinutes: 60, subject: "mathematics", seats: 4 });
    expect(group.status).toBe(201);
    const id: string = group.json.booking.id;
    const begins = Date.now() + 5 * 60_000;
    await moveBooking(tutor.client, id, begins, begins + 60 * 60_000);
    await closesAtTheCancel({
      tutor: tutor.client,
      id,
      others: [],
      cancel: async () => expect((await tutor.client.post(`/api/bookings/${id}/cancel`, {})).status).toBe(200),
      drain: () => drained(tutor.user.id),
    });
  });

  it("an unpaid weekly 1:1 week released inside its join window (the student could not pay) closes its room at the release", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60); // the first week, nothing for the second
    const series = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(2 * 24 * 60), durationMinutes: 60, subject: "mathematics", repeat: { weeks: 2 } });
    expect(series.status).toBe(201);
    const id: string = series.json.series.occurrences[1].id;
    const begins = Date.now() + 5 * 60_000;
    await moveBooking(tutor.client, id, begins, begins + 60 * 60_000);
    const calendar = calendarOf(env, tutor.user.id);
    await closesAtTheCancel({
      tutor: tutor.client,
      id,
      others: [student.client],
      // Its credits fall due now; the balance is empty and the start is less than 24 h away: the week is released.
      cancel: async () => {
        await runInDurableObject(calendar, (_, state) => void state.storage.sql.exec("UPDATE occurrences SET due_ms = ? WHERE session_id = ?", Date.now(), id));
        await calendar.chargeDueSeries(Date.now());
        expect((await student.client.get(`/api/series/${series.json.series.id}`)).json.series.occurrences[1].status).toBe("cancelled");
      },
      drain: () => drained(tutor.user.id),
    });
  });

  it("the last student leaving a group keeps the tutor in the meeting: the session still takes place", async () => {
    const { tutor, students: [a], id } = await groupSession({ students: 1, startsInMinutes: 5 });
    for (const c of [tutor, a]) expect((await join(as(c.client), id)).status).toBe(200);
    expect((await a.client.post(`/api/bookings/${id}/cancel`, {})).status).toBe(200);
    await drained(tutor.user.id);
    expect((await meetingsOf(id))[0]!.participants.map((p) => p.custom_participant_id)).toEqual([tutor.user.id]);
  });

  it("the tutor removing a student deletes them from the meeting, so their token no longer works", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    const hostJoin = await join(as(tutor.client), bookingId);
    const guestJoin = await join(as(student.client), bookingId);
    const host = await openRoom(as(tutor.client), bookingId, hostJoin.json.room.ticket);
    await host.room!.next("welcome");
    // Only someone in the room can be removed.
    const guest = await openRoom(as(student.client), bookingId, guestJoin.json.room.ticket);
    await guest.room!.next("welcome");
    host.room!.send({ type: "moderate", action: "remove", userId: student.user.id });
    expect(await guest.room!.next("removed")).toEqual({ type: "removed", reason: "removed_by_tutor" });
    const meetingId: string = guestJoin.json.realtimekit.meetingId;
    for (let i = 0; i < 100 && (await callsAfterJoin(meetingId, {})).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await callsAfterJoin(meetingId, { [guestJoin.json.realtimekit.participantId]: ":student" })).toEqual([
      "DELETE /participants/:student",
      `POST /active-session/kick {"custom_participant_ids":["${student.user.id}"],"participant_ids":[]}`,
    ]);
    expect((await join(as(student.client), bookingId)).json.error.code).toBe("removed_from_session");
    host.room!.ws.close();
  });

  it("the tutor ending the session deletes every participant and disconnects everyone from the meeting", async () => {
    const { tutor, student, bookingId } = await bookedSession({ startsInMinutes: -50 });
    const hostJoin = await join(as(tutor.client), bookingId);
    const guestJoin = await join(as(student.client), bookingId);
    expect((await as(tutor.client).post(`/api/bookings/${bookingId}/end`)).status).toBe(200);
    const calls = await callsAfterJoin(hostJoin.json.realtimekit.meetingId, { [hostJoin.json.realtimekit.participantId]: ":tutor", [guestJoin.json.realtimekit.participantId]: ":student" });
    expect(calls.at(-1)).toBe("POST /active-session/kick-all {}");
    expect(calls.slice(0, -1).sort()).toEqual(
      [
        "DELETE /participants/:tutor",
        "DELETE /participants/:student",
        `POST /active-session/kick {"custom_participant_ids":["${tutor.user.id}"],"participant_ids":[]}`,
        `POST /active-session/kick {"custom_participant_ids":["${student.user.id}"],"participant_ids":[]}`,
      ].sort(),
    );
  });

  it("retries a removal RealtimeKit did not take, until it does", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    await join(as(tutor.client), bookingId);
    const guestJoin = await join(as(student.client), bookingId);
    await fake("/__fail-next", { count: 1 });
    const room = env.SESSION_ROOM.get(env.SESSION_ROOM.idFromName(bookingId));
    await room.revoke({ userId: student.user.id, reason: "removed_by_tutor", now: Date.now() });
    const meetingId: string = guestJoin.json.realtimekit.meetingId;
    expect((await meetingsOf(bookingId))[0]!.participants).toHaveLength(2);
    expect(await runDurableObjectAlarm(room)).toBe(true);
    expect((await meetingsOf(bookingId))[0]!.participants.map((p) => p.custom_participant_id)).toEqual([tutor.user.id]);
    expect((await callsAfterJoin(meetingId, {})).filter((c) => c.startsWith("DELETE"))).toHaveLength(2);
  });
});

describe("no RealtimeKit token outlives the session or the account", () => {
  const ids = async (bookingId: string) => (await meetingsOf(bookingId))[0]!.participants.map((p) => p.custom_participant_id);

  it("after the tutor ends the session every participant is deleted from the meeting", async () => {
    const { tutor, student, bookingId } = await bookedSession({ startsInMinutes: -50 });
    await join(as(tutor.client), bookingId);
    await join(as(student.client), bookingId);
    expect((await as(tutor.client).post(`/api/bookings/${bookingId}/end`)).status).toBe(200);
    expect(await ids(bookingId)).toEqual([]);
  });

  it("when the room closes at the end of its window everyone is removed", async () => {
    const { tutor, student, bookingId } = await bookedSession({ startsInMinutes: -50 });
    await join(as(tutor.client), bookingId);
    const guest = as(student.client);
    const opened = await openRoom(guest, bookingId, (await join(guest, bookingId)).json.room.ticket);
    await opened.room!.next("welcome");
    const room = env.SESSION_ROOM.get(env.SESSION_ROOM.idFromName(bookingId));
    await room.end({ reason: "room_closed", now: Date.now() });
    expect((await opened.room!.next("ended")).reason).toBe("room_closed");
    expect(await ids(bookingId)).toEqual([]);
  });

  it("the room's alarm at the end of its window removes RealtimeKit participants even when nobody has a room socket", async () => {
    // Both joined the meeting (RealtimeKit tokens issued) but neither opened the room's socket: a token must
    // still not outlive the room.
    const { tutor, student, bookingId, start } = await bookedSession({ startsInMinutes: -50 });
    await join(as(tutor.client), bookingId);
    await join(as(student.client), bookingId);
    expect(await ids(bookingId)).toEqual([tutor.user.id, student.user.id]);
    const room = env.SESSION_ROOM.get(env.SESSION_ROOM.idFromName(bookingId));
    // Fast-forward the room's copy of the session so that its window closed a moment ago.
    await runInDurableObject(room, (_, state) => {
      const booking = { id: bookingId, tutorId: tutor.user.id, subject: "mathematics", start: start - 80 * 60_000, end: Date.now() - 11 * 60_000 };
      state.storage.sql.exec("UPDATE meta SET value = ? WHERE key = 'booking'", JSON.stringify(booking));
    });
    expect(await runDurableObjectAlarm(room)).toBe(true);
    expect(await ids(bookingId)).toEqual([]);
  });

  it("a suspended student is deleted from and kicked out of the live call", async () => {
    const admin = await adminClient();
    const { tutor, student, bookingId } = await bookedSession();
    await join(as(tutor.client), bookingId);
    const guest = as(student.client);
    const guestJoin = await join(guest, bookingId);
    const opened = await openRoom(guest, bookingId, guestJoin.json.room.ticket);
    await opened.room!.next("welcome");
    expect((await admin.post(`/api/admin/users/${student.user.id}/suspend`, { reason: "Chargeback fraud" })).status).toBe(200);
    expect((await opened.room!.closed).code).toBe(ROOM_CLOSE.signedOut);
    expect(await ids(bookingId)).toEqual([tutor.user.id]);
    const kicks = (await requestsFor(guestJoin.json.realtimekit.meetingId)).filter((r) => r.path.endsWith("/active-session/kick"));
    expect(kicks.map((r) => r.body.custom_participant_ids)).toEqual([[student.user.id]]);
  });

  it("signing out everywhere takes the user out of the call; after signing in again a join gives them a new participant", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    await join(as(tutor.client), bookingId);
    const guest = as(student.client);
    const first = await join(guest, bookingId);
    const opened = await openRoom(guest, bookingId, first.json.room.ticket);
    await opened.room!.next("welcome");
    expect((await student.client.post("/api/me/sessions/revoke-all")).status).toBe(204);
    expect((await opened.room!.closed).code).toBe(ROOM_CLOSE.signedOut);
    expect(await ids(bookingId)).toEqual([tutor.user.id]);

    const again = new Client();
    expect((await again.post("/api/auth/login", { email: student.user.email, password: "correct horse battery" })).status).toBe(200);
    const back = await join(as(again), bookingId);
    expect(back.status).toBe(200);
    expect(back.json.realtimekit.participantId).not.toBe(first.json.realtimekit.participantId);
    expect(await ids(bookingId)).toEqual([tutor.user.id, student.user.id]);
  });

  it("signing out a device that is not in the call leaves the call alone", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    await join(as(tutor.client), bookingId);
    const guest = as(student.client);
    const opened = await openRoom(guest, bookingId, (await join(guest, bookingId)).json.room.ticket);
    await opened.room!.next("welcome");
    const phone = new Client();
    expect((await phone.post("/api/auth/login", { email: student.user.email, password: "correct horse battery" })).status).toBe(200);
    const phoneSession = ((await phone.get("/api/me/sessions")).json.sessions as { id: string; current: boolean }[]).find((s) => s.current)!;
    expect((await student.client.request("DELETE", `/api/me/sessions/${phoneSession.id}`)).status).toBe(204);
    expect(await ids(bookingId)).toEqual([tutor.user.id, student.user.id]);
    opened.room!.send({ type: "ping" });
    await opened.room!.next("pong");
    opened.room!.ws.close();
  });
});

describe("no RealtimeKit participant is made for a sign-in that has just ended", () => {
  const ids = async (bookingId: string) => (await meetingsOf(bookingId)).flatMap((m) => m.participants.map((p) => p.custom_participant_id));
  /** A second device of `email`, signed in now (its credential is trusted for 60 s without the session store). */
  async function device(email: string) {
    const c = new Client();
    expect((await c.post("/api/auth/login", { email, password: "correct horse battery" })).status).toBe(200);
    return as(c);
  }

  /** A 1:1 whose tutor has joined the call, and the student's second device in its room. */
  async function studentLaptopInRoom() {
    const { tutor, student, bookingId } = await bookedSession();
    await join(as(tutor.client), bookingId);
    const laptop = await device(student.user.email);
    const first = await join(laptop, bookingId);
    const opened = await openRoom(laptop, bookingId, first.json.room.ticket);
    await opened.room!.next("welcome");
    return { tutor, student, bookingId, laptop, room: opened.room! };
  }

  it("a suspended student's browser cannot join the call again with the cookies it still holds", async () => {
    const admin = await adminClient();
    const { tutor, student, bookingId, laptop, room } = await studentLaptopInRoom();
    expect((await admin.post(`/api/admin/users/${student.user.id}/suspend`, { reason: "Harassing the tutor" })).status).toBe(200);
    expect((await room.closed).code).toBe(ROOM_CLOSE.signedOut);
    expect(await ids(bookingId)).toEqual([tutor.user.id]);
    // What the SPA does 300 ms after the socket's close: join again.
    const again = await join(laptop, bookingId);
    expect(again.status).toBe(401);
    expect(await ids(bookingId)).toEqual([tutor.user.id]);
  });

  it("a device signed out by 'sign out everywhere' cannot join the call again", async () => {
    const { tutor, student, bookingId, laptop, room } = await studentLaptopInRoom();
    expect((await student.client.post("/api/me/sessions/revoke-all")).status).toBe(204);
    expect((await room.closed).code).toBe(ROOM_CLOSE.signedOut);
    const again = await join(laptop, bookingId);
    expect(again.status).toBe(401);
    expect(await ids(bookingId)).toEqual([tutor.user.id]);
  });

  it("a deleted account cannot join the call from a device that still holds its cookies", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    await join(as(tutor.client), bookingId);
    const laptop = await device(student.user.email);
    expect((await student.client.request("DELETE", "/api/me", { password: "correct horse battery" })).status).toBe(200);
    const again = await join(laptop, bookingId);
    expect(again.status).toBe(401);
    expect(await ids(bookingId)).toEqual([tutor.user.id]);
  });
});
