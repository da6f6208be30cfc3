import { expect } from "vitest";
import { signup } from "../helpers";
import { type Row, admins } from "../surface";

/** The admin console. */
export const adminRows: Record<string, Row> = {
  "GET /api/admin/tutors": {
    who: admins(),
    effect: ({ s, res }) => expect((res.json.tutors as { id: string }[]).map((t) => t.id)).toContain(s.users.unapprovedTutor.id),
  },
  // A tutor who just signed up (the scene's unapproved tutor stays unapproved for the other rows).
  "POST /api/admin/tutors/:id/approve": {
    who: admins(),
    params: async (s, p) => {
      if (p !== "admin") return { id: s.users.unapprovedTutor.id };
      const t = await signup("tutor");
      expect((await t.client.put("/api/tutors/me/profile", { bio: "New", subjects: ["mathematics"], hourlyRateCents: 3000, timezone: "UTC" })).status).toBe(200);
      return { id: t.user.id };
    },
    effect: async ({ s, params, res }) => {
      expect(res.json.tutor).toMatchObject({ id: params.id, approved: true });
      expect((await s.people.anonymous.get(`/api/tutors/${params.id}`)).status).toBe(200);
    },
  },
  "GET /api/admin/users": {
    who: admins(),
    effect: ({ s, res }) => expect((res.json.users as { id: string }[]).map((u) => u.id)).toEqual(expect.arrayContaining([s.users.student.id, s.users.tutor.id])),
  },
  "GET /api/admin/tutors/flagged": { who: admins(), effect: ({ res }) => expect(Array.isArray(res.json.tutors)).toBe(true) },
  "GET /api/admin/stats/bookings": { who: admins(), effect: ({ res }) => expect(res.json.days.length).toBeGreaterThan(0) },
  "GET /api/admin/webhooks": { who: admins(), effect: ({ res }) => expect(Array.isArray(res.json.events)).toBe(true) },
  "GET /api/admin/health": { who: admins(), effect: ({ res }) => expect(res.json).toMatchObject({ ok: true, d1: { ok: true } }) },
  "POST /api/admin/webhooks/:id/replay": { who: admins(404) },
  "GET /api/admin/disputes": { who: admins(), effect: ({ res }) => expect(Array.isArray(res.json.disputes)).toBe(true) },
  // The wallet migration: nothing is left to move in a database that never had D1 ledgers.
  "POST /api/admin/wallets/import": { who: admins(), effect: ({ res }) => expect(res.json).toMatchObject({ remaining: false }) },
  "GET /api/admin/finance": {
    who: admins(),
    request: () => ({ query: `from=${new Date(Date.now() - 7 * 86_400_000).toISOString()}&to=${new Date().toISOString()}` }),
    effect: ({ res }) => expect(res.json).toMatchObject({ accounts: expect.any(Array), check: { balanced: true }, reconciliation: { mismatches: expect.any(Array) } }),
  },
};
