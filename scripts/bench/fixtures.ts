import { createHash, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { AvailabilityInputSchema } from "../../domain/schemas/availability";
import { weeklyMinutesUtc } from "../../domain/time";
import { splitByDay } from "../../domain/search";

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A signed-in bench user. `cookie` starts as the session token alone; `remember` keeps the signed session
 * credential the Worker sets (as a browser does), so requests within its minute need no session-store read.
 */
export type BenchUser = { id: string; token: string; cookie: string };

/** Keeps the credential cookie a response set for this user (the session token stays as it is). */
export function remember(user: BenchUser, res: Response) {
  const cred = res.headers.getSetCookie().find((c) => c.startsWith("tutorly_cred="));
  if (cred) user.cookie = `tutorly_session=${user.token}; ${cred.split(";")[0]}`;
}

/** The bench tutor's rules: open all week in UTC, so every half hour is bookable (set through the API, as a tutor does). */
export const OPEN_ALL_WEEK = { timezone: "UTC", weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" })), overrides: [], bufferMinutes: 0, minNoticeMinutes: 0, horizonDays: 90 };

/**
 * The bench runs the Worker as a deployment would (no local stand-ins: ENVIRONMENT is not development or test), so
 * it gets what a deployment must have: its signing keys (sessions, calendar feeds), its address for mailed links, a
 * video setup (peer-to-peer with a TURN key that is never called here) and an email provider (`wrangler dev` only
 * simulates the send_email binding; the main bench replaces it with the email API's wire fake).
 */
export const BENCH_VARS = {
  ENVIRONMENT: "bench",
  APP_URL: "http://localhost",
  EMAIL_PROVIDER: "cloudflare",
  SESSION_SIGNING_KEY: randomBytes(32).toString("base64"),
  FEED_TOKEN_SECRET: randomBytes(32).toString("base64"),
  VIDEO_PROVIDER: "p2p",
  REALTIME_TURN_KEY_ID: "bench",
  REALTIME_TURN_KEY_API_TOKEN: "bench",
};

/**
 * SQL for the bench: signed-in users with known session tokens (only their hashes stored, as the app does),
 * students with credit, and `searchTutors` approved tutors with subjects and weekly windows across zones.
 */
export function benchFixtures(opts: { students: number; searchTutors: number; creditMinutes: number }) {
  const lines: string[] = [];
  const now = Date.now();
  const user = (role: string, tz = "UTC"): BenchUser => {
    const id = crypto.randomUUID();
    const token = randomBytes(32).toString("base64url");
    const hash = createHash("sha256").update(token).digest("hex");
    lines.push(
      `INSERT INTO users (id, email, name, role, timezone, password_hash, email_verified_at) VALUES (${q(id)}, ${q(`${role}-${id}@bench.local`)}, ${q(`Bench ${role}`)}, ${q(role)}, ${q(tz)}, 'x', ${q(iso(now))});`,
      `INSERT INTO auth_sessions (token_hash, id, user_id, created_at, last_seen_at, expires_at, absolute_expires_at) VALUES (${q(hash)}, ${q(crypto.randomUUID())}, ${q(id)}, ${q(iso(now))}, ${q(iso(now))}, ${q(iso(now + 30 * 86_400_000))}, ${q(iso(now + 90 * 86_400_000))});`,
    );
    return { id, token, cookie: `tutorly_session=${token}` };
  };

  const tutor = user("tutor");
  lines.push(
    `INSERT INTO tutor_profiles (user_id, bio, hourly_rate_cents, timezone, approved_at) VALUES (${q(tutor.id)}, 'bench', 3000, 'UTC', ${q(iso(now))});`,
    `INSERT INTO tutor_subjects (tutor_id, subject) VALUES (${q(tutor.id)}, 'mathematics');`,
  );
  const students = Array.from({ length: opts.students }, () => {
    const s = user("student");
    lines.push(
      `INSERT INTO credit_ledger (id, user_id, kind, minutes, expires_at, reason, created_at) VALUES (${q(crypto.randomUUID())}, ${q(s.id)}, 'adjust', ${opts.creditMinutes}, ${q(iso(now + 60 * 86_400_000))}, 'bench', ${q(iso(now))});`,
    );
    return s;
  });

  const zones = ["America/New_York", "America/Sao_Paulo", "Europe/London", "Europe/Berlin", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo", "Australia/Sydney", "America/Los_Angeles", "Africa/Lagos"];
  const subjects = ["mathematics", "english", "spanish", "physics", "chemistry", "biology", "computer science", "french", "japanese", "history"];
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const hh = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  for (let i = 0; i < opts.searchTutors; i++) {
    const id = crypto.randomUUID();
    const tz = zones[i % zones.length]!;
    lines.push(
      `INSERT INTO users (id, email, name, role, timezone, password_hash, email_verified_at) VALUES (${q(id)}, ${q(`t${i}@bench.local`)}, ${q(`Tutor ${i}`)}, 'tutor', ${q(tz)}, 'x', ${q(iso(now))});`,
      `INSERT INTO tutor_profiles (user_id, bio, hourly_rate_cents, timezone, approved_at, rating_sum, rating_count) VALUES (${q(id)}, 'bench', ${1500 + Math.floor(rand() * 60) * 100}, ${q(tz)}, ${q(iso(now))}, ${Math.floor(rand() * 50)}, 10);`,
    );
    const mine = new Set([subjects[i % subjects.length]!, subjects[Math.floor(rand() * subjects.length)]!]);
    for (const s of mine) lines.push(`INSERT INTO tutor_subjects (tutor_id, subject) VALUES (${q(id)}, ${q(s)});`);
    const start = 6 * 60 + Math.floor(rand() * 24) * 30;
    const weekly = [1, 2, 3, 4, 5, 6, 7].filter(() => rand() < 0.7).map((weekday) => ({ weekday, start: hh(start), end: hh(start + 120 + Math.floor(rand() * 6) * 30) }));
    const avail = AvailabilityInputSchema.parse({ timezone: tz, weekly, overrides: [] });
    for (const w of splitByDay(weeklyMinutesUtc(avail, now))) {
      lines.push(`INSERT INTO tutor_weekly_windows (tutor_id, start_minute, end_minute) VALUES (${q(id)}, ${w.start}, ${w.end});`);
    }
  }
  const file = `/tmp/tutorly-bench-${process.pid}.sql`;
  writeFileSync(file, lines.join("\n"));
  return { file, tutor, students };
}
