import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { DateTime } from "luxon";
import { vi } from "vitest";
import worker from "../../worker/index";
import { hashPassword } from "../../worker/lib/password";
import { accountOf, calendarOf } from "../../worker/lib/stubs";

export const ORIGIN = "http://localhost";

type Json = Record<string, unknown> | unknown[];

/** A client address for each test client (198.18.0.0/15 is set aside for testing), so per-address limits apply per client. */
export const testAddress = () => `198.${18 + (Math.random() < 0.5 ? 0 : 1)}.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 254) + 1}`;

/**
 * A tiny cookie-keeping client for one user against the Worker under test. It sends what a browser on our own
 * page sends through Cloudflare: `Origin` (so the cross-site check runs) and a client address
 * (`CF-Connecting-IP`, so rate limits run); a test's own headers override both.
 */
export class Client {
  /** Cookies by name, as a browser would keep them. */
  jar = new Map<string, string>();
  get cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  /** Replaces every cookie with the `name=value; …` pairs given ("" clears them); they go to every path. */
  set cookie(value: string) {
    this.jar = new Map(value.split(/;\s*/).filter(Boolean).map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)] as [string, string]));
    this.paths = new Map();
  }
  /** The `Path` a cookie was set with, when not "/": a browser sends it only to requests under that path. */
  paths = new Map<string, string>();
  /** The cookies a browser sends with a request to `path`. */
  cookieFor(path: string): string {
    const pathname = path.split(/[?#]/)[0]!;
    const covers = (scope: string) => scope === "/" || pathname === scope || pathname.startsWith(scope.endsWith("/") ? scope : `${scope}/`);
    return [...this.jar].filter(([k]) => covers(this.paths.get(k) ?? "/")).map(([k, v]) => `${k}=${v}`).join("; ");
  }
  constructor(
    readonly origin = ORIGIN,
    /** Who answers: the Worker under test by default; tests may pass the app with a different env. */
    readonly handler: (req: Request) => Promise<Response> = (req) => exports.default.fetch(req),
    readonly address = testAddress(),
  ) {}

  /** `headers` override the defaults; a `null` leaves that header out (a client that sends no Origin, say). */
  async request(method: string, path: string, body?: Json | string | Uint8Array, headers: Record<string, string | null> = {}) {
    const all: Record<string, string | null> = {
      Origin: this.origin,
      "CF-Connecting-IP": this.address,
      ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...(this.cookieFor(path) ? { Cookie: this.cookieFor(path) } : {}),
      ...headers,
    };
    const res = await this.handler(new Request(this.origin + path, {
      method,
      headers: Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== null)),
      body: body === undefined ? undefined : typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
    }));
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(";")[0]!;
      const name = pair.slice(0, pair.indexOf("="));
      const value = pair.slice(pair.indexOf("=") + 1);
      // Kept with its Path and sent back only under it, as a browser does (the session cookies are scoped to "/").
      const scope = /;\s*Path=([^;]*)/i.exec(line)?.[1]?.trim() || "/";
      if (value === "" || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(line)) {
        // A browser keys a cookie by name and path: clearing one path's copy leaves another path's.
        if ((this.paths.get(name) ?? "/") === scope) {
          this.jar.delete(name);
          this.paths.delete(name);
        }
      } else {
        this.jar.set(name, value);
        if (scope === "/") this.paths.delete(name);
        else this.paths.set(name, scope);
      }
    }
    const text = await res.text();
    let json: any = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text };
  }
  get = (path: string, headers?: Record<string, string | null>) => this.request("GET", path, undefined, headers);
  post = (path: string, body?: Json | string, headers?: Record<string, string | null>) => this.request("POST", path, body ?? {}, headers);
  put = (path: string, body?: Json | string | Uint8Array, headers?: Record<string, string | null>) => this.request("PUT", path, body ?? {}, headers);
}

let seq = 0;
export const uniqueEmail = (prefix = "user") => `${prefix}-${Date.now().toString(36)}-${++seq}@example.com`;

/** Signs up (and, unless `verified: false`, confirms the address by its emailed link). */
export async function signup(role: "student" | "tutor", { verified = true, ...overrides }: Record<string, unknown> = {}, client = new Client()) {
  const res = await client.post("/api/auth/signup", {
    email: uniqueEmail(role),
    password: "correct horse battery",
    name: role === "tutor" ? "Test Tutor" : "Test Student",
    role,
    timezone: "Europe/Berlin",
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.text}`);
  const user = res.json.user as { id: string; email: string; role: string };
  if (verified) await verifyEmail(client, user.email);
  return { client, user };
}

/** The newest link of `kind` mailed to `email` (the outbox stands in for the inbox), as its token. */
export async function mailedToken(email: string, path: "verify-email" | "reset-password" | "accept-invite"): Promise<string> {
  const row = await env.DB.prepare("SELECT text FROM email_outbox WHERE to_email = ? AND text LIKE ? ORDER BY created_at DESC, rowid DESC LIMIT 1")
    .bind(email, `%/${path}?token=%`)
    .first<{ text: string }>();
  const token = row?.text.match(new RegExp(`/${path}\\?token=([\\w-]+)`))?.[1];
  if (!token) throw new Error(`no ${path} link was mailed to ${email}`);
  return token;
}

/**
 * Resets the password of `email`'s (confirmed) account from its mailed link, on `device` (a fresh browser by default),
 * which is signed in by it; the link is mailed after the request's answer, so it is waited for.
 */
export async function resetPassword(email: string, device = new Client()): Promise<Client> {
  await new Client().post("/api/auth/password-reset/request", { email });
  const token = await vi.waitFor(() => mailedToken(email, "reset-password"), { timeout: 10_000 });
  const done = await device.post("/api/auth/password-reset/confirm", { token, password: "a fresh long password" });
  if (done.status !== 200) throw new Error(`password reset failed: ${done.status} ${done.text}`);
  return device;
}

/** Confirms the address the way a person does: the link from the signup email, opened while signed in. */
export async function verifyEmail(client: Client, email: string) {
  const res = await client.post("/api/auth/verify-email", { token: await mailedToken(email, "verify-email") });
  if (res.status !== 200) throw new Error(`verification failed: ${res.status} ${res.text}`);
}

/** Signs in a freshly inserted admin (admins are never created through signup). */
export async function adminClient() {
  const email = uniqueEmail("admin");
  await env.DB.prepare("INSERT INTO users (id, email, name, role, timezone, password_hash, email_verified_at) VALUES (?, ?, 'Admin', 'admin', 'UTC', ?, '2026-01-01T00:00:00.000Z')")
    .bind(crypto.randomUUID(), email, await hashPassword("admin password"))
    .run();
  const client = new Client();
  const res = await client.post("/api/auth/login", { email, password: "admin password" });
  if (res.status !== 200) throw new Error(res.text);
  return client;
}


/**
 * The Monday (midnight, in `zone`) of the last week before `zone`'s next clock change, at least `daysAhead` days from
 * now: weekly times from it cross that change whatever the date the tests run (a fixed year's date passes by).
 */
export function mondayBeforeClockChange(zone: string, daysAhead: number): DateTime {
  const earliest = DateTime.now().setZone(zone).plus({ days: daysAhead }).startOf("day");
  for (let day = earliest.plus({ days: 1 }); day < earliest.plus({ years: 1 }); day = day.plus({ days: 1 })) {
    const before = day.minus({ days: 1 });
    if (day.set({ hour: 12 }).offset === before.set({ hour: 12 }).offset) continue;
    const monday = before.startOf("week");
    if (monday >= earliest) return monday;
  }
  throw new Error(`${zone} changes its clocks in no week of the coming year`);
}

export const ALL_WEEK = (zone = "UTC", extra: Record<string, unknown> = {}) => ({
  timezone: zone,
  weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" })),
  overrides: [],
  bufferMinutes: 0,
  minNoticeMinutes: 0,
  horizonDays: 60,
  ...extra,
});

/**
 * An approved tutor teaching `subjects`, with the given availability (default: always open, no notice), at $30 an
 * hour by default: the nominal credit value, so a minute of their time costs one credit-minute.
 */
export async function approvedTutor(opts: { subjects?: string[]; availability?: Record<string, unknown>; timezone?: string; hourlyRateCents?: number; email?: string; offersTrials?: boolean } = {}) {
  const t = await signup("tutor", { timezone: opts.timezone ?? "UTC", ...(opts.email ? { email: opts.email } : {}) });
  const profile = await t.client.put("/api/tutors/me/profile", {
    bio: "Test tutor",
    subjects: opts.subjects ?? ["mathematics"],
    hourlyRateCents: opts.hourlyRateCents ?? 3000,
    timezone: opts.timezone ?? "UTC",
    ...(opts.offersTrials === undefined ? {} : { offersTrials: opts.offersTrials }),
  });
  if (profile.status !== 200) throw new Error(profile.text);
  const admin = await adminClient();
  await admin.post(`/api/admin/tutors/${t.user.id}/approve`);
  const avail = await t.client.put("/api/tutors/me/availability", opts.availability ?? ALL_WEEK(opts.timezone ?? "UTC"));
  if (avail.status !== 200) throw new Error(avail.text);
  return { ...t, admin };
}

/** A student holding `minutes` of paid credit. */
export async function fundedStudent(minutes = 600) {
  const s = await signup("student");
  if (minutes > 0) await fund(s.user.id, minutes);
  return s;
}

/**
 * Puts paid credit in a student's wallet, as a purchase would (at the nominal 50 cents a minute, expiring in
 * 60 days), and waits until it is projected to D1.
 */
export async function fund(studentId: string, minutes: number, opts: { paidCents?: number; purchaseRef?: string; expiresAt?: string } = {}) {
  const account = accountOf(env, studentId);
  const purchaseRef = opts.purchaseRef ?? `test:${crypto.randomUUID()}`;
  const granted = await account.grant({
    studentId,
    grantId: purchaseRef,
    kind: "grant",
    minutes,
    funding: "paid",
    paidCents: opts.paidCents ?? minutes * 50,
    purchaseRef,
    expiresAt: opts.expiresAt ?? new Date(Date.now() + 60 * 86_400_000).toISOString(),
    reason: "test credit",
    now: Date.now(),
  });
  if (!granted.ok) throw new Error(`could not fund ${studentId}`);
  await settleWallet(studentId);
  return granted;
}

/** Writes everything a student's wallet has queued to the D1 projection (the object's outbox, drained now). */
export async function settleWallet(studentId: string) {
  const { pending } = await accountOf(env, studentId).flush();
  if (pending) throw new Error(`${pending} wallet entries of ${studentId} did not reach D1`);
}

/** The start of the next half hour at least `minutesAhead` from now, as an ISO instant. */
export function slotAhead(minutesAhead: number): string {
  const step = 30 * 60_000;
  const t = Math.ceil((Date.now() + minutesAhead * 60_000) / step) * step;
  return new Date(t).toISOString();
}

/**
 * Waits for what a tutor's calendar does after it answers — the D1 projection, notices, replacement offers, live
 * pushes — so a test can read them back (the API answers before them, by design).
 */
export const drained = (tutorId: string) => calendarOf(env, tutorId).settle();

/**
 * Records that `userId` was in a booking's video room from `from` (to `to`, when given), as the room's own
 * projection writes it: settlement pays by these rows.
 */
export async function wasInRoom(bookingId: string, userId: string, role: "tutor" | "student", from: number, to?: number) {
  const connection = crypto.randomUUID();
  const row = (kind: "join" | "leave", at: number) =>
    env.DB.prepare("INSERT INTO session_attendance (id, booking_id, user_id, role, kind, connection_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)").bind(crypto.randomUUID(), bookingId, userId, role, kind, connection, new Date(at).toISOString());
  await env.DB.batch([row("join", from), ...(to === undefined ? [] : [row("leave", to)])]);
}

export const balance = async (client: Client) => (await client.get("/api/billing/credits")).json.balanceMinutes as number;

/** Fires a Cron Trigger at the Worker the way the runtime does, and waits for its jobs (they run in waitUntil). */
export async function runCron(cron: string, scheduledTime = Date.now()) {
  const ctx = createExecutionContext();
  worker.scheduled(createScheduledController({ cron, scheduledTime }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/**
 * Waits, when needed, so what follows starts early in a wall-clock minute: rate-limit windows are aligned to the
 * minute, and a slow run split across two windows would be allowed more than the limit.
 */
export async function freshLimiterMinute(budgetMs = 40_000) {
  await freshLimiterWindow(60_000, budgetMs);
}

/** The same for a limiter with a shorter window (e.g. 10 s): what follows starts early in one. */
export async function freshLimiterWindow(periodMs: number, budgetMs: number) {
  const intoWindow = Date.now() % periodMs;
  if (intoWindow > periodMs - budgetMs) await new Promise((r) => setTimeout(r, periodMs - intoWindow + 50));
}
