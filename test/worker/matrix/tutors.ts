import { expect } from "vitest";
import { ALL_WEEK } from "../helpers";
import { type Scene, userOf } from "../scene";
import { type Row, admins, all, tutors } from "../surface";

const DAY = 86_400_000;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
let otherTutorPhoto: Promise<void> | undefined;
/** The other tutor's photo, uploaded once (uploads are limited per tutor). */
const withPhoto = (s: Scene) =>
  (otherTutorPhoto ??= s.people.otherTutor.put("/api/tutors/me/photo", PNG, { "Content-Type": "image/png" }).then((r) => expect(r.status, r.text).toBe(200)));
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Tutors' profiles, availability and public pages. */
export const tutorRows: Record<string, Row> = {
  "GET /api/tutors": {
    who: all("ok"),
    effect: ({ s, res }) => {
      const listed = (res.json.tutors as { id: string }[]).map((t) => t.id);
      expect(listed).toEqual(expect.arrayContaining([s.users.tutor.id, s.users.otherTutor.id]));
      expect(listed).not.toContain(s.users.unapprovedTutor.id);
    },
  },
  "GET /api/tutors/:id": { who: all("ok"), effect: ({ s, res }) => expect(res.json.tutor).toMatchObject({ id: s.users.tutor.id, approved: true }) },
  "GET /api/tutors/:id/reviews": { who: all("ok"), effect: ({ res }) => expect(Array.isArray(res.json.reviews)).toBe(true) },
  "GET /api/tutors/:id/slots": {
    who: all("ok"),
    request: () => ({ query: `from=${new Date(Date.now() + DAY).toISOString()}&to=${new Date(Date.now() + 3 * DAY).toISOString()}&duration=60` }),
    effect: ({ res }) => expect(res.json.slots.length).toBeGreaterThan(0),
  },
  "GET /api/tutors/:id/live": { who: all("101"), socket: true, effect: ({ res }) => expect(res.socket!.first).toMatchObject({ type: "hello" }) },
  "GET /api/tutors/me/profile": { who: tutors(), effect: ({ s, p, res }) => expect(res.json.tutor.id).toBe(userOf(s, p).id) },
  "PUT /api/tutors/me/profile": {
    who: tutors(),
    request: (_, p) => ({ body: { bio: `Matrix bio of ${p}`, subjects: ["mathematics"], hourlyRateCents: 4000, timezone: "UTC", offersTrials: true } }),
    effect: async ({ s, p, client }) => expect((await client.get("/api/tutors/me/profile")).json.tutor).toMatchObject({ id: userOf(s, p).id, bio: `Matrix bio of ${p}`, offersTrials: true }),
  },
  "PUT /api/tutors/me/photo": {
    who: tutors(),
    request: () => ({ body: PNG, headers: { "Content-Type": "image/png" } }),
    effect: async ({ res, client }) => expect((await client.get("/api/tutors/me/profile")).json.tutor.photoUrl).toBe(res.json.photoUrl),
  },
  "DELETE /api/tutors/me/photo": {
    who: tutors(),
    effect: async ({ res, client }) => {
      expect(res.json.removed).toBeTypeOf("boolean");
      expect((await client.get("/api/tutors/me/profile")).json.tutor.photoUrl).toBeNull();
    },
  },
  "DELETE /api/admin/tutors/:id/photo": {
    who: admins(),
    params: (s) => ({ id: s.users.tutor.id }),
    effect: async ({ s, res, client }) => {
      expect(res.json.removed).toBeTypeOf("boolean");
      expect((await client.get(`/api/tutors/${s.users.tutor.id}`)).json.tutor.photoUrl).toBeNull();
    },
  },
  // Anyone sees a listed tutor's photo, the bytes as uploaded.
  "GET /api/tutors/:id/photo": {
    who: all("ok"),
    params: async (s) => (await withPhoto(s), { id: s.users.otherTutor.id }),
    effect: ({ res }) => {
      expect(res.headers.get("Content-Type")).toBe("image/png");
      expect(res.headers.get("Content-Length")).toBe(String(PNG.length));
    },
  },
  "GET /api/tutors/me/availability": { who: tutors(), effect: ({ res }) => expect(res.json.availability).toMatchObject({ timezone: "UTC" }) },
  // A day off far ahead: the change shows, and nothing the other rows use moves.
  "PUT /api/tutors/me/availability": {
    who: tutors(),
    request: () => ({ body: ALL_WEEK("UTC", { horizonDays: 90, overrides: [{ date: day(Date.now() + 80 * DAY), intervals: [] }] }) }),
    effect: async ({ client }) =>
      expect((await client.get("/api/tutors/me/availability")).json.availability.overrides).toEqual([{ date: day(Date.now() + 80 * DAY), intervals: [] }]),
  },
  "POST /api/tutors/me/group-sessions": {
    who: tutors(),
    request: (s) => ({ body: { start: s.nextStart(), durationMinutes: 60, subject: "mathematics", seats: 3 } }),
    effect: async ({ res, client }) => {
      expect(res.json.booking).toMatchObject({ kind: "group", status: "confirmed" });
      // Listings are a projection written after the answer.
      await expect.poll(async () => ((await client.get("/api/bookings")).json.bookings as { id: string }[]).map((b) => b.id)).toContain(res.json.booking.id);
    },
  },
};
