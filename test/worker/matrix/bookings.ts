import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { calendarOf } from "../../../worker/lib/stubs";
import { settleWallet } from "../helpers";
import { type Persona, STUDENTS, type Scene, userOf } from "../scene";
import { type Row, only, signedIn, students, theirs } from "../surface";

/** The session as its tutor's calendar (the source of truth) has it. */
const session = async (s: Scene, id: string) => (await calendarOf(env, s.users.tutor.id).getSession(id))!;
const seatOf = async (s: Scene, id: string, p: Persona) => (await session(s, id)).booking.participants?.find((x) => x.studentId === userOf(s, p).id);
/** A fresh copy of a record for the personas the call is allowed for (they change it), the shared one for the rest. */
const freshFor = (allowed: Persona[], make: (s: Scene) => Promise<string>, shared: (s: Scene) => string) => async (s: Scene, p: Persona) => ({
  id: allowed.includes(p) ? await make(s) : shared(s),
});
const listed = async (s: Scene, p: Persona) => ((await s.people[p].get("/api/bookings")).json.bookings as { id: string }[]).map((b) => b.id);

/** The weeks' starts of a series before a matrix row moved it. */
const startsBefore = new Map<string, string[]>();

/** One full group session (two seats: student and classmate) per scene, for the waitlist rows. */
const fullGroups = new WeakMap<Scene, Promise<string>>();
const fullGroup = (s: Scene) => {
  let made = fullGroups.get(s);
  if (!made) {
    made = (async () => {
      const tutorId = s.users.tutor.id;
      const calendar = calendarOf(env, tutorId);
      const opened = await calendar.openGroup({ tutorId, sessionId: `${tutorId}~full${crypto.randomUUID().slice(0, 8)}`, start: Date.parse(s.nextStart()), durationMinutes: 60, subject: "mathematics", seats: 2, now: Date.now() });
      if (!opened.ok) throw new Error(opened.message);
      for (const p of ["student", "classmate"] as const) {
        const joined = await calendar.joinGroup({ tutorId, sessionId: opened.value.id, studentId: s.users[p].id, reservationId: crypto.randomUUID(), now: Date.now() });
        if (!joined.ok) throw new Error(joined.message);
      }
      await calendar.settle();
      return opened.value.id;
    })();
    fullGroups.set(s, made);
  }
  return made;
};

/** Booking, cancelling, moving and reviewing sessions: `group` is shared by student and classmate, seatCancelled gave up their seat. */
export const bookingRows: Record<string, Row> = {
  "GET /api/bookings": {
    who: signedIn(),
    effect: async ({ s, p, res }) => {
      const ids = (res.json.bookings as { id: string }[]).map((b) => b.id);
      // A seat given up stays in its student's history.
      const sees = { one: ["student", "tutor", "admin"], group: ["student", "classmate", "seatCancelled", "tutor", "admin"] };
      for (const [record, who] of Object.entries(sees)) {
        if (who.includes(p)) expect(ids, `${p} sees ${record}`).toContain(s.ids[record as keyof typeof sees]);
        else expect(ids, `${p} does not see ${record}`).not.toContain(s.ids[record as keyof typeof sees]);
      }
    },
  },
  // Weekly lessons: their student, their tutor and admins read and cancel them; anyone else finds nothing.
  "GET /api/series/:id": {
    who: theirs(["student", "tutor", "admin"]),
    effect: ({ s, params, res }) => {
      expect(res.json.series).toMatchObject({ id: params.id, tutorId: s.users.tutor.id, studentId: s.users.student.id, weeks: 2 });
      expect(res.json.series.occurrences.length).toBeGreaterThan(0);
    },
  },
  "POST /api/series/:id/cancel": {
    who: theirs(["student", "tutor", "admin"]),
    params: freshFor(["student", "tutor", "admin"], (s) => s.fresh.series(), (s) => s.ids.series),
    request: () => ({ body: { reason: "matrix" } }),
    effect: async ({ s, params }) => {
      const after = (await s.people.student.get(`/api/series/${params.id}`)).json.series as { status: string; occurrences: { status: string }[] };
      expect(after.status).toBe("cancelled");
      for (const o of after.occurrences) expect(o.status).toBe("cancelled");
    },
  },
  // Moving the rest of a series: the same people as cancelling it; every week an hour later, or reported as kept.
  "POST /api/series/:id/move": {
    who: theirs(["student", "tutor", "admin"]),
    params: freshFor(["student", "tutor", "admin"], (s) => s.fresh.series(), (s) => s.ids.series),
    request: async (s, _p, params) => {
      const series = await calendarOf(env, s.users.tutor.id).getSeries({ tutorId: s.users.tutor.id, seriesId: params.id!, actor: { id: s.users.tutor.id, role: "tutor" } });
      const starts = series.ok ? series.value.occurrences.map((o) => o.start) : [];
      startsBefore.set(params.id!, starts);
      const first = starts[0] ?? new Date(Date.now() + 72 * 3_600_000).toISOString();
      return { body: { from: first, start: new Date(Date.parse(first) + 3_600_000).toISOString() } };
    },
    effect: async ({ params, res }) => {
      const before = startsBefore.get(params.id!) ?? [];
      const kept = new Set((res.json.kept as { id: string }[]).map((k) => k.id));
      const after = res.json.series.occurrences as { id: string; start: string }[];
      expect(after.length).toBe(before.length);
      after.forEach((o, k) => expect(o.start).toBe(kept.has(o.id) ? before[k] : new Date(Date.parse(before[k]!) + 3_600_000).toISOString()));
      expect(kept.size).toBeLessThan(after.length);
    },
  },
  // My tutors: a student's own, from the sessions they completed (student and classmate were in `done`).
  "GET /api/me/tutors": {
    who: students(),
    effect: ({ s, p, res }) => {
      const ids = (res.json.tutors as { tutor: { id: string } }[]).map((t) => t.tutor.id);
      expect(ids, `${p}'s tutors`).toEqual(p === "student" || p === "classmate" ? [s.users.tutor.id] : []);
    },
  },
  // Waitlists of a full group session: any student may queue (not one who holds a seat, nor one who could not book the
  // seat: an unconfirmed address); each sees only their own place.
  "POST /api/group-sessions/:id/waitlist": {
    who: { ...students(), student: "409:already_booked", classmate: "409:already_booked", unverified: "403:email_unverified" },
    params: async (s) => ({ id: await fullGroup(s) }),
    effect: async ({ s, p, params, res }) => {
      expect(res.status).toBe(201);
      expect(res.json.waitlist).toMatchObject({ sessionId: params.id, status: "waiting" });
      expect((await s.people[p].get(`/api/group-sessions/${params.id}/waitlist`)).json.waitlist.status).toBe("waiting");
    },
  },
  "GET /api/group-sessions/:id/waitlist": {
    who: students(),
    params: async (s) => ({ id: await fullGroup(s) }),
    effect: ({ p, params, res }) => {
      expect(res.json.session).toMatchObject({ id: params.id, seats: 2, seatsTaken: 2 });
      expect(res.json.waitlist.sessionId).toBe(params.id);
      if (p === "student" || p === "classmate") expect(res.json.waitlist.status).toBe("seated");
      expect(res.json).not.toHaveProperty("line");
    },
  },
  "DELETE /api/group-sessions/:id/waitlist": {
    who: students(),
    late: true,
    params: async (s) => ({ id: await fullGroup(s) }),
    effect: ({ p, res }) => {
      expect(res.json.waitlist.status).toBe(p === "student" || p === "classmate" ? "seated" : "none");
    },
  },
  // A session's page: its seat holders (a seat given up included, shown as theirs to have cancelled), its tutor, admins.
  "GET /api/bookings/:id": {
    who: theirs(["student", "classmate", "seatCancelled", "tutor", "admin"]),
    effect: ({ s, p, params, res }) => {
      expect(res.json.booking.id).toBe(params.id);
      expect(res.json.tutor.id).toBe(s.users.tutor.id);
      expect(res.json.receipt?.kind ?? null).toBe(STUDENTS.includes(p) ? "student" : p === "tutor" ? "tutor" : null);
      if (p === "seatCancelled") expect(res.json).toMatchObject({ booking: { status: "cancelled" }, cancellation: { byRole: "student" } });
      else expect(res.json).toMatchObject({ booking: { status: "confirmed" }, cancellation: null });
    },
  },
  // An unverified student browses and buys, but books nobody until the address is confirmed.
  "POST /api/bookings": {
    who: { ...students(), unverified: "403:email_unverified" },
    request: (s) => ({ body: { tutorId: s.users.tutor.id, start: s.nextStart(), durationMinutes: 60, subject: "mathematics" } }),
    effect: async ({ s, p, res }) => {
      expect(res.json.booking).toMatchObject({ tutorId: s.users.tutor.id, status: "confirmed", studentIds: [userOf(s, p).id] });
      await expect.poll(() => listed(s, p)).toContain(res.json.booking.id);
    },
  },
  // A seat holder cancels their seat (the session goes on; cancelling it again changes nothing); the tutor or an
  // admin cancels the session.
  "POST /api/bookings/:id/cancel": {
    who: theirs(["student", "classmate", "seatCancelled", "tutor", "admin"]),
    params: freshFor(["student", "classmate", "seatCancelled", "tutor", "admin"], (s) => s.fresh.group(), (s) => s.ids.group),
    request: () => ({ body: { reason: "matrix" } }),
    effect: async ({ s, p, params }) => {
      const after = await session(s, params.id!);
      if (STUDENTS.includes(p)) {
        expect((await seatOf(s, params.id!, p))!.status).toBe("cancelled");
        expect(after.booking.status).toBe("confirmed");
      } else expect(after.booking.status).toBe("cancelled");
    },
  },
  // The 1:1 booking: its student or tutor moves it.
  "POST /api/bookings/:id/reschedule": {
    who: theirs(["student", "tutor"], { admin: 403 }),
    params: freshFor(["student", "tutor"], (s) => s.fresh.one(), (s) => s.ids.one),
    request: (s) => ({ body: { start: s.nextStart() } }),
    effect: async ({ s, params, call }) => {
      const to = Date.parse((call.body as { start: string }).start);
      await expect.poll(async () => Date.parse((await session(s, params.id!)).booking.start)).toBe(to);
    },
  },
  // The completed session: its seat holders review it once; a seat given up is not a session taken.
  "POST /api/bookings/:id/review": {
    who: { ...only(STUDENTS, 404), student: "ok", classmate: "ok", seatCancelled: "409:not_reviewable" },
    params: (s) => ({ id: s.ids.done }),
    request: (_, p) => ({ body: { rating: p === "student" ? 5 : 4, comment: `Matrix review by ${p}` } }),
    effect: async ({ s, p, res }) => {
      expect(res.json.review).toMatchObject({ bookingId: s.ids.done, rating: p === "student" ? 5 : 4 });
      const reviews = (await s.people.anonymous.get(`/api/tutors/${s.users.tutor.id}/reviews`)).json.reviews as { comment: string }[];
      expect(reviews.map((r) => r.comment)).toContain(`Matrix review by ${p}`);
    },
  },
  // Development and tests only (404 in staging and production): the session's own people and admins.
  "POST /api/dev/bookings/:id/move": {
    who: theirs(["student", "classmate", "seatCancelled", "tutor", "admin"]),
    params: freshFor(["student", "classmate", "seatCancelled", "tutor", "admin"], (s) => s.fresh.group(), (s) => s.ids.group),
    request: (s) => {
      const start = s.nextStart();
      return { body: { start, end: new Date(Date.parse(start) + 3_600_000).toISOString() } };
    },
    effect: async ({ s, params, call }) => expect(Date.parse((await session(s, params.id!)).booking.start)).toBe(Date.parse((call.body as { start: string }).start)),
  },
  // Refunds a seat given up too late for the policy's refund (an active one is cancelled first, which refunds it).
  "POST /api/admin/bookings/:id/refund": {
    who: only(["admin"]),
    params: async (s, p) => ({ id: p === "admin" ? await s.fresh.lateSeat() : s.ids.group }),
    request: (s) => ({ body: { studentId: s.users.seatCancelled.id, reason: "matrix refund" } }),
    effect: async ({ s, res }) => {
      expect(res.json).toMatchObject({ refunded: true, refund: { outcome: "refunded", minutes: expect.any(Number) } });
      await settleWallet(s.users.seatCancelled.id);
      const refunds = await env.DB.prepare("SELECT count(*) AS n FROM credit_ledger WHERE user_id = ? AND kind = 'refund' AND reason LIKE '%matrix refund%'").bind(s.users.seatCancelled.id).first<number>("n");
      expect(refunds).toBeGreaterThan(0);
    },
  },
};

/** The video room of `live` (happening now): its tutor and seat holders; everyone else is not a participant. */
const notParticipant = "403:not_a_participant" as const;
export const videoRows: Record<string, Row> = {
  "POST /api/bookings/:id/join": {
    who: { ...signedIn(notParticipant), student: "ok", classmate: "ok", tutor: "ok" },
    params: (s) => ({ id: s.ids.live }),
    effect: ({ s, p, res }) => {
      expect(res.json).toMatchObject({ role: p === "tutor" ? "host" : "participant", booking: { id: s.ids.live }, room: { ticket: expect.any(String) } });
    },
  },
  // Participants present the ticket their join returned; anyone else has none that works.
  "GET /api/bookings/:id/room": {
    who: { ...signedIn("403:invalid_ticket"), student: "101", classmate: "101", tutor: "101" },
    socket: true,
    params: (s) => ({ id: s.ids.live }),
    request: async (s, p, params) => {
      const join = p === "anonymous" ? null : await s.people[p].post(`/api/bookings/${params.id}/join`);
      return { query: `ticket=${encodeURIComponent(join?.status === 200 ? join.json.room.ticket : "not-a-ticket")}` };
    },
    effect: ({ s, p, res }) => expect(res.socket!.first).toMatchObject({ type: "welcome", self: { userId: userOf(s, p).id } }),
  },
  "POST /api/bookings/:id/end": {
    who: { ...only(["tutor", "admin"]), otherTutor: 404, unapprovedTutor: 404 },
    params: async (s, p) => ({ id: p === "tutor" || p === "admin" ? await s.fresh.live() : s.ids.live }),
    effect: async ({ s, params, res }) => {
      expect(res.json.booking).toMatchObject({ id: params.id, status: "completed" });
      expect((await session(s, params.id!)).booking.status).toBe("completed");
    },
  },
  // What a session leaves behind: its tutor writes the summary once it has started; its people read the record.
  "PUT /api/bookings/:id/summary": {
    who: { ...only(["tutor"]), otherTutor: 404, unapprovedTutor: 404 },
    params: (s) => ({ id: s.ids.live }),
    request: (_, p) => ({ body: { summary: `We covered factoring (${p}).`, homework: "Page 12" } }),
    effect: async ({ s, p, res }) => {
      expect(res.json.summary).toMatchObject({ summary: `We covered factoring (${p}).`, homework: "Page 12" });
      expect((await s.people.student.get(`/api/bookings/${s.ids.live}/record`)).json.record.summary).toMatchObject({ summary: `We covered factoring (${p}).` });
    },
  },
  "GET /api/bookings/:id/record": {
    who: { ...signedIn(notParticipant), student: "ok", classmate: "ok", tutor: "ok", admin: "ok" },
    params: (s) => ({ id: s.ids.live }),
    effect: ({ s, res }) => expect(res.json.record.bookingId).toBe(s.ids.live),
  },
  "GET /api/session-records": { who: only([...STUDENTS, "tutor", "otherTutor", "unapprovedTutor"]), effect: ({ res }) => expect(Array.isArray(res.json.records)).toBe(true) },
  "GET /api/bookings/:id/attendance": {
    who: { ...signedIn(notParticipant), student: "ok", classmate: "ok", tutor: "ok", admin: "ok" },
    params: (s) => ({ id: s.ids.live }),
    effect: ({ s, p, res }) => {
      expect(res.json.attendance.bookingId).toBe(s.ids.live);
      const shown = (res.json.attendance.attendees as { userId: string }[]).map((a) => a.userId);
      // A student sees the tutor and themself, never a classmate.
      if (p === "student" || p === "classmate") expect(shown.sort()).toEqual([s.users.tutor.id, userOf(s, p).id].sort());
      else expect(shown).toEqual(expect.arrayContaining([s.users.tutor.id, s.users.student.id, s.users.classmate.id]));
    },
  },
};
