import { createExecutionContext, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../worker/index";
import { Client, ORIGIN, adminClient, approvedTutor, drained, fundedStudent, signup, slotAhead, wasInRoom } from "./helpers";
import { bookedSession, enter, groupSession, iso, moveBooking, openRoom } from "./videoHelpers";

const MINUTE = 60_000;
const join = (client: Client, id: string) => client.post(`/api/bookings/${id}/join`);

describe("POST /api/bookings/:id/join", () => {
  it("admits the tutor as host and the student as participant with the local provider's join data", async () => {
    const { tutor, student, bookingId, start, end } = await bookedSession({ startsInMinutes: -5 });
    const res = await join(tutor.client, bookingId);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      provider: "local",
      role: "host",
      booking: { id: bookingId, tutorId: tutor.user.id, subject: "mathematics", kind: "one_on_one", start: iso(start), end: iso(end) },
      window: { opensAt: iso(start - 10 * MINUTE), closesAt: iso(end + 10 * MINUTE) },
      room: { path: `/api/bookings/${bookingId}/room`, ticket: expect.stringMatching(/^[\w-]{32}$/), expiresAt: expect.any(String) },
      // Short-lived STUN and TURN for this participant (test/worker/videoConfig.test.ts has the details).
      local: { iceServers: expect.arrayContaining([expect.objectContaining({ username: expect.any(String), credential: expect.any(String) })]), relay: true },
    });
    const expiresIn = Date.parse(res.json.room.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(0);
    expect(expiresIn).toBeLessThanOrEqual(2 * MINUTE);
    const mine = await join(student.client, bookingId);
    expect(mine.status).toBe(200);
    expect(mine.json).toMatchObject({ provider: "local", role: "participant" });
    expect(mine.json.room.ticket).not.toBe(res.json.room.ticket);
  });

  // Edges are probed half a minute inside and outside; the exact millisecond edges are in domain/video/access.test.ts.
  it.each([
    ["10½ minutes before the start", 403, 10.5, 60],
    ["9½ minutes before the start", 200, 9.5, 60],
    ["at the start", 200, 0, 60],
    ["in the middle", 200, -30, 60],
    ["9½ minutes after the end", 200, -69.5, 60],
    ["10½ minutes after the end", 403, -70.5, 60],
  ] as const)("%s: tutor and student get %i", async (_, status, startsInMinutes, minutes) => {
    const { tutor, student, bookingId } = await bookedSession({ startsInMinutes, minutes });
    for (const client of [tutor.client, student.client]) {
      const res = await join(client, bookingId);
      expect(res.status).toBe(status);
      if (status === 403) expect(res.json.error.code).toBe("outside_session_window");
    }
  });

  it("refuses everyone else with 403 not_a_participant, inside the window and out of it", async () => {
    const inside = await bookedSession({ startsInMinutes: -5 });
    const outside = await bookedSession({ startsInMinutes: 120 });
    const others = [(await fundedStudent(0)).client, (await approvedTutor()).client, await adminClient()];
    for (const { bookingId } of [inside, outside]) {
      for (const client of others) {
        const res = await join(client, bookingId);
        expect(res.status).toBe(403);
        expect(res.json.error.code).toBe("not_a_participant");
      }
    }
  });

  it("answers 401 when signed out and 404 for a booking that does not exist", async () => {
    const { bookingId } = await bookedSession();
    expect((await join(new Client(), bookingId)).status).toBe(401);
    const { client } = await signup("student");
    const res = await join(client, "no-such-booking");
    expect(res.status).toBe(404);
  });

  it("refuses a cancelled session", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(120);
    const { json } = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(48 * 60), durationMinutes: 60, subject: "mathematics" });
    expect((await tutor.client.post(`/api/bookings/${json.booking.id}/cancel`, {})).status).toBe(200);
    await moveBooking(tutor.client, json.booking.id, Date.now() - 5 * MINUTE, Date.now() + 55 * MINUTE);
    const res = await join(tutor.client, json.booking.id);
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("session_cancelled");
  });

  it("admits every confirmed student of a group session, but not one who gave up their seat", async () => {
    const { tutor, students: [a, b, c], id } = await groupSession({ students: 3, startsInMinutes: 5 });
    expect((await c.client.post(`/api/bookings/${id}/cancel`, {})).status).toBe(200);
    expect((await join(tutor.client, id)).json.role).toBe("host");
    expect((await join(a.client, id)).json.role).toBe("participant");
    expect((await join(b.client, id)).json.role).toBe("participant");
    const gone = await join(c.client, id);
    expect(gone.status).toBe(403);
    expect(gone.json.error.code).toBe("not_a_participant");
  });
});

describe("the room socket", () => {
  it("admits a participant with their ticket, once", async () => {
    const { student, bookingId } = await bookedSession();
    const { json } = await join(student.client, bookingId);
    const first = await openRoom(student.client, bookingId, json.room.ticket);
    expect(first.status).toBe(101);
    const welcome = await first.room!.next("welcome");
    expect(welcome).toMatchObject({ self: { userId: student.user.id, role: "participant", name: "Test Student" }, peers: [], chat: [], session: { bookingId } });
    const again = await openRoom(student.client, bookingId, json.room.ticket);
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe("invalid_ticket");
    first.room!.ws.close();
  });

  it("refuses a socket without a ticket, with someone else's ticket, signed out, from another site, or without an upgrade", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    const outsider = await fundedStudent(0);
    const { json } = await join(student.client, bookingId);
    expect((await openRoom(outsider.client, bookingId, "")).status).toBe(403);
    expect((await openRoom(outsider.client, bookingId, json.room.ticket)).status).toBe(403);
    expect((await openRoom(tutor.client, bookingId, json.room.ticket)).status).toBe(403);
    expect((await openRoom(new Client(), bookingId, json.room.ticket)).status).toBe(401);
    expect((await openRoom(student.client, bookingId, json.room.ticket, { Origin: "https://evil.example" })).status).toBe(403);
    expect((await student.client.get(`/api/bookings/${bookingId}/room?ticket=${json.room.ticket}`)).status).toBe(426);
    // None of those used the ticket up.
    const ok = await openRoom(student.client, bookingId, json.room.ticket);
    expect(ok.status).toBe(101);
    ok.room!.ws.close();
  });

  it("introduces peers to each other and relays signaling between exactly them", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    const host = await enter(tutor.client, bookingId);
    const guest = await enter(student.client, bookingId);
    const hostSelf = (await host.next("welcome")).self;
    const guestWelcome = await guest.next("welcome");
    expect(guestWelcome.peers).toEqual([hostSelf]);
    const joined = await host.next("peer.joined");
    expect(joined.peer).toEqual(guestWelcome.self);

    const offer = { kind: "description", description: { type: "offer", sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n" } };
    guest.send({ type: "signal", to: hostSelf.peerId, signal: offer });
    expect(await host.next("signal")).toEqual({ type: "signal", from: guestWelcome.self.peerId, signal: offer });
    const candidate = { kind: "candidate", candidate: { candidate: "candidate:1 1 udp 2122260223 192.0.2.2 50000 typ host", sdpMid: "0", sdpMLineIndex: 0 } };
    host.send({ type: "signal", to: guestWelcome.self.peerId, signal: candidate });
    expect(await guest.next("signal")).toEqual({ type: "signal", from: hostSelf.peerId, signal: candidate });
    expect(host.messages.filter((m) => m.type === "signal")).toHaveLength(1);

    guest.send({ type: "signal", to: "nobody", signal: candidate });
    expect(await guest.next("error")).toMatchObject({ code: "peer_gone" });

    guest.send({ type: "media", state: { audio: false, video: true, screen: true } });
    expect(await host.next("peer.media")).toEqual({ type: "peer.media", peerId: guestWelcome.self.peerId, state: { audio: false, video: true, screen: true } });

    guest.send({ type: "leave" });
    expect(await host.next("peer.left")).toEqual({ type: "peer.left", peerId: guestWelcome.self.peerId, reason: "left" });
    expect((await guest.closed).code).toBe(1000);
    host.ws.close();
  });

  it("carries chat to everyone in the room and replays it to who comes later", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    const host = await enter(tutor.client, bookingId);
    const guest = await enter(student.client, bookingId);
    guest.send({ type: "chat", text: "  Can you see my screen?  " });
    const heard = await host.next("chat");
    expect(heard.message).toMatchObject({ userId: student.user.id, name: "Test Student", text: "Can you see my screen?" });
    expect((await guest.next("chat")).message).toEqual(heard.message);
    guest.ws.close();
    const back = await enter(student.client, bookingId);
    expect((await back.next("welcome")).chat).toEqual([heard.message]);
    host.ws.close();
    back.ws.close();
  });

  it("lets a second tab take over from the first", async () => {
    const { tutor, student, bookingId } = await bookedSession();
    const host = await enter(tutor.client, bookingId);
    const tab1 = await enter(student.client, bookingId);
    const first = (await tab1.next("welcome")).self.peerId;
    const tab2 = await enter(student.client, bookingId);
    expect(await tab1.next("replaced")).toEqual({ type: "replaced" });
    expect((await tab1.closed).code).toBe(4001);
    expect(await host.next("peer.left")).toEqual({ type: "peer.left", peerId: first, reason: "left" });
    expect((await tab2.next("welcome")).peers.map((p) => p.userId)).toEqual([tutor.user.id]);
    host.ws.close();
    tab2.ws.close();
  });

  it.each([
    ["an unknown message", JSON.stringify({ type: "subscribe" }), 1003],
    ["a message that is not JSON", "hello", 1003],
    ["an oversized message", JSON.stringify({ type: "chat", text: "x".repeat(70_000) }), 1009],
  ])("closes the socket on %s", async (_, raw, code) => {
    const { student, bookingId } = await bookedSession();
    const room = await enter(student.client, bookingId);
    room.ws.send(raw);
    expect((await room.closed).code).toBe(code);
  });

  it("closes a socket that floods the room (1008)", async () => {
    const { student, bookingId } = await bookedSession();
    const room = await enter(student.client, bookingId);
    for (let i = 0; i < 450; i++) room.ws.send(JSON.stringify({ type: "ping" }));
    expect((await room.closed).code).toBe(1008);
  });
});

describe("the room closing", () => {
  it("disconnects everyone once the join window is over, and records their leave", async () => {
    const { tutor, student, bookingId, start } = await bookedSession();
    const host = await enter(tutor.client, bookingId);
    const guest = await enter(student.client, bookingId);
    // Fast-forward the room's copy of the session so that its window closed a moment ago.
    const room = env.SESSION_ROOM.get(env.SESSION_ROOM.idFromName(bookingId));
    await runInDurableObject(room, (_, state) => {
      const booking = { id: bookingId, tutorId: tutor.user.id, subject: "mathematics", start: start - 80 * MINUTE, end: Date.now() - 11 * MINUTE };
      state.storage.sql.exec("UPDATE meta SET value = ? WHERE key = 'booking'", JSON.stringify(booking));
    });
    expect(await runDurableObjectAlarm(room)).toBe(true);
    for (const r of [host, guest]) {
      expect(await r.next("ended")).toMatchObject({ reason: "room_closed" });
      expect((await r.closed).code).toBe(4000);
    }
    const leaves = await env.DB.prepare("SELECT count(*) AS n FROM session_attendance WHERE booking_id = ? AND kind = 'leave'").bind(bookingId).first<{ n: number }>();
    expect(leaves!.n).toBe(2);
  });

  it("a ticket issued in the room's last minutes no longer opens it once it has closed", async () => {
    const { student, bookingId } = await bookedSession();
    const ticket = (await join(student.client, bookingId)).json.room.ticket;
    const room = env.SESSION_ROOM.get(env.SESSION_ROOM.idFromName(bookingId));
    await room.end({ reason: "room_closed", now: Date.now() });
    const opened = await openRoom(student.client, bookingId, ticket);
    opened.room?.ws.close();
    expect({ status: opened.status, code: opened.body?.error?.code }).toEqual({ status: 403, code: "session_ended" });
  });
});

describe("the room's attendance reaching D1", () => {
  it("projects a backlog of many joins and leaves (after D1 was down a while), not only the first few", async () => {
    const { student, bookingId } = await bookedSession();
    const guest = await enter(student.client, bookingId);
    guest.send({ type: "leave" });
    await guest.closed;
    const room = env.SESSION_ROOM.get(env.SESSION_ROOM.idFromName(bookingId));
    // 30 comings and goings the room kept while its writes to D1 failed: all still to project.
    await runInDurableObject(room, (_, state) => {
      for (let i = 0; i < 15; i++) {
        for (const kind of ["join", "leave"]) {
          state.storage.sql.exec("INSERT INTO attendance (id, user_id, role, kind, connection_id, at_ms, projected) VALUES (?, ?, 'student', ?, ?, ?, 0)", `backlog-${i}-${kind}`, student.user.id, kind, `conn-${i}`, Date.now() - 60_000 + i * 1000 + (kind === "leave" ? 500 : 0));
        }
      }
    });
    await runDurableObjectAlarm(room);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM session_attendance WHERE booking_id = ? AND connection_id LIKE 'conn-%'").bind(bookingId).first<{ n: number }>();
    expect(rows!.n).toBe(30);
  });
});

describe("a session moved while its room is open", () => {
  it("takes its people out of the room of the old time (as a cancel does)", async () => {
    const { tutor, student, bookingId } = await bookedSession({ startsInMinutes: 5 });
    const host = await enter(tutor.client, bookingId);
    const guest = await enter(student.client, bookingId);
    const spare = await join(student.client, bookingId); // a ticket taken before the move
    expect(spare.status).toBe(200);
    const newStart = slotAhead(72 * 60);
    const moved = await tutor.client.post(`/api/bookings/${bookingId}/reschedule`, { start: newStart });
    expect(moved.status).toBe(200);
    const outcome = await Promise.race([guest.closed.then(() => "closed"), new Promise((r) => setTimeout(() => r("still open"), 3_000))]);
    try {
      guest.send({ type: "chat", text: "still here" });
    } catch {
      /* closed: nothing can be sent any more, which is the point */
    }
    const heard = await host.next("chat").then(
      () => true,
      () => false,
    );
    expect({ outcome, chatAfterMove: heard }).toEqual({ outcome: "closed", chatAfterMove: false });
    // Both were told the session moved, and to when (not that it was cancelled, nor that it ended).
    const movedTo = { start: newStart, end: iso(Date.parse(newStart) + 60 * MINUTE) };
    for (const room of [host, guest]) {
      expect(room.messages.find((m) => m.type === "ended")).toEqual({ type: "ended", reason: "session_moved", at: expect.any(String), movedTo });
      expect((await room.closed).code).toBe(4000);
    }
    // A ticket taken before the move no longer opens the room; the old time no longer admits anyone.
    expect((await openRoom(student.client, bookingId, spare.json.room.ticket)).status).toBe(403);
    const early = await join(student.client, bookingId);
    expect(early.status).toBe(403);
    expect(early.json.error.code).toBe("outside_session_window");

    // Once the new time's window opens (moved to now here), the same room admits them at the new times.
    const begins = Date.now() - MINUTE;
    await moveBooking(student.client, bookingId, begins, begins + 60 * MINUTE);
    const back = await enter(student.client, bookingId);
    expect(back.messages.find((m) => m.type === "welcome")).toMatchObject({ session: { bookingId, start: iso(begins), end: iso(begins + 60 * MINUTE) } });
    back.ws.close();
  });
});

describe("POST /api/bookings/:id/end", () => {
  it("completes the session for the tutor, accrues their earnings and closes the room for everyone", async () => {
    const { tutor, student, bookingId, start } = await bookedSession({ startsInMinutes: -50 });
    await wasInRoom(bookingId, tutor.user.id, "tutor", start); // teaching from the start, 50 of the 60 minutes: paid as booked
    const host = await enter(tutor.client, bookingId);
    const guest = await enter(student.client, bookingId);
    const res = await tutor.client.post(`/api/bookings/${bookingId}/end`);
    expect(res.status).toBe(200);
    expect(res.json.booking).toMatchObject({ id: bookingId, status: "completed" });
    for (const room of [host, guest]) {
      expect(await room.next("ended")).toMatchObject({ reason: "ended_by_tutor" });
      expect((await room.closed).code).toBe(4000);
    }
    await drained(tutor.user.id); // settled and accrued after the answer
    const earning = await env.DB.prepare("SELECT tutor_id, amount_cents, outcome FROM earnings WHERE booking_id = ?").bind(bookingId).first<{ tutor_id: string; amount_cents: number; outcome: string }>();
    expect(earning).toEqual({ tutor_id: tutor.user.id, amount_cents: 2400, outcome: "as_booked" });
    const after = await join(student.client, bookingId);
    expect(after.status).toBe(403);
    expect(after.json.error.code).toBe("session_ended");
    // Ending twice is harmless.
    expect((await tutor.client.post(`/api/bookings/${bookingId}/end`)).json.booking.status).toBe("completed");
  });

  it("refuses students (403), other tutors (404) and a session that has not started (409)", async () => {
    const { tutor, student, bookingId } = await bookedSession({ startsInMinutes: -5 });
    expect((await student.client.post(`/api/bookings/${bookingId}/end`)).status).toBe(403);
    expect((await (await approvedTutor()).client.post(`/api/bookings/${bookingId}/end`)).status).toBe(404);
    const early = await bookedSession({ startsInMinutes: 5 });
    const res = await early.tutor.client.post(`/api/bookings/${early.bookingId}/end`);
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("not_started");
    expect((await tutor.client.get(`/api/bookings`)).json.bookings.find((b: { id: string }) => b.id === bookingId).status).toBe("confirmed");
  });
});

describe("GET /api/bookings/:id/attendance", () => {
  it("records joins and leaves, and names the student who never came a no-show once the tutor ends the session", async () => {
    const tutor = await approvedTutor();
    const start = slotAhead(48 * 60);
    const group = await tutor.client.post("/api/tutors/me/group-sessions", { start, durationMinutes: 60, subject: "mathematics", seats: 3 });
    const bookingId: string = group.json.booking.id;
    const [came, absent] = [await fundedStudent(120), await fundedStudent(120)];
    for (const s of [came, absent]) await s.client.post("/api/bookings", { tutorId: tutor.user.id, start, durationMinutes: 60, subject: "mathematics", group: true });
    await moveBooking(tutor.client, bookingId, Date.now() - 30 * MINUTE, Date.now() + 30 * MINUTE);

    const host = await enter(tutor.client, bookingId);
    const guest = await enter(came.client, bookingId);
    guest.send({ type: "leave" });
    await guest.closed;
    await host.next("peer.left");

    const during = await tutor.client.get(`/api/bookings/${bookingId}/attendance`);
    expect(during.status).toBe(200);
    expect(during.json.attendance).toMatchObject({ bookingId, status: "confirmed", decided: false, noShows: [] });
    const byId = (list: { userId: string }[], id: string) => list.find((a) => a.userId === id) as any;
    expect(byId(during.json.attendance.attendees, tutor.user.id)).toMatchObject({ role: "tutor", status: "attended", inRoom: true, name: "Test Tutor" });
    expect(byId(during.json.attendance.attendees, came.user.id)).toMatchObject({ role: "student", status: "attended", inRoom: false, visits: [{ joinedAt: expect.any(String), leftAt: expect.any(String) }] });
    expect(byId(during.json.attendance.attendees, absent.user.id)).toMatchObject({ status: "awaiting", visits: [] });

    await tutor.client.post(`/api/bookings/${bookingId}/end`);
    const after = await tutor.client.get(`/api/bookings/${bookingId}/attendance`);
    expect(after.json.attendance).toMatchObject({ status: "completed", decided: true, noShows: [absent.user.id] });
    expect(byId(after.json.attendance.attendees, tutor.user.id)).toMatchObject({ inRoom: false, visits: [{ leftAt: expect.any(String) }] });

    // Students see the tutor and themselves; admins see everyone; outsiders nothing.
    const mine = await absent.client.get(`/api/bookings/${bookingId}/attendance`);
    expect(mine.json.attendance.attendees.map((a: { userId: string }) => a.userId)).toEqual([tutor.user.id, absent.user.id]);
    expect(mine.json.attendance.noShows).toEqual([absent.user.id]);
    const theirs = await came.client.get(`/api/bookings/${bookingId}/attendance`);
    expect(theirs.json.attendance.noShows).toEqual([]);
    const admin = await adminClient();
    expect((await admin.get(`/api/bookings/${bookingId}/attendance`)).json.attendance.attendees).toHaveLength(3);
    const outsider = await fundedStudent(0);
    expect((await outsider.client.get(`/api/bookings/${bookingId}/attendance`)).status).toBe(403);
    expect((await (await approvedTutor()).client.get(`/api/bookings/${bookingId}/attendance`)).status).toBe(403);
    expect((await new Client().get(`/api/bookings/${bookingId}/attendance`)).status).toBe(401);
  });

  it("keeps one row per join and per leave in D1", async () => {
    const { student, bookingId } = await bookedSession();
    const room = await enter(student.client, bookingId);
    room.send({ type: "leave" });
    await room.closed;
    const count = async () => (await env.DB.prepare("SELECT count(*) AS n FROM session_attendance WHERE booking_id = ?").bind(bookingId).first<{ n: number }>())!.n;
    await expect.poll(count).toBe(2);
    const all = await env.DB.prepare("SELECT user_id, role, kind FROM session_attendance WHERE booking_id = ? ORDER BY kind").bind(bookingId).all();
    expect(all.results).toEqual([
      { user_id: student.user.id, role: "student", kind: "join" },
      { user_id: student.user.id, role: "student", kind: "leave" },
    ]);
  });
});

describe("POST /api/dev/bookings/:id/move", () => {
  it.each(["production", "staging"])("does not exist when ENVIRONMENT is %s", async (environment) => {
    const { student, bookingId } = await bookedSession();
    const prod = new Client(ORIGIN, (req) => app.fetch(req, { ...env, APP_URL: "https://tutorly.example", EMAIL_PROVIDER: "cloudflare", ENVIRONMENT: environment } as Env, createExecutionContext()) as Promise<Response>);
    prod.cookie = student.client.cookie;
    const res = await prod.post(`/api/dev/bookings/${bookingId}/move`, { start: iso(Date.now()), end: iso(Date.now() + 60 * MINUTE) });
    expect(res.status).toBe(404);
  });
});
