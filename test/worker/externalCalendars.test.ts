import { env, exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { syncOutsideCalendars } from "../../worker/features/calendarSync/sync";
import { calendarOf } from "../../worker/lib/stubs";
import outlook from "../fixtures/ics/outlook2003-windows-tz-daily-weekdays.ics?raw";
import { Client, approvedTutor, signup } from "./helpers";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BASE = "https://calendars.example/private-3f9a1c";

/** The outside world, as far as the Worker's fetch can see it: paths under BASE served from here. */
let served: Record<string, () => Response>;
let requested: string[];
beforeEach(() => {
  served = {};
  requested = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
    const url = input instanceof Request ? input.url : String(input);
    requested.push(url);
    const answer = served[url];
    if (!answer) throw new TypeError("Network connection lost.");
    return answer();
  });
});
afterEach(() => vi.restoreAllMocks());

/** Fires a Cron Trigger at the Worker the way the runtime does. */
const runCron = (cron: string) =>
  (exports.default as unknown as { scheduled(o: { cron: string; scheduledTime: Date }): Promise<unknown> }).scheduled({ cron, scheduledTime: new Date() });

const ics = (text: string) => () => new Response(text, { headers: { "Content-Type": "text/calendar; charset=utf-8" } });

/** The basic-format UTC of an instant, e.g. 20270301T090000Z. */
const basic = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
/** The next whole hour at least `hours` from now. */
const hourAhead = (hours: number) => Math.ceil((Date.now() + hours * HOUR) / HOUR) * HOUR;

const cal = (...events: string[][]) => ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", ...events.flat(), "END:VCALENDAR", ""].join("\r\n");
const ev = (...lines: string[]) => ["BEGIN:VEVENT", "DTSTAMP:20270101T000000Z", ...lines, "END:VEVENT"];

const freeStarts = async (tutorId: string, from: number, hours: number) =>
  (await new Client().get(`/api/tutors/${tutorId}/slots?from=${new Date(from).toISOString()}&to=${new Date(from + hours * HOUR).toISOString()}&duration=60`)).json.slots.map((s: { start: string }) => Date.parse(s.start)) as number[];

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
    expect(res.json.calendar).toMatchObject({ label: "Work", address: "calendars.example/….ics", lastError: null, eventCount: 3 });
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
    ["a 404", () => new Response("gone", { status: 404 }), "The calendar address answered 404; it may have been reset."],
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

describe("outside calendars: what is refused", () => {
  it.each([
    ["plain http", "http://calendars.example/x.ics"],
    ["this machine", "https://localhost/x.ics"],
    ["an IP address", "https://10.0.0.7/x.ics"],
    ["not a URL", "my calendar"],
  ])("refuses %s with 400", async (_, url) => {
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

describe("the */15 Cron Trigger", () => {
  it("syncs calendars that are due and leaves recently synced ones alone", async () => {
    const tutor = await approvedTutor();
    served[`${BASE}/cron.ics`] = () => new Response("down", { status: 503 });
    const added = (await addCalendar(tutor.client, `${BASE}/cron.ics`)).json.calendar;
    expect(added.lastError).toBe("The calendar address answered 503.");
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
