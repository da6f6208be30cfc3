import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { accountOf } from "../../../worker/lib/stubs";
import { settleWallet } from "../helpers";
import { userOf } from "../scene";
import { type Row, admins, all, students, tutors } from "../surface";

const noPlan = "409:no_subscription" as const;

/** Plans, checkout, credits, payouts and replacement offers. The scene's students have credits, no plan. */
export const moneyRows: Record<string, Row> = {
  "GET /api/plans": { who: all("ok"), effect: ({ res }) => expect((res.json.plans as { id: string }[]).map((p) => p.id)).toContain("free") },
  "GET /api/billing/subscription": { who: students(), effect: ({ res }) => expect(res.json).toMatchObject({ subscription: null, mode: "stripe" }) },
  "POST /api/billing/checkout": {
    who: students(),
    request: () => ({ body: { packId: "pack-60" } }),
    effect: ({ res }) => expect(res.json.url).toMatch(/^https:\/\//),
  },
  "GET /api/billing/change-plan/preview": { who: students(noPlan), request: () => ({ query: "planId=standard" }) },
  "POST /api/billing/change-plan": { who: students(noPlan), request: () => ({ body: { planId: "standard" } }) },
  "POST /api/billing/cancel": { who: students(noPlan) },
  "POST /api/billing/portal": { who: students(), effect: ({ res }) => expect(res.json.url).toMatch(/^https:\/\//) },
  // Local payment mode only (the tests run against Stripe's wire fake): 404 for everyone who may ask.
  "GET /api/billing/local/checkout/:id": { who: students(404) },
  "POST /api/billing/local/checkout/:id/complete": { who: students(404) },
  "POST /api/billing/local/advance-period": { who: students(404) },
  "POST /api/webhooks/stripe": { who: all("400:invalid_signature") },
  "GET /api/billing/credits": {
    who: students(),
    effect: ({ res }) => {
      expect(res.json.balanceMinutes).toBeGreaterThan(0);
      expect(Array.isArray(res.json.grants)).toBe(true);
    },
  },
  // Stripe's documents for the student's own customer (none in the scene); the local receipt page exists only in local payment mode.
  "GET /api/billing/receipts": { who: students(), effect: ({ res }) => expect(res.json).toMatchObject({ mode: "stripe", receipts: expect.any(Array) }) },
  "GET /api/billing/receipts/:id": { who: students(404) },
  // A student's history is their wallet's ledger: every entry listed is one of their own.
  "GET /api/billing/credits/history": {
    who: students(),
    effect: async ({ s, p, res }) => {
      const own = new Set((await accountOf(env, userOf(s, p).id).ledger()).map((e) => e.id));
      const listed = (res.json.entries as { id: string }[]).map((e) => e.id);
      expect(listed.length).toBeGreaterThan(0);
      for (const id of listed) expect(own.has(id)).toBe(true);
    },
  },
  "GET /api/admin/credits/:userId": { who: admins(), effect: ({ res }) => expect(res.json.balanceMinutes).toBeGreaterThan(0) },
  "POST /api/admin/credits": {
    who: admins(),
    request: (s) => ({ body: { userId: s.users.otherStudent.id, minutes: 7, reason: "matrix adjustment" } }),
    effect: async ({ s }) => {
      await settleWallet(s.users.otherStudent.id);
      const n = await env.DB.prepare("SELECT count(*) AS n FROM credit_ledger WHERE user_id = ? AND reason = 'matrix adjustment' AND minutes = 7").bind(s.users.otherStudent.id).first<number>("n");
      expect(n).toBe(1);
    },
  },
  "POST /api/tutors/me/payouts/onboarding": { who: tutors(), effect: ({ res }) => expect(res.json.url).toMatch(/^https:\/\//) },
  // `tutor` taught the completed session: its earning is theirs alone.
  "GET /api/tutors/me/earnings": {
    who: tutors(),
    effect: ({ s, p, res }) => {
      const booked = (res.json.earnings as { bookingId: string }[]).map((e) => e.bookingId);
      if (p === "tutor") expect(booked).toContain(s.ids.done);
      else expect(booked).toEqual([]);
      expect(res.json).toMatchObject({ unpaidCents: expect.any(Number), paidCents: expect.any(Number) });
    },
  },
  "GET /api/admin/payouts": { who: admins(), effect: ({ res }) => expect(res.json).toMatchObject({ payouts: expect.any(Array), unpaid: expect.anything() }) },
  "POST /api/admin/payouts/run": { who: admins(), effect: ({ res }) => expect(res.json).toEqual({ paid: expect.any(Number), failed: expect.any(Number) }) },
  // `student` holds replacement offers after `tutor` cancelled: they accept or decline their own (a fresh one each).
  "GET /api/offers": {
    who: students(),
    effect: ({ s, p, res }) => {
      const ids = (res.json.offers as { id: string }[]).map((o) => o.id);
      if (p === "student") expect(ids).toContain(s.ids.offer);
      else expect(ids).not.toContain(s.ids.offer);
    },
  },
  "POST /api/offers/:id/accept": {
    who: { ...students(404), student: "ok" },
    params: async (s, p) => ({ id: p === "student" ? await s.fresh.offer() : s.ids.offer }),
    request: (s) => ({ body: { tutorId: s.users.otherTutor.id } }),
    effect: async ({ s, p, params, res }) => {
      expect(res.json.booking).toMatchObject({ tutorId: s.users.otherTutor.id, status: "confirmed", studentIds: [userOf(s, p).id] });
      expect(((await s.people[p].get("/api/offers")).json.offers as { id: string; status: string }[]).find((o) => o.id === params.id)?.status).toBe("accepted");
    },
  },
  "POST /api/offers/:id/decline": {
    who: { ...students(404), student: "ok" },
    params: async (s, p) => ({ id: p === "student" ? await s.fresh.offer() : s.ids.offer }),
    effect: async ({ p, s, params, res }) => {
      expect(res.json).toEqual({ declined: true });
      expect(((await s.people[p].get("/api/offers")).json.offers as { id: string; status: string }[]).find((o) => o.id === params.id)?.status).toBe("declined");
    },
  },
};
