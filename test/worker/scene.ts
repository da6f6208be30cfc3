import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { seriesIdFor } from "../../domain/bookingIds";
import { calendarOf } from "../../worker/lib/stubs";
import { ALL_WEEK, Client, adminClient, fund, signup, uniqueEmail, wasInRoom } from "./helpers";

/**
 * The people and records the whole-surface suites (authorization matrix, fuzz) run against: one of each kind of
 * caller, and records that tie them together — a 1:1 booking, a group session with a classmate and a seat given
 * up, one in progress, one completed, a conversation with a report.
 */
export type Persona =
  | "anonymous"
  | "suspended"
  | "unverified"
  | "student"
  | "classmate"
  | "seatCancelled"
  | "otherStudent"
  | "tutor"
  | "unapprovedTutor"
  | "otherTutor"
  | "admin";

/** In the order the matrix calls them: strangers before owners, so what owners change comes last. */
export const PERSONAS: Persona[] = ["anonymous", "suspended", "unverified", "otherStudent", "otherTutor", "unapprovedTutor", "seatCancelled", "classmate", "student", "tutor", "admin"];

/**
 * The students among them. `unverified` never confirmed their address (they browse and buy, but book nothing);
 * `suspended` was suspended by an admin while signed in (their session is gone: they are a visitor now).
 */
export const STUDENTS: Persona[] = ["student", "classmate", "seatCancelled", "otherStudent", "unverified"];
export const TUTORS: Persona[] = ["tutor", "unapprovedTutor", "otherTutor"];

const PASSWORD = "correct horse battery";
const HOUR = 3_600_000;

export type Person = { id: string; email: string; password: string };

export type Scene = {
  people: Record<Persona, Client>;
  /** Who each persona is (anonymous: nobody). */
  users: Record<Exclude<Persona, "anonymous">, Person>;
  ids: {
    /** A 1:1 booking of `student` with `tutor`, days ahead. */
    one: string;
    /** A group session of `tutor` days ahead: `student` and `classmate` hold seats, `seatCancelled` gave theirs up. */
    group: string;
    /** The same cast in a group session happening now (its room is open). */
    live: string;
    /** The same cast in a group session that took place (completed). */
    done: string;
    conversation: string;
    report: string;
    /** A replacement offer `student` holds after `tutor` cancelled their 1:1 session. */
    offer: string;
    /** Weekly lessons (two weeks) `student` booked with `tutor`. */
    series: string;
    /** The calendar feed URL `suspended` subscribed to before the suspension. */
    suspendedFeed: string;
  };
  /** A fresh copy of a record, for a call that changes it (each caller changes its own). */
  fresh: {
    one(): Promise<string>;
    group(): Promise<string>;
    live(): Promise<string>;
    /** A tutor-cancelled 1:1 session of `student`: the offer's id (`student` may accept `otherTutor` in its place). */
    offer(): Promise<string>;
    /** Weekly lessons of `student` with `tutor`: the series id. */
    series(): Promise<string>;
    /** A group session two hours ahead whose seat `seatCancelled` gave up too late for a refund. */
    lateSeat(): Promise<string>;
  };
  /** A new signed-in client of a persona (its own session), for calls that would end the shared one; `suspended` cannot sign in: their old cookies. */
  signIn(persona: Exclude<Persona, "anonymous">): Promise<Client>;
  /** Signs a persona's shared client in again (after a call that ended all of its sessions). */
  signBackIn(persona: Exclude<Persona, "anonymous">): Promise<void>;
  /** Fresh, non-overlapping start times, hours ahead. */
  nextStart(): string;
};


const key = () => ({ "Idempotency-Key": crypto.randomUUID() });

/** Builds the scene through the API, as its people would. */
export async function buildScene(): Promise<Scene> {
  const admin = await adminClient();
  const adminMe = (await admin.get("/api/me")).json.user;
  const person = async (role: "student" | "tutor") => {
    const email = uniqueEmail(role);
    const s = await signup(role, { email, timezone: "UTC" });
    return { client: s.client, user: { id: s.user.id, email, password: PASSWORD } };
  };
  const [tutor, otherTutor, unapprovedTutor] = [await person("tutor"), await person("tutor"), await person("tutor")];
  for (const t of [tutor, otherTutor, unapprovedTutor]) {
    expect((await t.client.put("/api/tutors/me/profile", { bio: "Scene tutor", subjects: ["mathematics"], hourlyRateCents: 4000, timezone: "UTC" })).status).toBe(200);
    expect((await t.client.put("/api/tutors/me/availability", ALL_WEEK("UTC", { horizonDays: 90 }))).status).toBe(200);
  }
  for (const t of [tutor, otherTutor]) expect((await admin.post(`/api/admin/tutors/${t.user.id}/approve`)).status).toBe(200);
  const [student, classmate, seatCancelled, otherStudent] = [await person("student"), await person("student"), await person("student"), await person("student")];
  for (const s of [student, classmate, seatCancelled, otherStudent]) await fund(s.user.id, 6000);
  const unverified = await (async () => {
    const email = uniqueEmail("unverified");
    const s = await signup("student", { email, timezone: "UTC", verified: false });
    await fund(s.user.id, 600);
    return { client: s.client, user: { id: s.user.id, email, password: PASSWORD } };
  })();
  const suspended = await person("student");
  // Subscribed in their calendar app before the suspension.
  const suspendedFeed: string = (await suspended.client.get("/api/me/calendar-feed")).json.url;
  const suspension = await admin.post(`/api/admin/users/${suspended.user.id}/suspend`, { reason: "scene" });
  expect(suspension.status, suspension.text).toBe(200);
  // Their browser still holds both cookies; the signed credential is trusted for at most a minute, so the matrix
  // sees them as they are from then on: the session store, which no longer has their session, decides.
  suspended.client.jar.delete("tutorly_cred");

  let hours = 72;
  const nextStart = () => new Date(Math.ceil((Date.now() + (hours += 2) * HOUR) / HOUR) * HOUR).toISOString();

  // Records are made through the tutor's calendar object, as the booking routes make them: the scene builds
  // dozens, and through HTTP they would spend its students' booking rate limit before the matrix starts.
  const calendar = () => calendarOf(env, tutor.user.id);
  const ok = <T,>(o: { ok: true; value: T } | { ok: false; code: string; message: string }): T => {
    if (!o.ok) throw new Error(`scene: ${o.code} ${o.message}`);
    return o.value;
  };
  const one = async () => {
    const booking = ok(
      await calendar().book({ tutorId: tutor.user.id, sessionId: crypto.randomUUID(), studentId: student.user.id, start: Date.parse(nextStart()), durationMinutes: 60, subject: "mathematics", now: Date.now() }),
    );
    await calendar().settle();
    return booking.id;
  };
  const group = async () => {
    const start = Date.parse(nextStart());
    const tutorId = tutor.user.id;
    const opened = ok(await calendar().openGroup({ tutorId, sessionId: crypto.randomUUID(), start, durationMinutes: 60, subject: "mathematics", seats: 4, now: Date.now() }));
    for (const s of [student, classmate, seatCancelled]) {
      ok(await calendar().joinGroup({ tutorId, sessionId: opened.id, studentId: s.user.id, reservationId: crypto.randomUUID(), now: Date.now() }));
    }
    ok(await calendar().cancel({ tutorId, sessionId: opened.id, actor: { id: seatCancelled.user.id, role: "student" }, now: Date.now() }));
    await calendar().settle();
    return opened.id;
  };
  const live = async () => {
    const id = await group();
    const moved = await tutor.client.post(`/api/dev/bookings/${id}/move`, { start: new Date(Date.now() - 5 * 60_000).toISOString(), end: new Date(Date.now() + 55 * 60_000).toISOString() });
    expect(moved.status, moved.text).toBe(200);
    return id;
  };
  const done = async () => {
    const id = await live();
    // The tutor and both seat holders were in the room from its start until now (settlement pays by attendance).
    const from = Date.now() - 5 * 60_000;
    await wasInRoom(id, tutor.user.id, "tutor", from, Date.now());
    for (const s of [student, classmate]) await wasInRoom(id, s.user.id, "student", from, Date.now());
    ok(await calendar().complete({ tutorId: tutor.user.id, sessionId: id, actor: { id: tutor.user.id, role: "tutor" }, now: Date.now() }));
    await calendar().settle();
    return id;
  };
  const offer = async () => {
    const id = await one();
    ok(await calendar().cancel({ tutorId: tutor.user.id, sessionId: id, actor: { id: tutor.user.id, role: "tutor" }, reason: "scene", now: Date.now() }));
    await calendar().settle();
    // Offers are made after the answer: wait for this one.
    for (let i = 0; i < 200; i++) {
      const offers = (await student.client.get("/api/offers")).json.offers as { id: string }[];
      if (offers.some((o) => o.id === id)) return id;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no replacement offer for ${id}`);
  };

  const series = async () => {
    const made = ok(
      await calendar().bookSeries({ tutorId: tutor.user.id, seriesId: seriesIdFor(tutor.user.id, crypto.randomUUID()), studentId: student.user.id, start: Date.parse(nextStart()), durationMinutes: 60, subject: "mathematics", weeks: 2, now: Date.now() }),
    );
    await calendar().settle();
    return made.id;
  };

  const lateSeat = async () => {
    const tutorId = tutor.user.id;
    const soon = Math.ceil((Date.now() + 2 * HOUR) / HOUR) * HOUR;
    const opened = ok(await calendar().openGroup({ tutorId, sessionId: crypto.randomUUID(), start: Date.parse(nextStart()), durationMinutes: 60, subject: "mathematics", seats: 4, now: Date.now() }));
    for (const s of [student, seatCancelled]) ok(await calendar().joinGroup({ tutorId, sessionId: opened.id, studentId: s.user.id, reservationId: crypto.randomUUID(), now: Date.now() }));
    ok(await calendar().moveSessionForTesting({ tutorId, sessionId: opened.id, start: soon, end: soon + HOUR, now: Date.now() }));
    ok(await calendar().cancel({ tutorId, sessionId: opened.id, actor: { id: seatCancelled.user.id, role: "student" }, now: Date.now() }));
    await calendar().settle();
    return opened.id;
  };

  const conversation = await student.client.post("/api/conversations", { tutorId: tutor.user.id }, key());
  expect(conversation.status, conversation.text).toBe(201);
  await student.client.post(`/api/conversations/${conversation.json.conversation.id}/messages`, { text: "hello" }, key());
  const report = await student.client.post(`/api/conversations/${conversation.json.conversation.id}/report`, { reason: "other" }, key());
  expect(report.status, report.text).toBe(201);

  const users = {
    suspended: suspended.user,
    unverified: unverified.user,
    student: student.user,
    classmate: classmate.user,
    seatCancelled: seatCancelled.user,
    otherStudent: otherStudent.user,
    tutor: tutor.user,
    unapprovedTutor: unapprovedTutor.user,
    otherTutor: otherTutor.user,
    admin: { id: adminMe.id as string, email: adminMe.email as string, password: "admin password" },
  };
  const people: Record<Persona, Client> = {
    anonymous: new Client(),
    suspended: suspended.client,
    unverified: unverified.client,
    student: student.client,
    classmate: classmate.client,
    seatCancelled: seatCancelled.client,
    otherStudent: otherStudent.client,
    tutor: tutor.client,
    unapprovedTutor: unapprovedTutor.client,
    otherTutor: otherTutor.client,
    admin,
  };
  return {
    people,
    users,
    ids: { one: await one(), group: await group(), live: await live(), done: await done(), conversation: conversation.json.conversation.id, report: report.json.report.id, offer: await offer(), series: await series(), suspendedFeed },
    fresh: { one, group, live, offer, series, lateSeat },
    async signIn(persona) {
      const client = new Client();
      if (persona === "suspended") {
        client.cookie = people.suspended.cookie;
        return client;
      }
      const res = await client.post("/api/auth/login", { email: users[persona].email, password: users[persona].password });
      expect(res.status, res.text).toBe(200);
      return client;
    },
    async signBackIn(persona) {
      const res = await people[persona].post("/api/auth/login", { email: users[persona].email, password: users[persona].password });
      expect(res.status, res.text).toBe(200);
    },
    nextStart,
  };
}

/** Who a signed-in persona is. */
export function userOf(s: Scene, p: Persona): Person {
  if (p === "anonymous") throw new Error("a visitor is nobody");
  return s.users[p];
}
