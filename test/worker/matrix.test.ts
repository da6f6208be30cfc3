import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ALL_WEEK, Client, adminClient, approvedTutor, fundedStudent, signup, slotAhead } from "./helpers";
import { fillPath, routeTable } from "./surface";

type Persona = "anonymous" | "student" | "otherStudent" | "tutor" | "otherTutor" | "admin";
const PERSONAS: Persona[] = ["anonymous", "otherStudent", "otherTutor", "student", "tutor", "admin"];
/** "ok": allowed (any answer but 401/403, never 5xx); a number: exactly that status; "403:code": status and error code. */
type Expect = "ok" | 401 | 403 | 404 | 400 | 426 | `${number}:${string}`;
type Row = Record<Persona, Expect>;

const all = (e: Expect): Row => ({ anonymous: e, student: e, otherStudent: e, tutor: e, otherTutor: e, admin: e });
const signedIn: Row = { ...all("ok"), anonymous: 401 };
const only = (...who: Persona[]): Row => Object.fromEntries(PERSONAS.map((p) => [p, p === "anonymous" ? 401 : who.includes(p) ? "ok" : 403])) as Row;
const studentsOnly = only("student", "otherStudent");
const tutorsOnly = only("tutor", "otherTutor");
const adminOnly = only("admin");
/** A record of `student` with `tutor`: strangers get 404, so its existence does not leak. */
const theirs = (extra: Partial<Row> = {}): Row => ({ anonymous: 401, student: "ok", tutor: "ok", admin: "ok", otherStudent: 404, otherTutor: 404, ...extra });

/** Who may call each route, and with what. Every route in the app's table must be listed here. */
const MATRIX: Record<string, Row> = {
  "POST /api/auth/signup": all("ok"),
  "POST /api/auth/login": all(401), // wrong credentials, whoever asks
  "GET /api/me": signedIn,
  "GET /api/auth/session": all("ok"),
  "GET /api/tutors/me/availability": tutorsOnly,
  "PUT /api/tutors/me/availability": tutorsOnly,
  "POST /api/tutors/me/group-sessions": tutorsOnly,
  "GET /api/tutors/:id/slots": all("ok"),
  "GET /api/tutors/:id/live": all(426),
  "GET /api/tutors": all("ok"),
  "GET /api/tutors/me/profile": tutorsOnly,
  "PUT /api/tutors/me/profile": tutorsOnly,
  "GET /api/tutors/:id": all("ok"),
  "GET /api/bookings": signedIn,
  "GET /api/bookings/:id": theirs(),
  "POST /api/bookings": studentsOnly,
  "POST /api/bookings/:id/cancel": theirs(),
  "POST /api/bookings/:id/reschedule": theirs({ admin: 403 }),
  "POST /api/bookings/:id/review": theirs({ tutor: 403, otherTutor: 403, admin: 403 }),
  "GET /api/billing/credits": studentsOnly,
  "GET /api/admin/credits/:userId": adminOnly,
  "POST /api/admin/credits": adminOnly,
  "GET /api/admin/disputes": adminOnly,
  "POST /api/admin/wallets/import": adminOnly,
  "GET /api/live": { ...all(426), anonymous: 401 },
  "GET /api/plans": all("ok"),
  "GET /api/billing/subscription": studentsOnly,
  "POST /api/billing/checkout": studentsOnly,
  "GET /api/billing/change-plan/preview": studentsOnly,
  "POST /api/billing/change-plan": studentsOnly,
  "POST /api/billing/cancel": studentsOnly,
  "POST /api/billing/portal": studentsOnly,
  "GET /api/billing/local/checkout/:id": studentsOnly,
  "POST /api/billing/local/checkout/:id/complete": studentsOnly,
  "POST /api/billing/local/advance-period": studentsOnly,
  "POST /api/webhooks/stripe": all(400),
  "POST /api/tutors/me/payouts/onboarding": tutorsOnly,
  "GET /api/tutors/me/earnings": tutorsOnly,
  "GET /api/admin/payouts": adminOnly,
  "POST /api/admin/payouts/run": adminOnly,
  "GET /api/admin/earnings/held": adminOnly,
  "POST /api/admin/earnings/:id/approve": { ...adminOnly, admin: 404 }, // no such earning
  "POST /api/admin/earnings/:id/reject": { ...adminOnly, admin: 404 },
  "GET /api/notifications": signedIn,
  "POST /api/notifications/read": signedIn,
  // Local development's mailbox: open without signing in (a reset link is read before anyone can sign in).
  "GET /api/dev/mailbox": all("ok"),
  "GET /api/offers": studentsOnly,
  "POST /api/offers/:id/accept": studentsOnly,
  "POST /api/offers/:id/decline": studentsOnly,
  "GET /api/tutors/:id/reviews": all("ok"),
  "GET /api/admin/tutors": adminOnly,
  "POST /api/admin/tutors/:id/approve": adminOnly,
  "GET /api/admin/rate-bounds": adminOnly,
  "PUT /api/admin/rate-bounds": adminOnly,
  "GET /api/admin/users": adminOnly,
  "GET /api/admin/tutors/flagged": adminOnly,
  "POST /api/admin/bookings/:id/refund": adminOnly,
  "GET /api/admin/stats/bookings": adminOnly,
  "GET /api/admin/webhooks": adminOnly,
  "GET /api/admin/health": adminOnly,
  "POST /api/admin/webhooks/:id/replay": adminOnly,
  "GET /api/admin/finance": adminOnly,
  "POST /api/auth/logout": signedIn,
  // The video room: participants only, and only around the session (this one is days away).
  "POST /api/bookings/:id/join": {
    anonymous: 401,
    student: "403:outside_session_window",
    tutor: "403:outside_session_window",
    otherStudent: "403:not_a_participant",
    otherTutor: "403:not_a_participant",
    admin: "403:not_a_participant",
  },
  "GET /api/bookings/:id/room": { anonymous: 401, student: "ok", tutor: "ok", otherStudent: "ok", otherTutor: "ok", admin: "ok" },
  "POST /api/bookings/:id/end": { anonymous: 401, student: 403, otherStudent: 403, tutor: "ok", otherTutor: 404, admin: "ok" },
  "GET /api/bookings/:id/attendance": { anonymous: 401, student: "ok", tutor: "ok", admin: "ok", otherStudent: "403:not_a_participant", otherTutor: "403:not_a_participant" },
  // What a session leaves behind: the tutor's summary (this session has not started: 409), the record, the list.
  "PUT /api/bookings/:id/summary": { anonymous: 401, student: 403, otherStudent: 403, tutor: "409:session_not_started", otherTutor: 404, admin: 403 },
  "GET /api/bookings/:id/record": { anonymous: 401, student: "ok", tutor: "ok", admin: "ok", otherStudent: "403:not_a_participant", otherTutor: "403:not_a_participant" },
  "GET /api/session-records": only("student", "otherStudent", "tutor", "otherTutor"),
  // Tests and local development only (404 in staging and production).
  "POST /api/dev/bookings/:id/move": theirs(),
  "GET /ical/:file": all(404), // the feed token is the only credential; none here
  "GET /api/tutors/me/calendar-feed": tutorsOnly,
  "POST /api/tutors/me/calendar-feed/rotate": tutorsOnly,
  "GET /api/me/calendar-feed": only("student", "otherStudent", "tutor", "otherTutor"),
  "POST /api/me/calendar-feed/rotate": only("student", "otherStudent", "tutor", "otherTutor"),
  "POST /api/webhooks/calendly": all(400), // unsigned
  "GET /api/tutors/me/calendly": tutorsOnly,
  "PUT /api/tutors/me/calendly": tutorsOnly,
  "DELETE /api/tutors/me/calendly": tutorsOnly,
  "GET /api/tutors/me/calendar-conflicts": tutorsOnly,
  "POST /api/tutors/me/calendar-conflicts/:id/dismiss": tutorsOnly, // a tutor's own object: others' ids are 404
  "GET /api/tutors/me/external-calendars": tutorsOnly,
  "POST /api/tutors/me/external-calendars": tutorsOnly,
  "POST /api/tutors/me/external-calendars/:id/sync": tutorsOnly,
  "DELETE /api/tutors/me/external-calendars/:id": tutorsOnly,
  // Messaging: a conversation of `student` with `tutor`; admins do not take part, they read reported ones.
  "GET /api/conversations": only("student", "otherStudent", "tutor", "otherTutor"),
  "POST /api/conversations": only("student", "otherStudent", "tutor", "otherTutor"), // tutors: 400 or 403 by body and bookings
  "GET /api/conversations/:id/messages": theirs({ admin: 403 }),
  "POST /api/conversations/:id/messages": theirs({ admin: 403 }),
  "POST /api/conversations/:id/read": theirs({ admin: 403 }),
  "POST /api/conversations/:id/block": theirs({ admin: 403 }),
  "POST /api/conversations/:id/report": theirs({ admin: 403 }),
  "GET /api/admin/conversations/reports": adminOnly,
  "GET /api/admin/conversations/:id/messages": adminOnly,
  "POST /api/admin/conversations/reports/:id/resolve": adminOnly,
  "GET /api/me/notification-settings": signedIn,
  "PUT /api/me/notification-settings": signedIn,
  "PUT /api/me/push-subscription": signedIn,
  "DELETE /api/me/push-subscription": signedIn,
  // Accounts: mailed links carry their own credential (a token); bad tokens are 400 for anyone.
  "POST /api/auth/password-reset/request": all("ok"),
  "POST /api/auth/password-reset/confirm": all("400:invalid_token"),
  "POST /api/auth/verify-email": all("400:invalid_token"),
  "POST /api/auth/verify-email/resend": { ...all("409:already_verified"), anonymous: 401 },
  "POST /api/auth/admin-invite/accept": all("400:invalid_token"),
  "GET /api/me/account": signedIn,
  "PATCH /api/me": signedIn,
  "POST /api/me/password": { ...all("401:invalid_credentials"), anonymous: "401:unauthenticated" }, // the current password is wrong
  "POST /api/me/email": { ...all("401:invalid_credentials"), anonymous: "401:unauthenticated" },
  "GET /api/me/sessions": signedIn,
  "DELETE /api/me/sessions/:id": { ...all(404), anonymous: 401 }, // only the caller's own sessions exist for them
  "POST /api/me/sessions/revoke-all": signedIn,
  "GET /api/me/export": signedIn,
  "DELETE /api/me": { ...all("401:invalid_credentials"), anonymous: "401:unauthenticated" },
  "POST /api/admin/admins/invite": adminOnly,
  "GET /api/admin/admins/invitations": adminOnly,
  "POST /api/admin/users/:id/suspend": adminOnly,
  "POST /api/admin/users/:id/restore": adminOnly,
  "GET /api/admin/audit": adminOnly,
};

let people: Record<Persona, Client>;
let ids: Record<string, string>;
/** How each persona signs in again (routes that end the caller's sessions get a fresh one). */
let relogin: Record<Persona, () => Promise<Client>>;
const start = slotAhead(72 * 60);

/** The record a route's `:id` names: the shared booking, conversation or report, else the tutor. */
function idFor(path: string): string {
  if (path.startsWith("/api/bookings/") || path.startsWith("/api/admin/bookings/")) return ids.booking!;
  if (path.startsWith("/api/admin/conversations/reports/")) return ids.report!;
  if (path.startsWith("/api/admin/users/")) return ids.bystander!;
  if (path.startsWith("/api/conversations/") || path.startsWith("/api/admin/conversations/")) return ids.conversation!;
  return ids.tutor!;
}

/** A plausible request for each route, so that an allowed caller gets past validation to the record check. */
function requestFor(route: string): { query?: string; body?: unknown } {
  const from = new Date(Date.now() + 86_400_000).toISOString();
  const to = new Date(Date.now() + 3 * 86_400_000).toISOString();
  const bodies: Record<string, unknown> = {
    "POST /api/auth/signup": { email: `matrix-${crypto.randomUUID()}@example.com`, password: "long enough pw", name: "M", role: "student", timezone: "UTC" },
    "POST /api/auth/login": { email: `nobody-${crypto.randomUUID()}@example.com`, password: "nope" },
    "PUT /api/tutors/me/availability": ALL_WEEK(),
    "POST /api/tutors/me/group-sessions": { start: slotAhead(96 * 60), durationMinutes: 60, subject: "mathematics", seats: 3 },
    "PUT /api/tutors/me/profile": { bio: "x", subjects: ["mathematics"], hourlyRateCents: 4000, timezone: "UTC" },
    "POST /api/bookings": { tutorId: ids.tutor, start: slotAhead(100 * 60), durationMinutes: 60, subject: "mathematics" },
    "POST /api/bookings/:id/reschedule": { start: slotAhead(120 * 60) },
    "POST /api/bookings/:id/review": { rating: 5 },
    "POST /api/admin/credits": { userId: ids.student, minutes: 10, reason: "matrix" },
    "PUT /api/admin/rate-bounds": { minHourlyRateCents: 500, maxHourlyRateCents: 100_000 },
    "POST /api/billing/checkout": { packId: "pack-60" },
    "POST /api/billing/change-plan": { planId: "standard" },
    "POST /api/notifications/read": { all: true },
    "POST /api/offers/:id/accept": { tutorId: ids.tutor },
    "POST /api/admin/bookings/:id/refund": { studentId: ids.student, reason: "matrix" },
    "POST /api/dev/bookings/:id/move": { start: slotAhead(150 * 60), end: slotAhead(210 * 60) },
    "PUT /api/bookings/:id/summary": { summary: "We covered factoring.", homework: "Page 12" },
    "PUT /api/tutors/me/calendly": { userUri: "https://api.calendly.com/users/MATRIXUSER" },
    // An address refused before anything is fetched: nothing may leave the test runtime.
    "POST /api/tutors/me/external-calendars": { url: "http://calendar.example/matrix.ics" },
    "POST /api/conversations": { tutorId: ids.tutor },
    "POST /api/conversations/:id/messages": { text: "matrix" },
    "POST /api/conversations/:id/block": { blocked: false },
    "POST /api/conversations/:id/report": { reason: "spam" },
    "POST /api/admin/conversations/reports/:id/resolve": { resolution: "dismissed" },
    "PUT /api/me/notification-settings": { push: { messages: true } },
    // The local push service (it answers 404 for an endpoint it never issued, so the subscription is dropped again).
    "PUT /api/me/push-subscription": { endpoint: `${env.PUSH_SERVICE_URL}/push/matrix`, keys: { p256dh: `B${"A".repeat(86)}`, auth: "A".repeat(22) } },
    "POST /api/auth/password-reset/request": { email: "nobody@example.com" },
    "POST /api/auth/password-reset/confirm": { token: "A".repeat(43), password: "a new password" },
    "POST /api/auth/verify-email": { token: "A".repeat(43) },
    "POST /api/auth/admin-invite/accept": { token: "A".repeat(43), name: "New Admin", password: "long enough pw", timezone: "UTC" },
    "PATCH /api/me": { timezone: "Europe/Berlin" },
    "POST /api/me/password": { current: "not my password", password: "a brand new password" },
    "POST /api/me/email": { email: `matrix-${crypto.randomUUID()}@example.com`, password: "not my password" },
    "DELETE /api/me": { password: "not my password" },
    "POST /api/admin/admins/invite": { email: `matrix-admin-${crypto.randomUUID()}@example.com` },
    "POST /api/admin/users/:id/suspend": { reason: "matrix" },
  };
  const queries: Record<string, string> = {
    "GET /api/tutors/:id/slots": `from=${from}&to=${to}&duration=60`,
    "GET /api/billing/change-plan/preview": "planId=standard",
    "GET /api/admin/finance": `from=${from}&to=${to}`,
  };
  return { query: queries[route], body: bodies[route] };
}

beforeAll(async () => {
  const tutor = await approvedTutor();
  const otherTutor = await approvedTutor();
  const student = await fundedStudent(600);
  const otherStudent = await fundedStudent(600);
  const admin = await adminClient();
  const booked = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start, durationMinutes: 60, subject: "mathematics" });
  expect(booked.status).toBe(201);
  people = { anonymous: new Client(), student: student.client, otherStudent: otherStudent.client, tutor: tutor.client, otherTutor: otherTutor.client, admin };
  const again = (email: string) => async () => {
    const client = new Client();
    await client.post("/api/auth/login", { email, password: "correct horse battery" });
    return client;
  };
  relogin = { anonymous: async () => new Client(), student: again(student.user.email), otherStudent: again(otherStudent.user.email), tutor: again(tutor.user.email), otherTutor: again(otherTutor.user.email), admin: adminClient };
  const bystander = await signup("student");
  const conversation = await student.client.post("/api/conversations", { tutorId: tutor.user.id });
  await student.client.post(`/api/conversations/${conversation.json.conversation.id}/messages`, { text: "hello" });
  const report = await student.client.post(`/api/conversations/${conversation.json.conversation.id}/report`, { reason: "other" });
  expect(report.status).toBe(201);
  ids = { tutor: tutor.user.id, student: student.user.id, booking: booked.json.booking.id, conversation: conversation.json.conversation.id, report: report.json.report.id, bystander: bystander.user.id };
});

describe("authorization matrix (every route × every role)", () => {
  it("lists every route of the app", () => {
    expect(routeTable().sort()).toEqual(Object.keys(MATRIX).sort());
  });

  it("never shows one user's bookings to another", async () => {
    const theirs = async (p: Persona) => ((await people[p].get("/api/bookings")).json.bookings as { id: string }[]).map((b) => b.id);
    expect(await theirs("otherStudent")).not.toContain(ids.booking);
    expect(await theirs("otherTutor")).not.toContain(ids.booking);
    expect(await theirs("admin")).toContain(ids.booking);
  });

  // Routes that change the shared booking run late, and logout last (it ends the caller's session).
  const rank = (r: string) => (r.endsWith("/logout") ? 2 : /\/(cancel|reschedule|end|move|refund)$/.test(r) ? 1 : 0);
  const routes = Object.keys(MATRIX).sort((a, b) => rank(a) - rank(b));
  it.each(routes)("%s", async (route) => {
    const [method, path] = route.split(" ") as [string, string];
    const params: Record<string, string> = { id: idFor(path), userId: ids.student! };
    const { query, body } = requestFor(route);
    const url = fillPath(path, params) + (query ? `?${query}` : "");
    for (const persona of PERSONAS) {
      // Public account routes would replace a persona's session cookie: they get a fresh client.
      const client =
        persona === "anonymous" || path.startsWith("/api/auth/sign") || path.endsWith("/login") || path.startsWith("/api/auth/password-reset/confirm")
          ? new Client()
          : route === "POST /api/me/sessions/revoke-all"
            ? await relogin[persona]()
            : people[persona];
      // Sign-in failures are throttled per account: each persona tries its own unknown address.
      const sent = route === "POST /api/auth/login" ? { ...(body as Record<string, unknown>), email: `${persona}-${crypto.randomUUID()}@example.com` } : body;
      const res = await client.request(method, url, method === "GET" ? undefined : ((sent ?? {}) as Record<string, unknown>));
      const expected = MATRIX[route]![persona];
      const label = `${route} as ${persona} → ${res.status} ${res.text.slice(0, 120)}`;
      expect(res.status, label).toBeLessThan(500);
      if (expected === "ok") expect([401, 403], label).not.toContain(res.status);
      else if (typeof expected === "string") {
        const [status, code] = expected.split(":");
        expect(res.status, label).toBe(Number(status));
        expect(res.json?.error?.code, label).toBe(code);
      } else expect(res.status, label).toBe(expected);
      if (res.status >= 400) expect(res.json?.error?.code, label).toBeTypeOf("string");
    }
  });

});
