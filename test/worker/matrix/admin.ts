import { expect } from "vitest";
import { Client, signup, uniqueEmail } from "../helpers";
import { type Row, admins } from "../surface";

const PASSWORD = "correct horse battery";
/** A student who signs up for the call, so suspending them changes nobody the other rows rely on. */
const bystander = async () => (await signup("student")).user;
const signsIn = async (email: string) => (await new Client().post("/api/auth/login", { email, password: PASSWORD })).status;

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

  // Earnings held for review (a session whose student and tutor look like one person): the scene has none, so
  // deciding on one names nothing (the held-earnings suite decides real ones).
  "GET /api/admin/earnings/held": { who: admins(), effect: ({ res }) => expect(Array.isArray(res.json.earnings)).toBe(true) },
  "POST /api/admin/earnings/:id/approve": { who: admins(404) },
  "POST /api/admin/earnings/:id/reject": { who: admins(404) },
  "GET /api/admin/rate-bounds": {
    who: admins(),
    effect: ({ res }) => expect(res.json.bounds).toMatchObject({ minHourlyRateCents: expect.any(Number), maxHourlyRateCents: expect.any(Number) }),
  },
  // The widest bounds allowed, so the scene's tutors' rates stay inside them.
  "PUT /api/admin/rate-bounds": {
    who: admins(),
    request: () => ({ body: { minHourlyRateCents: 500, maxHourlyRateCents: 100_000 } }),
    effect: async ({ s }) => expect((await s.people.admin.get("/api/admin/rate-bounds")).json.bounds).toEqual({ minHourlyRateCents: 500, maxHourlyRateCents: 100_000 }),
  },
  // Accounts: inviting admins, suspending and restoring anyone, the audit log.
  "POST /api/admin/admins/invite": {
    who: admins(),
    request: () => ({ body: { email: uniqueEmail("invitee") } }),
    effect: async ({ s, call, res }) => {
      const email = (call.body as { email: string }).email;
      expect(res.status).toBe(201);
      expect(res.json.invitation.email).toBe(email);
      const open = (await s.people.admin.get("/api/admin/admins/invitations")).json.invitations as { email: string }[];
      expect(open.map((i) => i.email)).toContain(email);
    },
  },
  "GET /api/admin/admins/invitations": { who: admins(), effect: ({ res }) => expect(Array.isArray(res.json.invitations)).toBe(true) },
  "POST /api/admin/users/:id/suspend": {
    who: admins(),
    params: async (s, p) => (p === "admin" ? { id: (await bystander()).id } : { id: s.users.otherStudent.id }),
    request: () => ({ body: { reason: "matrix" } }),
    effect: async ({ params, res }) => {
      expect(res.json.user).toMatchObject({ id: params.id, status: "suspended" });
      expect(await signsIn(res.json.user.email)).toBe(403);
    },
  },
  "POST /api/admin/users/:id/restore": {
    who: admins(),
    params: async (s, p) => {
      if (p !== "admin") return { id: s.users.otherStudent.id };
      const { id } = await bystander();
      expect((await s.people.admin.post(`/api/admin/users/${id}/suspend`, { reason: "matrix" })).status).toBe(200);
      return { id };
    },
    effect: async ({ params, res }) => {
      expect(res.json.user).toMatchObject({ id: params.id, status: "active" });
      expect(await signsIn(res.json.user.email)).toBe(200);
    },
  },
  // The scene's admin approved its tutor: the log says who did what to whom.
  "GET /api/admin/audit": {
    who: admins(),
    request: (s) => ({ query: `targetId=${s.users.tutor.id}` }),
    effect: ({ s, res }) => {
      const entries = res.json.entries as { action: string; targetId: string; actor: { id: string } }[];
      expect(entries).toContainEqual(expect.objectContaining({ action: "tutors.approve", targetId: s.users.tutor.id, actor: expect.objectContaining({ id: s.users.admin.id }) }));
    },
  },
};
