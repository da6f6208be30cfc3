import { expect } from "vitest";
import { calendlyUser } from "../calendlyHelpers";
import { type Persona, STUDENTS, TUTORS } from "../scene";
import { type Row, all, only, tutors } from "../surface";

const FEED = /^http:\/\/localhost\/ical\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}\.ics$/;
const feedOwners: Persona[] = [...STUDENTS, ...TUTORS];

/** Calendar feeds, Calendly and outside calendars. */
export const calendarSyncRows: Record<string, Row> = {
  // The feed token is the whole credential: each user's own URL opens their feed; a made-up one is a plain 404.
  "GET /ical/:file": {
    // A suspended account's URL, from before the suspension, stops serving.
    who: { ...all("ok"), anonymous: 404, suspended: 404, admin: 404 },
    params: async (s, p) => {
      if (p === "suspended") return { file: s.ids.suspendedFeed.split("/ical/")[1]! };
      if (!feedOwners.includes(p)) return { file: "not-a-token.ics" };
      const url: string = (await s.people[p].get("/api/me/calendar-feed")).json.url;
      return { file: url.split("/ical/")[1]! };
    },
    effect: ({ res }) => {
      expect(res.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
      expect(res.text.startsWith("BEGIN:VCALENDAR")).toBe(true);
    },
  },
  "GET /api/tutors/me/calendar-feed": { who: tutors(), effect: ({ res }) => expect(res.json.url).toMatch(FEED) },
  "POST /api/tutors/me/calendar-feed/rotate": {
    who: tutors(),
    effect: async ({ res, client }) => {
      expect(res.json.url).toMatch(FEED);
      expect((await client.get("/api/tutors/me/calendar-feed")).json.url).toBe(res.json.url);
      expect(res.json.rotatedAt).toEqual(expect.any(String));
    },
  },
  "GET /api/me/calendar-feed": { who: only(feedOwners), effect: ({ res }) => expect(res.json.url).toMatch(FEED) },
  "POST /api/me/calendar-feed/rotate": {
    who: only(feedOwners),
    effect: async ({ res, client }) => expect((await client.get("/api/me/calendar-feed")).json).toMatchObject({ url: res.json.url, rotatedAt: res.json.rotatedAt }),
  },
  "POST /api/webhooks/calendly": { who: all("400:invalid_signature") },
  "GET /api/tutors/me/calendly": { who: tutors(), effect: ({ res }) => expect(res.json).toHaveProperty("link") },
  // Each tutor proves a Calendly user of their own with its token (the wire fake knows it).
  "PUT /api/tutors/me/calendly": {
    who: tutors(),
    request: async (_, p) => (TUTORS.includes(p) ? { body: { token: (await calendlyUser(`Matrix ${p}`)).token } } : { body: { token: "x".repeat(30) } }),
    effect: ({ res }) => expect(res.json.link).toMatchObject({ verified: true, name: expect.stringMatching(/^Matrix /) }),
  },
  "DELETE /api/tutors/me/calendly": {
    who: tutors(),
    late: true,
    effect: async ({ res, client }) => {
      expect(res.status).toBe(204);
      expect((await client.get("/api/tutors/me/calendly")).json.link).toBeNull();
    },
  },
  "GET /api/tutors/me/calendar-conflicts": { who: tutors(), effect: ({ res }) => expect(Array.isArray(res.json.conflicts)).toBe(true) },
  // No conflict, no outside calendar by that id: a tutor's own object answers 404 (another tutor's ids never resolve).
  "POST /api/tutors/me/calendar-conflicts/:id/dismiss": { who: tutors(404) },
  "GET /api/tutors/me/external-calendars": { who: tutors(), effect: ({ res }) => expect(res.json.calendars).toEqual([]) },
  // An address refused before anything is fetched (adding one is tested with a fake network in externalCalendars.test.ts).
  "POST /api/tutors/me/external-calendars": { who: tutors("400:invalid_request"), request: () => ({ body: { url: "https://127.0.0.1/matrix.ics" } }) },
  "POST /api/tutors/me/external-calendars/:id/sync": { who: tutors(404) },
  "DELETE /api/tutors/me/external-calendars/:id": { who: tutors(404) },
};
