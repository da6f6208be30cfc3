import { env } from "cloudflare:workers";
import ICAL from "ical.js";
import { DateTime, FixedOffsetZone } from "luxon";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DOWNLOAD_LIMITS, DownloadError, downloadCalendar } from "../../worker/features/calendarSync/download";
import { syncOutsideCalendars } from "../../worker/features/calendarSync/sync";
import { calendarOf } from "../../worker/lib/stubs";
import outlook from "../fixtures/ics/outlook2003-windows-tz-daily-weekdays.ics?raw";
import { ALL_WEEK, Client, approvedTutor, fundedStudent, runCron, signup } from "./helpers";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BASE = "https://calendars.example/private-3f9a1c";

/** The outside world, as far as the Worker's fetch can see it: paths under BASE served from here. */
let served: Record<string, (req: { headers: Headers; signal?: AbortSignal | null }) => Response | Promise<Response>>;
let requested: string[];
/** The request headers of each fetch, in order. */
let sentHeaders: Headers[];
beforeEach(() => {
  served = {};
  requested = [];
  sentHeaders = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    requested.push(url);
    const headers = new Headers(init?.headers);
    sentHeaders.push(headers);
    // The sync follows redirects itself: a fetch that would follow them on its own is a bug.
    if (init?.redirect !== "manual") throw new Error(`fetch of ${url} without redirect: "manual"`);
    const answer = served[url];
    if (!answer) throw new TypeError("Network connection lost.");
    return answer({ headers, signal: init?.signal });
  });
});
afterEach(() => vi.restoreAllMocks());


const ics = (text: string) => () => new Response(text, { headers: { "Content-Type": "text/calendar; charset=utf-8" } });

/** The basic-format UTC of an instant, e.g. 20270301T090000Z. */
const basic = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
/** The next whole hour at least `hours` from now. */
const hourAhead = (hours: number) => Math.ceil((Date.now() + hours * HOUR) / HOUR) * HOUR;

const cal = (...events: string[][]) => ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", ...events.flat(), "END:VCALENDAR", ""].join("\r\n");
const ev = (...lines: string[]) => ["BEGIN:VEVENT", "DTSTAMP:20270101T000000Z", ...lines, "END:VEVENT"];

const freeStarts = async (tutorId: string, from: number, hours: number) =>
  (await new Client().get(`/api/tutors/${tutorId}/slots?from=${new Date(from).toISOString()}&to=${new Date(from + hours * HOUR).toISOString()}&duration=60`)).json.slots.map((s: { start: string }) => Date.parse(s.start)) as number[];

/**
 * The next night, at least a day ahead, on which Berlin or Sydney (whichever comes first, so within seven months)
 * skips an hour: its zone, the instant its clocks jump, and how its wall clocks read 30 minutes into the skipped
 * hour (a time that does not exist there), e.g. 20270328T023000 for Berlin's 01:00Z jump on 28 March 2027.
 */
function nextSpringForward(): { zone: string; jump: number; skippedWall: string } {
  const found = ["Europe/Berlin", "Australia/Sydney"].map((zone) => {
    const offset = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
    let t = Math.ceil((Date.now() + DAY) / HOUR) * HOUR;
    while (offset(t + HOUR) <= offset(t)) t += HOUR;
    let jump = t;
    while (offset(jump) === offset(t)) jump += 60_000;
    const before = FixedOffsetZone.instance(offset(t));
    return { zone, jump, skippedWall: DateTime.fromMillis(jump + 30 * 60_000, { zone: before }).toFormat("yyyyMMdd'T'HHmmss") };
  });
  return found.sort((a, b) => a.jump - b.jump)[0]!;
}

async function addCalendar(client: Client, url: string, label?: string) {
  return client.post("/api/tutors/me/external-calendars", { url, ...(label ? { label } : {}) });
}

describe("outside calendars: adding and syncing", () => {
  it("syncs a calendar when it is added: its busy times block slots, and the status says so", async () => {
    const tutor = await approvedTutor();
    const t0 = hourAhead(30);
    served[`${BASE}/week.ics`] = ics(
      cal(
        // Daily at t0 for 5 days, minus the 2nd, with the 3rd moved 2 hours later and the 4th cancelled.
        ev("UID:daily@outside", "SUMMARY:Team sync", `DTSTART:${basic(t0)}`, `DTEND:${basic(t0 + HOUR)}`, "RRULE:FREQ=DAILY;COUNT=5", `EXDATE:${basic(t0 + DAY)}`),
        ev("UID:daily@outside", `RECURRENCE-ID:${basic(t0 + 2 * DAY)}`, "SUMMARY:Team sync (moved)", `DTSTART:${basic(t0 + 2 * DAY + 2 * HOUR)}`, `DTEND:${basic(t0 + 2 * DAY + 3 * HOUR)}`),
        ev("UID:daily@outside", `RECURRENCE-ID:${basic(t0 + 3 * DAY)}`, "STATUS:CANCELLED", `DTSTART:${basic(t0 + 3 * DAY)}`, `DTEND:${basic(t0 + 3 * DAY + HOUR)}`),
        ev("UID:free@outside", "SUMMARY:Free time", "TRANSP:TRANSPARENT", `DTSTART:${basic(t0 + 5 * HOUR)}`, `DTEND:${basic(t0 + 6 * HOUR)}`),
      ),
    );
    const res = await addCalendar(tutor.client, `webcal://calendars.example/private-3f9a1c/week.ics`, "Work");
    expect(res.status).toBe(201);
    expect(requested).toEqual([`${BASE}/week.ics`]);
    expect(res.json.calendar).toMatchObject({ label: "Work", address: "calendars.example", lastError: null, eventCount: 3, skippedEvents: 0 });
    expect(res.json.calendar.lastSuccessAt).toBe(res.json.calendar.lastSyncAt);
    expect(JSON.stringify(res.json)).not.toContain("private-3f9a1c");

    const blocks = await calendarOf(env, tutor.user.id).blocks(`ics:${res.json.calendar.id}`);
    expect(blocks.map((b) => [b.start, b.title])).toEqual([
      [new Date(t0).toISOString(), "Team sync"],
      [new Date(t0 + 2 * DAY + 2 * HOUR).toISOString(), "Team sync (moved)"],
      [new Date(t0 + 4 * DAY).toISOString(), "Team sync"],
    ]);
    const free = await freeStarts(tutor.user.id, t0, 3 * 24);
    expect(free).not.toContain(t0);
    expect(free).toContain(t0 + DAY); // excluded
    expect(free).toContain(t0 + 2 * DAY); // moved away from here…
    expect(free).not.toContain(t0 + 2 * DAY + 2 * HOUR); // …to here
    expect(free).toContain(t0 + 5 * HOUR); // transparent
  });

  it("blocks the weekday standup of an Outlook export in a Windows-named zone", async () => {
    const tutor = await approvedTutor();
    served[`${BASE}/outlook.ics`] = ics(outlook);
    const res = await addCalendar(tutor.client, `${BASE}/outlook.ics`);
    expect(res.status).toBe(201);
    expect(res.json.calendar.lastError).toBeNull();
    const blocks = await calendarOf(env, tutor.user.id).blocks(`ics:${res.json.calendar.id}`);
    // An endless weekday rule: about 264 weekdays in the next 370 days, 15 minutes each, at 09:30 in Melbourne.
    expect(blocks.length).toBeGreaterThan(250);
    for (const b of blocks.slice(0, 10)) {
      const local = new Intl.DateTimeFormat("en-GB", { timeZone: "Australia/Melbourne", weekday: "short", hour: "2-digit", minute: "2-digit" }).format(new Date(b.start));
      expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 09:30$/);
      expect(Date.parse(b.end) - Date.parse(b.start)).toBe(15 * 60_000);
    }
    const next = blocks.find((b) => Date.parse(b.start) > Date.now() + DAY)!;
    expect(await freeStarts(tutor.user.id, Date.parse(next.start) - 2 * HOUR, 4)).not.toContain(Date.parse(next.start));
  });

  it("replaces a calendar's blocks as a whole on each sync and leaves other sources alone", async () => {
    const tutor = await approvedTutor();
    const t0 = hourAhead(30);
    const now = Date.now();
    await calendarOf(env, tutor.user.id).upsertBlock({ tutorId: tutor.user.id, source: "calendly", block: { externalId: "inv", start: t0 + 10 * HOUR, end: t0 + 11 * HOUR }, now });
    served[`${BASE}/v.ics`] = ics(cal(ev("UID:a", `DTSTART:${basic(t0)}`, `DTEND:${basic(t0 + HOUR)}`), ev("UID:b", `DTSTART:${basic(t0 + 2 * HOUR)}`, `DTEND:${basic(t0 + 3 * HOUR)}`)));
    const added = (await addCalendar(tutor.client, `${BASE}/v.ics`)).json.calendar;
    expect(added.eventCount).toBe(2);
    served[`${BASE}/v.ics`] = ics(cal(ev("UID:c", `DTSTART:${basic(t0 + 4 * HOUR)}`, `DTEND:${basic(t0 + 5 * HOUR)}`)));
    const synced = await tutor.client.post(`/api/tutors/me/external-calendars/${added.id}/sync`);
    expect(synced.status).toBe(200);
    expect(synced.json.calendar).toMatchObject({ eventCount: 1, lastError: null });
    expect((await calendarOf(env, tutor.user.id).blocks(`ics:${added.id}`)).map((b) => b.externalId)).toEqual(["c"]);
    expect(await calendarOf(env, tutor.user.id).blockCounts()).toEqual({ calendly: 1, [`ics:${added.id}`]: 1 });
  });

  it.each([
    ["a 404", () => new Response("gone", { status: 404 }), "The calendar's server did not hand over the calendar. If you reset or unshared it, add its new address."],
    ["a login page", () => new Response("<html>Please sign in</html>", { headers: { "Content-Type": "text/html" } }), "The address does not return an iCalendar (.ics) file."],
    ["no answer", undefined, "The calendar address could not be reached."],
  ])("keeps the last good blocks and shows the error after %s", async (_, answer, message) => {
    const tutor = await approvedTutor();
    const t0 = hourAhead(30);
    served[`${BASE}/e.ics`] = ics(cal(ev("UID:a", `DTSTART:${basic(t0)}`, `DTEND:${basic(t0 + HOUR)}`)));
    const added = (await addCalendar(tutor.client, `${BASE}/e.ics`)).json.calendar;
    if (answer) served[`${BASE}/e.ics`] = answer;
    else delete served[`${BASE}/e.ics`];
    const synced = (await tutor.client.post(`/api/tutors/me/external-calendars/${added.id}/sync`)).json.calendar;
    expect(synced).toMatchObject({ lastError: message, eventCount: 1, lastSuccessAt: added.lastSuccessAt });
    expect(synced.lastSyncAt >= added.lastSyncAt).toBe(true);
    expect(await calendarOf(env, tutor.user.id).blocks(`ics:${added.id}`)).toHaveLength(1);
    expect((await tutor.client.get("/api/tutors/me/external-calendars")).json.calendars).toEqual([synced]);
  });

  it("frees the calendar's time when it is disconnected", async () => {
    const tutor = await approvedTutor();
    const t0 = hourAhead(30);
    served[`${BASE}/d.ics`] = ics(cal(ev("UID:a", `DTSTART:${basic(t0)}`, `DTEND:${basic(t0 + HOUR)}`)));
    const added = (await addCalendar(tutor.client, `${BASE}/d.ics`)).json.calendar;
    expect(await freeStarts(tutor.user.id, t0, 2)).not.toContain(t0);
    expect((await tutor.client.request("DELETE", `/api/tutors/me/external-calendars/${added.id}`)).status).toBe(204);
    expect(await freeStarts(tutor.user.id, t0, 2)).toContain(t0);
    expect((await tutor.client.get("/api/tutors/me/external-calendars")).json.calendars).toEqual([]);
  });
});

describe("outside calendars: events the import once got wrong", () => {
  it("blocks the start of an event with an RDATE and no rule, as well as the RDATE", async () => {
    const tutor = await approvedTutor();
    const t0 = hourAhead(30);
    served[`${BASE}/rdate.ics`] = ics(cal(ev("UID:rdate", "SUMMARY:Outside", `DTSTART:${basic(t0)}`, `DTEND:${basic(t0 + HOUR)}`, `RDATE:${basic(t0 + 2 * DAY)}`)));
    const added = (await addCalendar(tutor.client, `${BASE}/rdate.ics`)).json.calendar;
    expect(added).toMatchObject({ eventCount: 2, lastError: null });
    expect(await freeStarts(tutor.user.id, t0, 1)).not.toContain(t0);
    expect(await freeStarts(tutor.user.id, t0 + 2 * DAY, 1)).not.toContain(t0 + 2 * DAY);
  });

  it("syncs a calendar whose rule names a day its months never have (31 April), with the rest of the calendar", async () => {
    // ical.js would look for that rule's next date forever, inside one call: counted here, so that a return
    // of the bug fails this test instead of hanging the run.
    const check = ICAL.RecurIterator.prototype.check_contracting_rules;
    const tries = vi.spyOn(ICAL.RecurIterator.prototype, "check_contracting_rules").mockImplementation(function (this: ICAL.RecurIterator) {
      if (tries.mock.calls.length > 300_000) throw new Error("ical.js is walking a rule that never ends");
      return check.call(this);
    });
    const tutor = await approvedTutor();
    const t0 = hourAhead(30);
    served[`${BASE}/never.ics`] = ics(
      cal(
        ev("UID:never", "SUMMARY:Never again", `DTSTART:${basic(t0)}`, `DTEND:${basic(t0 + HOUR)}`, "RRULE:FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31"),
        ev("UID:meeting", "SUMMARY:Meeting", `DTSTART:${basic(t0 + 2 * HOUR)}`, `DTEND:${basic(t0 + 3 * HOUR)}`),
      ),
    );
    const res = await addCalendar(tutor.client, `${BASE}/never.ics`);
    expect(res.status).toBe(201);
    expect(res.json.calendar).toMatchObject({ eventCount: 2, skippedEvents: 0, lastError: null });
    expect((await calendarOf(env, tutor.user.id).blocks(`ics:${res.json.calendar.id}`)).map((b) => b.title)).toEqual(["Never again", "Meeting"]);
  });

  it("blocks the last day of every month of a daily rule filtered to it (FREQ=DAILY;BYMONTHDAY=-1), at its local time", async () => {
    const tutor = await approvedTutor();
    const t0 = hourAhead(30);
    served[`${BASE}/month-end.ics`] = ics(
      cal(
        ev("UID:rent", "SUMMARY:Month-end close", "DTSTART;TZID=Europe/Berlin:20200131T180000", "DTEND;TZID=Europe/Berlin:20200131T190000", "RRULE:FREQ=DAILY;BYMONTHDAY=-1"),
        ev("UID:meeting", "SUMMARY:Meeting", `DTSTART:${basic(t0)}`, `DTEND:${basic(t0 + HOUR)}`),
      ),
    );
    const res = await addCalendar(tutor.client, `${BASE}/month-end.ics`);
    expect(res.status).toBe(201);
    expect(res.json.calendar).toMatchObject({ skippedEvents: 0, lastError: null });
    const closes = (await calendarOf(env, tutor.user.id).blocks(`ics:${res.json.calendar.id}`)).filter((b) => b.title === "Month-end close");
    // Berlin wall time of each block: the last day of its month at 18:00, summer time or not, one per month.
    const berlin = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    const walls = closes.map((b) => Object.fromEntries(berlin.formatToParts(new Date(b.start)).map((p) => [p.type, Number(p.value)])));
    expect(walls.length).toBeGreaterThanOrEqual(12);
    for (const w of walls) expect([w.day, w.hour, w.minute]).toEqual([new Date(Date.UTC(w.year!, w.month!, 0)).getUTCDate(), 18, 0]);
    expect(new Set(walls.map((w) => `${w.year}-${w.month}`)).size).toBe(walls.length);
    expect(res.json.calendar.eventCount).toBe(walls.length + 1);
  });

  it("blocks an event the clocks skip (02:30 on a spring-forward night) from 03:30 summer time for its hour, and a series starting there", async () => {
    const { zone, jump, skippedWall } = nextSpringForward();
    // RFC 5545 §3.3.5: a local time that does not exist is read with the offset before the jump, so 30 minutes
    // into the skipped hour is 30 minutes after the jump; the event keeps its length.
    const start = jump + 30 * 60_000;
    const end = (wall: string) => wall.replace(/T(\d\d)/, (_, h: string) => `T${String(Number(h) + 1).padStart(2, "0")}`);
    const tutor = await approvedTutor({ availability: ALL_WEEK("UTC", { horizonDays: 365 }) });
    served[`${BASE}/night.ics`] = ics(
      cal(
        ev("UID:flight", "SUMMARY:Night flight", `DTSTART;TZID=${zone}:${skippedWall}`, `DTEND;TZID=${zone}:${end(skippedWall)}`),
        ev("UID:shift", "SUMMARY:Night shift", `DTSTART;TZID=${zone}:${skippedWall}`, "DURATION:PT1H", "RRULE:FREQ=DAILY;COUNT=2"),
      ),
    );
    const res = await addCalendar(tutor.client, `${BASE}/night.ics`);
    expect(res.status).toBe(201);
    expect(res.json.calendar).toMatchObject({ eventCount: 3, skippedEvents: 0, lastError: null });
    // The next night has its 02:30 (an hour earlier in UTC, now the clocks are ahead).
    const nextNight = start + DAY - HOUR;
    const blocks = await calendarOf(env, tutor.user.id).blocks(`ics:${res.json.calendar.id}`);
    expect(blocks.map((b) => [b.start, b.end, b.title]).sort()).toEqual([
      [new Date(start).toISOString(), new Date(start + HOUR).toISOString(), "Night flight"],
      [new Date(start).toISOString(), new Date(start + HOUR).toISOString(), "Night shift"],
      [new Date(nextNight).toISOString(), new Date(nextNight + HOUR).toISOString(), "Night shift"],
    ]);

    const student = await fundedStudent(240);
    for (const at of [start, nextNight]) {
      const booked = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: new Date(at).toISOString(), durationMinutes: 60, subject: "mathematics" });
      expect([booked.status, booked.json.error?.code]).toEqual([409, "slot_unavailable"]);
    }
    // The hour after the event is the tutor's again.
    const after = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: new Date(start + HOUR).toISOString(), durationMinutes: 60, subject: "mathematics" });
    expect(after.status).toBe(201);
  });

  it("blocks the window's part of an event longer than a block may be (a leave of 530 days), and the other events", async () => {
    const tutor = await approvedTutor();
    const t0 = hourAhead(30);
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll("-", "");
    served[`${BASE}/leave.ics`] = ics(
      cal(
        ev("UID:meeting", "SUMMARY:Meeting", `DTSTART:${basic(t0)}`, `DTEND:${basic(t0 + HOUR)}`),
        ev("UID:leave", "SUMMARY:Parental leave", `DTSTART;VALUE=DATE:${day(Date.now() - 30 * DAY)}`, `DTEND;VALUE=DATE:${day(Date.now() + 500 * DAY)}`),
      ),
    );
    const res = await addCalendar(tutor.client, `${BASE}/leave.ics`);
    expect(res.status).toBe(201);
    expect(res.json.calendar).toMatchObject({ eventCount: 2, lastError: null });
    const blocks = await calendarOf(env, tutor.user.id).blocks(`ics:${res.json.calendar.id}`);
    expect(blocks.map((b) => b.title).sort()).toEqual(["Meeting", "Parental leave"]);
    const leave = blocks.find((b) => b.title === "Parental leave")!;
    expect(Date.parse(leave.start)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(leave.end)).toBeGreaterThan(Date.now() + 360 * DAY);
    expect(Date.parse(leave.end) - Date.parse(leave.start)).toBeLessThanOrEqual(400 * DAY);
    expect(await freeStarts(tutor.user.id, t0 - 5 * HOUR, 24)).toEqual([]);
  });
});

describe("outside calendars: what is refused", () => {
  it.each([
    ["plain http", "http://calendars.example/x.ics"],
    ["this machine", "https://localhost/x.ics"],
    ["an IP address", "https://10.0.0.7/x.ics"],
    ["not a URL", "my calendar"],
    ["a decimal IP", "https://2130706433/x.ics"],
    ["a hex IP", "https://0x7f.0.0.1/x.ics"],
    ["the metadata address", "https://169.254.169.254/latest/meta-data/"],
    ["an IPv6 address", "https://[::1]/x.ics"],
    ["an IPv4-mapped IPv6 address", "https://[::ffff:a00:7]/x.ics"],
    ["a trailing dot", "https://localhost./x.ics"],
    ["a single-label name", "https://calendar/x.ics"],
    ["an internal name", "https://metadata.google.internal/x.ics"],
    ["an mDNS name", "https://nas.local/x.ics"],
    ["a reverse-DNS name", "https://7.0.0.10.in-addr.arpa/x.ics"],
    ["credentials in the address", "https://calendars.example@10.0.0.7/x.ics"],
    ["a port", "https://calendars.example:8080/x.ics"],
    ["a webcal link to this machine", "webcal://127.0.0.1/x.ics"],
  ])("refuses %s with 400 and fetches nothing", async (_, url) => {
    const tutor = await approvedTutor();
    const res = await addCalendar(tutor.client, url);
    expect(res.status).toBe(400);
    expect(res.json.error.issues[0].path).toBe("url");
    expect(requested).toEqual([]);
  });

  it("allows five calendars per tutor", async () => {
    const tutor = await approvedTutor();
    for (let i = 0; i < 5; i++) served[`${BASE}/${i}.ics`] = ics(cal());
    for (let i = 0; i < 5; i++) expect((await addCalendar(tutor.client, `${BASE}/${i}.ics`)).status).toBe(201);
    const sixth = await addCalendar(tutor.client, `${BASE}/0.ics`);
    expect(sixth.status).toBe(409);
    expect(sixth.json.error.code).toBe("too_many_calendars");
  });

  it("keeps each tutor to their own calendars and is for tutors only", async () => {
    const [a, b] = [await approvedTutor(), await approvedTutor()];
    served[`${BASE}/a.ics`] = ics(cal());
    const added = (await addCalendar(a.client, `${BASE}/a.ics`)).json.calendar;
    expect((await b.client.post(`/api/tutors/me/external-calendars/${added.id}/sync`)).status).toBe(404);
    expect((await b.client.request("DELETE", `/api/tutors/me/external-calendars/${added.id}`)).status).toBe(404);
    expect((await b.client.get("/api/tutors/me/external-calendars")).json.calendars).toEqual([]);
    const student = await signup("student");
    expect((await student.client.get("/api/tutors/me/external-calendars")).status).toBe(403);
    expect((await addCalendar(student.client, `${BASE}/a.ics`)).status).toBe(403);
    expect((await new Client().get("/api/tutors/me/external-calendars")).status).toBe(401);
  });
});

describe("outside calendars: fetching them safely", () => {
  const soon = () => hourAhead(30);
  const oneEvent = (t0: number) => cal(ev("UID:a", "SUMMARY:Outside", `DTSTART:${basic(t0)}`, `DTEND:${basic(t0 + HOUR)}`));
  const redirect = (location: string, status = 302) => () => new Response(null, { status, headers: { Location: location } });
  const REDIRECT_REFUSED = "The calendar address sends us somewhere else; add the address it finally leads to.";

  it("follows redirects on the same host over https, checking each hop", async () => {
    const tutor = await approvedTutor();
    served[`${BASE}/moved.ics`] = redirect("/private-3f9a1c/moved-again.ics", 301);
    served[`${BASE}/moved-again.ics`] = redirect(`${BASE}/final.ics`, 308);
    served[`${BASE}/final.ics`] = ics(oneEvent(soon()));
    const res = await addCalendar(tutor.client, `${BASE}/moved.ics`);
    expect(res.json.calendar).toMatchObject({ lastError: null, eventCount: 1 });
    expect(requested).toEqual([`${BASE}/moved.ics`, `${BASE}/moved-again.ics`, `${BASE}/final.ics`]);
  });

  it.each([
    ["another host", "https://elsewhere.example/x.ics"],
    ["plain http on the same host", "http://calendars.example/private-3f9a1c/x.ics"],
    ["an IP address", "https://10.0.0.7/x.ics"],
    ["the metadata address", "http://169.254.169.254/latest/meta-data/"],
    ["this machine", "https://localhost/x.ics"],
    ["a decimal IP", "https://2130706433/"],
    ["a host with credentials", "https://user@calendars.example/x.ics"],
    ["another port", "https://calendars.example:8443/x.ics"],
    ["nowhere", ""],
  ])("refuses a redirect to %s without following it", async (_, location) => {
    const tutor = await approvedTutor();
    served[`${BASE}/r.ics`] = redirect(location);
    const res = await addCalendar(tutor.client, `${BASE}/r.ics`);
    expect(res.status).toBe(201);
    expect(res.json.calendar).toMatchObject({ lastError: REDIRECT_REFUSED, eventCount: 0 });
    expect(requested).toEqual([`${BASE}/r.ics`]);
  });

  it("stops after five redirects", async () => {
    const tutor = await approvedTutor();
    for (let i = 0; i < 10; i++) served[`${BASE}/hop${i}.ics`] = redirect(`${BASE}/hop${i + 1}.ics`);
    const res = await addCalendar(tutor.client, `${BASE}/hop0.ics`);
    expect(res.json.calendar.lastError).toBe(REDIRECT_REFUSED);
    expect(requested).toHaveLength(6);
  });

  it("reads at most 5 MB of a body that never ends, then stops reading it", async () => {
    const tutor = await approvedTutor();
    let pulled = 0;
    let cancelled = false;
    served[`${BASE}/endless.ics`] = () =>
      new Response(
        new ReadableStream({
          pull(c) {
            pulled++;
            c.enqueue(new TextEncoder().encode(`BEGIN:VCALENDAR\r\n${"X-PAD:".padEnd(256 * 1024, "x")}\r\n`));
          },
          cancel() {
            cancelled = true;
          },
        }),
      );
    const res = await addCalendar(tutor.client, `${BASE}/endless.ics`);
    expect(res.json.calendar.lastError).toBe("The calendar is larger than 5 MB.");
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(5 * 4 + 5);
  });

  it("refuses a body that says it is larger than 5 MB without reading it", async () => {
    const tutor = await approvedTutor();
    let pulled = 0;
    served[`${BASE}/big.ics`] = () =>
      new Response(new ReadableStream({ pull: () => void pulled++ }), { headers: { "Content-Length": String(6 * 1024 * 1024) } });
    expect((await addCalendar(tutor.client, `${BASE}/big.ics`)).json.calendar.lastError).toBe("The calendar is larger than 5 MB.");
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it.each([
    ["a server that never answers", () => undefined],
    ["a body that stalls after its first bytes", () => new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode("BEGIN:VCALENDAR\r\n")) }))],
  ])("gives up on %s at its deadline", async (_, answer) => {
    served[`${BASE}/slow.ics`] = ({ signal }) => {
      const res = answer();
      if (res) return res;
      return new Promise<Response>((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason)));
    };
    const failure = await downloadCalendar(`${BASE}/slow.ics`, null, { ...DOWNLOAD_LIMITS, timeoutMs: 300 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DownloadError);
    expect((failure as Error).message).toBe("The calendar address did not answer in time.");
  });

  it.each([
    ["an unusual status with a telling body", () => new Response("internal-secret: db.corp:5432 password=hunter2", { status: 418, headers: { "X-Internal": "secret" } })],
    ["a server error", () => new Response("Traceback: secret stack", { status: 599 })],
    ["a page that is not a calendar", () => new Response("<html>internal-secret admin console</html>", { headers: { "Content-Type": "text/html" } })],
  ])("never shows the tutor what the other server said (%s)", async (_, answer) => {
    const tutor = await approvedTutor();
    served[`${BASE}/leak.ics`] = answer;
    const res = await addCalendar(tutor.client, `${BASE}/leak.ics`);
    // What a tutor reads, without the calendar's random id and the timestamps (digits such as "418" turn up in those).
    const shown = (JSON.stringify(res.json) + JSON.stringify((await tutor.client.get("/api/tutors/me/external-calendars")).json))
      .replaceAll(res.json.calendar.id, "<id>")
      .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, "<time>");
    expect(res.json.calendar.lastError).toMatch(/^The (calendar's server did not hand over the calendar|address does not return an iCalendar)/);
    for (const leak of ["secret", "418", "599", "Traceback", "hunter2"]) expect(shown).not.toContain(leak);
  });

  it("asks only for changes (ETag, Last-Modified); a 304 keeps the blocks, and a day later it reads the whole calendar again", async () => {
    const tutor = await approvedTutor();
    const t0 = soon();
    let body = oneEvent(t0);
    served[`${BASE}/etag.ics`] = ({ headers }) =>
      headers.get("If-None-Match") === '"v1"'
        ? new Response(null, { status: 304, headers: { ETag: '"v1"' } })
        : new Response(body, { headers: { "Content-Type": "text/calendar", ETag: '"v1"', "Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT" } });
    const added = (await addCalendar(tutor.client, `${BASE}/etag.ics`)).json.calendar;
    expect(sentHeaders[0]!.get("If-None-Match")).toBeNull();

    body = cal(); // changed, but the server says 304 to the version we hold
    const again = (await tutor.client.post(`/api/tutors/me/external-calendars/${added.id}/sync`)).json.calendar;
    expect(sentHeaders[1]!.get("If-None-Match")).toBe('"v1"');
    expect(sentHeaders[1]!.get("If-Modified-Since")).toBe("Tue, 01 Dec 2026 10:00:00 GMT");
    expect(again).toMatchObject({ eventCount: 1, lastError: null });
    expect(again.lastSyncAt >= added.lastSyncAt).toBe(true);
    expect(await calendarOf(env, tutor.user.id).blocks(`ics:${added.id}`)).toHaveLength(1);

    // A day later the sync reads it whole (endless rules reach further every day).
    await env.DB.prepare("UPDATE external_calendars SET fetched_at = ? WHERE id = ?").bind(new Date(Date.now() - 2 * DAY).toISOString(), added.id).run();
    const later = (await tutor.client.post(`/api/tutors/me/external-calendars/${added.id}/sync`)).json.calendar;
    expect(sentHeaders[2]!.get("If-None-Match")).toBeNull();
    expect(later).toMatchObject({ eventCount: 0, lastError: null });
  });

  it("skips events it cannot read, keeps the others and says how many it skipped", async () => {
    const tutor = await approvedTutor();
    const t0 = soon();
    served[`${BASE}/sloppy.ics`] = ics(
      cal(
        ev("UID:one", "SUMMARY:One", `DTSTART:${basic(t0)}`, `DTEND:${basic(t0 + HOUR)}`),
        // Some Exchange servers quote a TZID and swallow the value with it.
        ev("UID:broken", 'DTSTART;TZID="Eastern Standard Time:20270101T090000', "DTEND:20270101T100000Z"),
        ev("UID:two", "SUMMARY:Two", `DTSTART:${basic(t0 + 2 * HOUR)}`, `DTEND:${basic(t0 + 3 * HOUR)}`),
      ),
    );
    const res = (await addCalendar(tutor.client, `${BASE}/sloppy.ics`)).json.calendar;
    expect(res).toMatchObject({ eventCount: 2, skippedEvents: 1, lastError: "1 event could not be read and was skipped." });
    expect((await calendarOf(env, tutor.user.id).blocks(`ics:${res.id}`)).map((b) => b.title)).toEqual(["One", "Two"]);
  });
});

describe("outside calendar addresses at rest", () => {
  it("keeps the address sealed in D1, bound to its row", async () => {
    const tutor = await approvedTutor();
    served[`${BASE}/sealed.ics`] = ics(cal());
    served[`${BASE}/other.ics`] = ics(cal());
    const a = (await addCalendar(tutor.client, `${BASE}/sealed.ics`)).json.calendar;
    const b = (await addCalendar(tutor.client, `${BASE}/other.ics`)).json.calendar;
    const row = await env.DB.prepare("SELECT url, host FROM external_calendars WHERE id = ?").bind(a.id).first<{ url: string; host: string }>();
    expect(row!.url).toMatch(/^sealed:v1:[0-9a-f]{8}:/);
    expect(row!.url).not.toContain("private-3f9a1c");
    expect(row!.host).toBe("calendars.example");
    // Copied into another row, a sealed address does not open: nothing is fetched.
    await env.DB.prepare("UPDATE external_calendars SET url = ? WHERE id = ?").bind(row!.url, b.id).run();
    requested = [];
    const synced = (await tutor.client.post(`/api/tutors/me/external-calendars/${b.id}/sync`)).json.calendar;
    expect(synced.lastError).toBe("The calendar could not be synced.");
    expect(requested).toEqual([]);
  });

  it("seals addresses stored in the clear before encryption, and syncs them as before", async () => {
    const tutor = await approvedTutor();
    const t0 = hourAhead(30);
    served[`${BASE}/legacy.ics`] = ics(cal(ev("UID:legacy", `DTSTART:${basic(t0)}`, `DTEND:${basic(t0 + HOUR)}`)));
    const id = `legacy${Date.now().toString(36)}`;
    await env.DB.prepare("INSERT INTO external_calendars (id, tutor_id, label, url, created_at) VALUES (?, ?, 'Old', ?, ?)").bind(id, tutor.user.id, `${BASE}/legacy.ics`, new Date().toISOString()).run();
    await env.DB.prepare("UPDATE external_calendars SET last_sync_at = ? WHERE tutor_id != ?").bind(new Date().toISOString(), tutor.user.id).run();
    await runCron("*/15 * * * *");
    const row = await env.DB.prepare("SELECT url, host FROM external_calendars WHERE id = ?").bind(id).first<{ url: string; host: string }>();
    expect(row!.url).toMatch(/^sealed:v1:/);
    expect(row!.host).toBe("calendars.example");
    expect(requested).toContain(`${BASE}/legacy.ics`);
    expect((await tutor.client.get("/api/tutors/me/external-calendars")).json.calendars).toEqual([expect.objectContaining({ id, address: "calendars.example", eventCount: 1, lastError: null })]);
    const run = await env.DB.prepare("SELECT last_status FROM cron_runs WHERE job = 'sealPlainSecrets'").first<{ last_status: string }>();
    expect(run).toEqual({ last_status: "ok" });
  });
});

describe("the */15 Cron Trigger", () => {
  it("syncs calendars that are due and leaves recently synced ones alone", async () => {
    const tutor = await approvedTutor();
    served[`${BASE}/cron.ics`] = () => new Response("down", { status: 503 });
    const added = (await addCalendar(tutor.client, `${BASE}/cron.ics`)).json.calendar;
    expect(added.lastError).toBe("The calendar's server did not hand over the calendar. If you reset or unshared it, add its new address.");
    const t0 = hourAhead(30);
    served[`${BASE}/cron.ics`] = ics(cal(ev("UID:weekly", `DTSTART:${basic(t0)}`, `DTEND:${basic(t0 + HOUR)}`, "RRULE:FREQ=WEEKLY;COUNT=7")));

    // Synced a moment ago: not due yet.
    requested = [];
    await runCron("*/15 * * * *");
    expect(requested).not.toContain(`${BASE}/cron.ics`);

    await env.DB.prepare("UPDATE external_calendars SET last_sync_at = ? WHERE id = ?").bind(new Date(Date.now() - 20 * 60_000).toISOString(), added.id).run();
    await runCron("*/15 * * * *");
    expect(requested).toContain(`${BASE}/cron.ics`);
    const [after] = (await tutor.client.get("/api/tutors/me/external-calendars")).json.calendars;
    expect(after).toMatchObject({ id: added.id, lastError: null, eventCount: 7 });
    const run = await env.DB.prepare("SELECT last_status FROM cron_runs WHERE job = 'syncOutsideCalendars'").first<{ last_status: string }>();
    expect(run).toEqual({ last_status: "ok" });
  });

  it("is a job that can be called directly, syncing only what is due at the given time", async () => {
    const tutor = await approvedTutor();
    const t0 = hourAhead(30);
    served[`${BASE}/direct.ics`] = ics(cal(ev("UID:one", `DTSTART:${basic(t0)}`, `DTEND:${basic(t0 + HOUR)}`)));
    const added = (await addCalendar(tutor.client, `${BASE}/direct.ics`)).json.calendar;
    served[`${BASE}/direct.ics`] = ics(cal(ev("UID:one", `DTSTART:${basic(t0)}`, `DTEND:${basic(t0 + HOUR)}`), ev("UID:two", `DTSTART:${basic(t0 + 2 * HOUR)}`, `DTEND:${basic(t0 + 3 * HOUR)}`)));
    // Other tests' calendars are not due: only this tutor's are in the run.
    await env.DB.prepare("UPDATE external_calendars SET last_sync_at = ? WHERE tutor_id != ?").bind(new Date(Date.now() + DAY).toISOString(), tutor.user.id).run();
    requested = [];
    await syncOutsideCalendars(env, Date.now());
    expect(requested).not.toContain(`${BASE}/direct.ics`);
    await syncOutsideCalendars(env, Date.now() + 15 * 60_000);
    expect(requested).toContain(`${BASE}/direct.ics`);
    expect((await calendarOf(env, tutor.user.id).blocks(`ics:${added.id}`)).map((b) => b.externalId)).toEqual(["one", "two"]);
  });

  it("runs nothing for a cron string it does not know", async () => {
    await runCron("0 0 * * *");
    expect(requested).toEqual([]);
  });
});
