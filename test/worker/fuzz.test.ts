import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { calendarOf } from "../../worker/lib/stubs";
import { Client, adminClient, approvedTutor, fundedStudent, settleWallet, slotAhead } from "./helpers";
import { fillPath, routeTable } from "./surface";

/** Routes that take no body: calling them at all is the action, so body fuzz does not apply (params and roles still do). */
const NO_BODY = new Set([
  "POST /api/auth/logout",
  "POST /api/billing/cancel",
  "POST /api/billing/portal",
  "POST /api/billing/local/advance-period",
  "POST /api/billing/local/checkout/:id/complete",
  "POST /api/tutors/me/payouts/onboarding",
  "POST /api/admin/payouts/run",
  "POST /api/admin/wallets/import",
  "POST /api/offers/:id/decline",
  "POST /api/admin/tutors/:id/approve",
  "POST /api/admin/webhooks/:id/replay",
  "POST /api/admin/earnings/:id/approve",
  "POST /api/admin/earnings/:id/reject",
  "POST /api/tutors/me/calendar-feed/rotate",
  "POST /api/me/calendar-feed/rotate",
  "POST /api/conversations/:id/read",
  "POST /api/auth/verify-email/resend",
  "POST /api/admin/users/:id/restore",
]);

const deep = (n: number): unknown => (n === 0 ? "bottom" : { a: deep(n - 1) });
/** Every known field name with a wrong type, so no schema in the app accepts it. */
const wrongTypes = {
  email: 1, password: [], name: {}, role: "superuser", timezone: "Mars/Base", start: "yesterday", durationMinutes: -5, subject: "",
  tutorId: null, reason: 12345, rating: 99, minutes: "lots", userId: [], planId: {}, packId: [], ids: "all", all: "yes", studentId: 5,
  weekly: "x", overrides: 5, bio: [], subjects: "x", hourlyRateCents: "x", seats: 100, group: "yes", comment: 7, summary: 5, homework: [],
  minHourlyRateCents: "x", maxHourlyRateCents: -1,
  text: [], endpoint: 5, keys: "x", push: "on", blocked: "yes", block: "yes", details: 5, resolution: "maybe",
};

const HOSTILE_BODIES: [string, string][] = [
  ["truncated JSON", "{"],
  ["an array", "[]"],
  ["null", "null"],
  ["a bare string", '"string"'],
  ["a huge number", "1e999"],
  ["wrong types everywhere", JSON.stringify(wrongTypes)],
  ["deep nesting", JSON.stringify({ ...wrongTypes, reason: deep(400) })],
  ["long strings", JSON.stringify({ ...wrongTypes, name: "x".repeat(40_000) })],
  ["odd unicode", JSON.stringify({ ...wrongTypes, name: "\u0000\ud800\u202e😀" })],
  ["prototype pollution", '{"__proto__":{"role":"admin"},"constructor":{"prototype":{"admin":true}},"reason":1}'],
  ["SQL in strings", JSON.stringify({ ...wrongTypes, subject: "'; DROP TABLE users; --", tutorId: "' OR '1'='1" })],
];
const HOSTILE_IDS = ["../../../etc/passwd", "' OR '1'='1", "%00", "x".repeat(3000), "😀", "<script>alert(1)</script>", "-1", "null"];
const HOSTILE_QUERY =
  "from=%ZZ&to[]=1&duration=NaN&limit=-1&subject=%00&tz=../../etc&q=%27%20OR%201%3D1--&status=everything&days=1e9&planId[]=x&maxRateCents=1e99&provider=x&role=root";

let people: Record<string, Client>;
let ids: Record<string, string>;

async function rowCounts(): Promise<Record<string, number>> {
  const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'").all<{ name: string }>();
  const out: Record<string, number> = {};
  for (const { name } of tables.results) out[name] = (await env.DB.prepare(`SELECT count(*) AS n FROM "${name}"`).first<{ n: number }>())!.n;
  return out;
}

function check(route: string, persona: string, res: { status: number; json: any; text: string }) {
  const label = `${route} as ${persona} → ${res.status} ${res.text.slice(0, 160)}`;
  expect(res.status, label).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.json?.error?.code, label).toMatch(/^[a-z_]+$/);
    expect(res.json?.error?.message, label).toBeTypeOf("string");
  }
}

beforeAll(async () => {
  const tutor = await approvedTutor();
  const student = await fundedStudent(600);
  const booked = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(72 * 60), durationMinutes: 60, subject: "mathematics" });
  // Let the booking's background work (notices, live pushes) finish, so the row counts below are stable.
  await calendarOf(env, tutor.user.id).settle();
  await settleWallet(student.user.id);
  people = { anonymous: new Client(), student: student.client, tutor: tutor.client, admin: await adminClient() };
  ids = { tutor: tutor.user.id, booking: booked.json.booking.id, student: student.user.id };
});

describe("fuzz: malformed, oversized and hostile input to every route", () => {
  // Routes that end the caller's sessions would sign the personas out (their own tests cover them).
  const routes = routeTable().filter((r) => !r.endsWith("/logout") && !r.endsWith("/sessions/revoke-all"));

  it.each(routes)("%s never answers 5xx, always the envelope, and writes nothing", async (route) => {
    const [method, path] = route.split(" ") as [string, string];
    const before = await rowCounts();
    const real = fillPath(path, { id: path.includes("/bookings/") ? ids.booking! : ids.tutor!, userId: ids.student! });
    for (const [persona, client] of Object.entries(people)) {
      if (method !== "GET" && !NO_BODY.has(route)) {
        for (const [, body] of HOSTILE_BODIES) check(route, persona, await client.request(method, real, body));
      }
      if (path.includes(":")) {
        for (const id of HOSTILE_IDS) {
          const url = fillPath(path, { id, userId: id });
          check(route, persona, await client.request(method, url, method === "GET" ? undefined : JSON.stringify(wrongTypes)));
        }
      }
      if (method === "GET") check(route, persona, await client.request(method, `${real}?${HOSTILE_QUERY}`));
    }
    expect(await rowCounts()).toEqual(before);
  });
});
