import { env, exports } from "cloudflare:workers";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { lintIcs } from "../../domain/ical/lint";
import { sha256Hex } from "../../worker/lib/crypto";
import { decompress } from "../../platform/calendarFeed/render";
import { Client, adminClient, approvedTutor, drained, fundedStudent, resetPassword, signup, slotAhead } from "./helpers";
import { bookedSession } from "./videoHelpers";

const HOUR = 3_600_000;
const FEED_URL = /^http:\/\/localhost\/ical\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}\.ics$/;

/** Fetches a feed like a calendar app: no cookie, only the secret URL. */
async function fetchFeed(url: string, headers: Record<string, string> = {}) {
  const res = await new Client().get(new URL(url).pathname, headers);
  return res;
}

/** A feed that must be valid RFC 5545 (our lint) and parse in Mozilla's ical.js; its events by UID. */
async function readFeed(url: string) {
  const res = await fetchFeed(url);
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
  expect(lintIcs(res.text)).toEqual([]);
  const cal = new ICAL.Component(ICAL.parse(res.text));
  const events = cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
  const byUid = new Map(
    events.map((e) => [
      e.uid,
      {
        start: e.startDate.toJSDate().toISOString(),
        end: e.endDate.toJSDate().toISOString(),
        sequence: e.sequence,
        status: e.component.getFirstPropertyValue("status"),
        summary: e.summary,
        description: e.description,
        url: e.component.getFirstPropertyValue("url"),
        attendees: e.attendees.map((a) => a.getParameter("cn")),
        stamp: String(e.component.getFirstPropertyValue("dtstamp")),
      },
    ]),
  );
  return { cal, byUid, text: res.text, etag: res.headers.get("ETag") };
}

const book = (client: Client, tutorId: string, start: string, extra: Record<string, unknown> = {}) =>
  client.post("/api/bookings", { tutorId, start, durationMinutes: 60, subject: "mathematics", ...extra });

describe("GET /api/tutors/me/calendar-feed and /api/me/calendar-feed", () => {
  it("gives a tutor a stable secret URL without writing anything, and never stores the token", async () => {
    const tutor = await approvedTutor();
    const first = await tutor.client.get("/api/tutors/me/calendar-feed");
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ rotatedAt: null });
    expect(first.json.url).toMatch(FEED_URL);
    expect(first.json.webcalUrl).toBe(first.json.url.replace("http:", "webcal:"));
    expect((await tutor.client.get("/api/tutors/me/calendar-feed")).json.url).toBe(first.json.url);
    expect((await tutor.client.get("/api/me/calendar-feed")).json.url).toBe(first.json.url);
    expect(await env.DB.prepare("SELECT * FROM calendar_feeds WHERE user_id = ?").bind(tutor.user.id).first()).toBeNull();
    const rotated = (await tutor.client.post("/api/tutors/me/calendar-feed/rotate")).json.url as string;
    const token = rotated.split("/").pop()!.replace(".ics", "");
    const mac = token.split(".")[1]!;
    const row = await env.DB.prepare("SELECT * FROM calendar_feeds WHERE user_id = ?").bind(tutor.user.id).first<Record<string, string>>();
    expect(Object.keys(row!).sort()).toEqual(["nonce", "rotated_at", "user_id"]);
    expect(JSON.stringify(row)).not.toContain(mac);
    expect(JSON.stringify(row)).not.toContain(await sha256Hex(token));
  });

  it("gives students their own feed URL, and keeps each route to its roles", async () => {
    const student = await signup("student");
    const res = await student.client.get("/api/me/calendar-feed");
    expect(res.status).toBe(200);
    expect(res.json.url).toMatch(FEED_URL);
    expect((await student.client.get("/api/tutors/me/calendar-feed")).status).toBe(403);
    expect((await student.client.post("/api/tutors/me/calendar-feed/rotate")).status).toBe(403);
    expect((await new Client().get("/api/me/calendar-feed")).status).toBe(401);
    expect((await new Client().post("/api/me/calendar-feed/rotate")).status).toBe(401);
    const admin = await adminClient();
    expect((await admin.get("/api/me/calendar-feed")).status).toBe(403);
  });

  it("rotating gives a new URL and the old one stops working at once", async () => {
    const student = await signup("student");
    const old = (await student.client.get("/api/me/calendar-feed")).json.url;
    expect((await fetchFeed(old)).status).toBe(200);
    const rotated = await student.client.post("/api/me/calendar-feed/rotate");
    expect(rotated.status).toBe(200);
    expect(rotated.json.url).toMatch(FEED_URL);
    expect(rotated.json.url).not.toBe(old);
    expect(rotated.json.rotatedAt).toBeTruthy();
    expect((await fetchFeed(old)).status).toBe(404);
    expect((await fetchFeed(rotated.json.url)).status).toBe(200);
    expect((await student.client.get("/api/me/calendar-feed")).json.url).toBe(rotated.json.url);
  });

  it("refuses a cross-site rotation", async () => {
    const student = await signup("student");
    const res = await student.client.post("/api/me/calendar-feed/rotate", {}, { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
  });
});

describe("a feed URL someone else copied", () => {
  const PASSWORD = "correct horse battery";
  /** The same cookies in another browser: someone who had the session for a moment. */
  const copyOf = (client: Client) => {
    const c = new Client();
    c.cookie = client.cookie;
    return c;
  };

  it("stops answering once the owner resets the password; the owner's new session shows the new URL", async () => {
    const victim = await signup("student");
    const thief = copyOf(victim.client);
    const copied = (await thief.get("/api/me/calendar-feed")).json.url as string;
    expect((await fetchFeed(copied)).status).toBe(200);
    const here = await resetPassword(victim.user.email);
    expect((await fetchFeed(copied)).status).toBe(404);
    // The thief's session is gone: inside its credential's 60 s it is still not handed the new URL, nor a rotated one.
    expect((await thief.get("/api/me/calendar-feed")).status).toBe(401);
    expect((await thief.post("/api/me/calendar-feed/rotate")).status).toBe(401);
    const renewed = (await here.get("/api/me/calendar-feed")).json;
    expect(renewed.url).toMatch(FEED_URL);
    expect(renewed.url).not.toBe(copied);
    expect(renewed.rotatedAt).toBeTruthy();
    expect((await fetchFeed(renewed.url)).status).toBe(200);
  });

  it("stops answering when the owner signs out everywhere, a tutor's too", async () => {
    const tutor = await approvedTutor();
    const copied = (await copyOf(tutor.client).get("/api/tutors/me/calendar-feed")).json.url as string;
    expect((await fetchFeed(copied)).status).toBe(200);
    expect((await tutor.client.post("/api/me/sessions/revoke-all")).status).toBe(204);
    expect((await fetchFeed(copied)).status).toBe(404);
    const again = new Client();
    expect((await again.post("/api/auth/login", { email: tutor.user.email, password: PASSWORD })).status).toBe(200);
    const renewed = (await again.get("/api/tutors/me/calendar-feed")).json.url as string;
    expect(renewed).not.toBe(copied);
    expect((await fetchFeed(renewed)).status).toBe(200);
  });

  it("keeps working through a password change and a single device signed out: the calendars the owner subscribed keep updating", async () => {
    const student = await signup("student");
    const phone = new Client();
    expect((await phone.post("/api/auth/login", { email: student.user.email, password: PASSWORD })).status).toBe(200);
    const url = (await student.client.get("/api/me/calendar-feed")).json.url as string;
    const phoneId = ((await student.client.get("/api/me/sessions")).json.sessions as { id: string; current: boolean }[]).find((s) => !s.current)!.id;
    expect((await student.client.request("DELETE", `/api/me/sessions/${phoneId}`)).status).toBe(204);
    expect((await student.client.post("/api/me/password", { current: PASSWORD, password: "a new long password" })).status).toBe(200);
    expect((await fetchFeed(url)).status).toBe(200);
    expect((await student.client.get("/api/me/calendar-feed")).json.url).toBe(url);
  });
});

describe("GET /ical/:token.ics", () => {
  it.each([
    ["a token of no shape", `/ical/${"A".repeat(43)}.ics`],
    ["a short token", "/ical/abc.ics"],
    ["an unknown user", `/ical/${btoa("nobody").replace(/=+$/, "")}.${"A".repeat(43)}.ics`],
    ["no .ics", `/ical/${"A".repeat(43)}`],
    ["an overlong name", `/ical/${"A".repeat(400)}.ics`],
  ])("answers 404 for %s", async (_, path) => {
    const res = await new Client().get(path);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain("BEGIN:VCALENDAR");
  });

  it("answers 404 to a real user's id with a forged or borrowed MAC", async () => {
    const [a, b] = [await signup("student"), await signup("student")];
    const tokenOf = async (c: Client) => (await c.get("/api/me/calendar-feed")).json.url.split("/ical/")[1].replace(".ics", "") as string;
    const [ta, tb] = [await tokenOf(a.client), await tokenOf(b.client)];
    const [idA] = ta.split(".");
    const [, macB] = tb.split(".");
    expect((await new Client().get(`/ical/${ta}.ics`)).status).toBe(200);
    expect((await new Client().get(`/ical/${idA}.${macB}.ics`)).status).toBe(404);
    expect((await new Client().get(`/ical/${idA}.${"A".repeat(43)}.ics`)).status).toBe(404);
  });

  it("shows a booking, its reschedule and its cancellation to tutor and student, with a growing SEQUENCE", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(240);
    const tutorFeed = (await tutor.client.get("/api/tutors/me/calendar-feed")).json.url;
    const studentFeed = (await student.client.get("/api/me/calendar-feed")).json.url;
    const start = slotAhead(48 * 60);
    const booked = await book(student.client, tutor.user.id, start);
    expect(booked.status).toBe(201);
    const id = booked.json.booking.id;
    const uid = `${id}@tutorly`;
    // Feeds read the D1 projection, which the tutor's calendar writes after answering.
    const settled = () => drained(tutor.user.id);
    await settled();

    const t1 = (await readFeed(tutorFeed)).byUid.get(uid)!;
    expect(t1).toMatchObject({ start, end: new Date(Date.parse(start) + HOUR).toISOString(), status: "CONFIRMED", summary: "Mathematics with Test Student", url: `http://localhost/sessions/${id}`, attendees: ["Test Student"] });
    expect(t1.description).toContain(`Join: http://localhost/sessions/${id}`);
    const s1 = (await readFeed(studentFeed)).byUid.get(uid)!;
    expect(s1).toMatchObject({ start, status: "CONFIRMED", summary: "Mathematics with Test Tutor", attendees: ["Test Student"] });

    const later = slotAhead(72 * 60);
    expect((await student.client.post(`/api/bookings/${id}/reschedule`, { start: later })).status).toBe(200);
    await settled();
    const t2 = (await readFeed(tutorFeed)).byUid.get(uid)!;
    const s2 = (await readFeed(studentFeed)).byUid.get(uid)!;
    for (const [before, after] of [
      [t1, t2],
      [s1, s2],
    ]) {
      expect(after).toMatchObject({ start: later, end: new Date(Date.parse(later) + HOUR).toISOString(), status: "CONFIRMED" });
      expect(after!.sequence).toBeGreaterThan(before!.sequence);
    }

    expect((await tutor.client.post(`/api/bookings/${id}/cancel`, { reason: "ill" })).status).toBe(200);
    await settled();
    const t3 = (await readFeed(tutorFeed)).byUid.get(uid)!;
    const s3 = (await readFeed(studentFeed)).byUid.get(uid)!;
    for (const [before, after] of [
      [t2, t3],
      [s2, s3],
    ]) {
      expect(after).toMatchObject({ start: later, status: "CANCELLED" });
      expect(after!.summary).toMatch(/^Cancelled: /);
      expect(after!.sequence).toBeGreaterThan(before!.sequence);
    }
  });

  it("carries the calendar name and refresh hints", async () => {
    const tutor = await approvedTutor();
    const { cal, text } = await readFeed((await tutor.client.get("/api/tutors/me/calendar-feed")).json.url);
    expect(cal.getFirstPropertyValue("x-wr-calname")).toBe("Tutorly — Test Tutor");
    expect(text).toContain("\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n");
    expect(text).toContain("\r\nX-PUBLISHED-TTL:PT1H\r\n");
  });

  it("answers 304 to a matching If-None-Match, and a new ETag once something changed", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(120);
    const url = (await tutor.client.get("/api/tutors/me/calendar-feed")).json.url;
    const first = await fetchFeed(url);
    const etag = first.headers.get("ETag")!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await fetchFeed(url, { "If-None-Match": etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    expect(again.headers.get("ETag")).toBe(etag);
    expect((await fetchFeed(url, { "If-None-Match": `"other", W/${etag}` })).status).toBe(304);
    expect((await book(student.client, tutor.user.id, slotAhead(48 * 60))).status).toBe(201);
    await drained(tutor.user.id);
    const changed = await fetchFeed(url, { "If-None-Match": etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("ETag")).not.toBe(etag);
  });

  it("is rendered ahead: handing out the URL keeps a render, which the first GET serves (gzip when asked), and a change renders it again", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(180);
    expect((await book(student.client, tutor.user.id, slotAhead(48 * 60))).status).toBe(201);
    await drained(tutor.user.id);
    const url = (await tutor.client.get("/api/tutors/me/calendar-feed")).json.url;
    const kept = () => env.DB.prepare("SELECT etag, rendered_at FROM feed_renders WHERE user_id = ?").bind(tutor.user.id).first<{ etag: string; rendered_at: string }>();
    await expect.poll(kept, { timeout: 5000 }).toBeTruthy();
    const { etag } = (await kept())!;
    const zipped = await exports.default.fetch(new Request(`${new URL(url).origin}${new URL(url).pathname}`, { headers: { "Accept-Encoding": "gzip" } }));
    expect(zipped.status).toBe(200);
    expect(zipped.headers.get("ETag")).toBe(etag);
    expect(zipped.headers.get("Content-Encoding")).toBe("gzip");
    // The kept bytes serve every request, not just the first.
    const again = await exports.default.fetch(new Request(`${new URL(url).origin}${new URL(url).pathname}`, { headers: { "Accept-Encoding": "gzip" } }));
    const [one, two] = [new Uint8Array(await zipped.arrayBuffer()), new Uint8Array(await again.arrayBuffer())];
    expect(one.length).toBeGreaterThan(0);
    expect(two).toEqual(one);
    const plain = await fetchFeed(url);
    expect(plain.headers.get("ETag")).toBe(etag);
    expect(plain.headers.get("Content-Encoding")).toBeNull();
    expect(plain.text).toContain("BEGIN:VEVENT");
    expect(lintIcs(plain.text)).toEqual([]);

    // A new booking: the tutor's calendar renders the subscribed feed again after projecting it.
    expect((await book(student.client, tutor.user.id, slotAhead(50 * 60))).status).toBe(201);
    await drained(tutor.user.id);
    await expect.poll(async () => (await kept())!.etag, { timeout: 20_000, interval: 200 }).not.toBe(etag);
    const next = await fetchFeed(url);
    expect(next.headers.get("ETag")).toBe((await kept())!.etag);
    expect(next.text.match(/BEGIN:VEVENT/g)).toHaveLength(2);

    // A cancellation: the next GET is the new render (never the one served before), with the session cancelled.
    const second = (await book(student.client, tutor.user.id, slotAhead(52 * 60))).json.booking.id as string;
    await drained(tutor.user.id);
    const before = (await fetchFeed(url)).headers.get("ETag");
    expect((await tutor.client.post(`/api/bookings/${encodeURIComponent(second)}/cancel`, { reason: "ill" })).status).toBe(200);
    await drained(tutor.user.id);
    await expect.poll(async () => (await kept())!.etag, { timeout: 20_000, interval: 200 }).not.toBe(before);
    const after = await fetchFeed(url);
    expect(after.headers.get("ETag")).not.toBe(before);
    expect(after.headers.get("ETag")).toBe((await kept())!.etag);
    expect(after.text.match(/STATUS:CANCELLED/g)).toHaveLength(1);
  });

  it("never shows one user's sessions in another's feed, nor classmates in a student's group", async () => {
    const [tutorA, tutorB] = [await approvedTutor(), await approvedTutor()];
    const [ana, ben] = [await fundedStudent(600), await fundedStudent(600)];
    const anaBooking = (await book(ana.client, tutorA.user.id, slotAhead(48 * 60))).json.booking.id;
    const benBooking = (await book(ben.client, tutorA.user.id, slotAhead(50 * 60))).json.booking.id;
    const groupStart = slotAhead(96 * 60);
    const group = await tutorA.client.post("/api/tutors/me/group-sessions", { start: groupStart, durationMinutes: 60, subject: "mathematics", seats: 4 });
    expect(group.status).toBe(201);
    expect((await book(ana.client, tutorA.user.id, groupStart, { group: true })).status).toBe(201);
    expect((await book(ben.client, tutorA.user.id, groupStart, { group: true })).status).toBe(201);

    const anaFeed = await readFeed((await ana.client.get("/api/me/calendar-feed")).json.url);
    expect([...anaFeed.byUid.keys()].sort()).toEqual([`${anaBooking}@tutorly`, `${group.json.booking.id}@tutorly`].sort());
    expect(anaFeed.byUid.get(`${group.json.booking.id}@tutorly`)!.attendees).toEqual(["Test Student"]);
    expect(anaFeed.text).not.toContain(ben.user.id);

    const tutorBFeed = await readFeed((await tutorB.client.get("/api/tutors/me/calendar-feed")).json.url);
    expect(tutorBFeed.byUid.size).toBe(0);
    const tutorAFeed = await readFeed((await tutorA.client.get("/api/tutors/me/calendar-feed")).json.url);
    expect([...tutorAFeed.byUid.keys()].sort()).toEqual([`${anaBooking}@tutorly`, `${benBooking}@tutorly`, `${group.json.booking.id}@tutorly`].sort());
    expect(tutorAFeed.byUid.get(`${group.json.booking.id}@tutorly`)!.attendees).toHaveLength(2);
  });
});

/** A feed's text with its folded lines joined (RFC 5545 folds at 75 octets, maybe inside a name). */
const unfolded = (text: string) => text.replace(/\r\n[ \t]/g, "");

describe("a feed follows the names of the people in it", () => {
  it("a tutor's subscribed iCal feed stops naming a student who deleted their account", async () => {
    const { tutor, student } = await bookedSession({ startsInMinutes: -120, minutes: 60 });
    await drained(tutor.user.id);
    expect((await student.client.request("PATCH", "/api/me", { name: "Zelda Quist" })).status).toBe(200);
    const feed = await tutor.client.get("/api/tutors/me/calendar-feed");
    const app = new Client();
    const path = new URL(feed.json.url).pathname;
    expect(unfolded((await app.get(path)).text)).toContain("Zelda Quist");
    expect((await student.client.request("DELETE", "/api/me", { password: "correct horse battery" })).status).toBe(200);
    // Nor does the render kept for the tutor's feed hold the name any more.
    const kept = await env.DB.prepare("SELECT gzip FROM feed_renders WHERE user_id = ?").bind(tutor.user.id).first<{ gzip: ArrayBuffer }>();
    if (kept) expect(new TextDecoder().decode(await decompress(new Uint8Array(kept.gzip)))).not.toContain("Zelda Quist");
    const after = await app.get(path);
    expect(after.status).toBe(200);
    expect(unfolded(after.text)).not.toContain("Zelda Quist");
    expect(unfolded(after.text)).toContain("Deleted user");
  });

  it("a student's subscribed iCal feed stops naming a tutor who deleted their account", async () => {
    const { tutor, student } = await bookedSession({ startsInMinutes: -120, minutes: 60 });
    await drained(tutor.user.id);
    expect((await tutor.client.request("PATCH", "/api/me", { name: "Yorick Vantablack" })).status).toBe(200);
    const url = (await student.client.get("/api/me/calendar-feed")).json.url;
    const first = await fetchFeed(url);
    expect(unfolded(first.text)).toContain("Yorick Vantablack");
    expect((await tutor.client.request("DELETE", "/api/me", { password: "correct horse battery" })).status).toBe(200);
    // A calendar app revalidating with the ETag it holds gets the new body, not a 304.
    const after = await fetchFeed(url, { "If-None-Match": first.headers.get("ETag")! });
    expect(after.status).toBe(200);
    expect(unfolded(after.text)).not.toContain("Yorick Vantablack");
  });

  it("a rename shows in the counterpart's feed at the next poll, both ways", async () => {
    const { tutor, student } = await bookedSession({ startsInMinutes: -120, minutes: 60 });
    await drained(tutor.user.id);
    const tutorUrl = (await tutor.client.get("/api/tutors/me/calendar-feed")).json.url;
    const studentUrl = (await student.client.get("/api/me/calendar-feed")).json.url;
    const tutorFeed = await fetchFeed(tutorUrl);
    expect(unfolded(tutorFeed.text)).toContain("with Test Student");
    // Unchanged, the feed answers 304 to the ETag a calendar app holds.
    expect((await fetchFeed(tutorUrl, { "If-None-Match": tutorFeed.headers.get("ETag")! })).status).toBe(304);
    expect((await student.client.request("PATCH", "/api/me", { name: "Wilma Renamed" })).status).toBe(200);
    const tutorAfter = await fetchFeed(tutorUrl, { "If-None-Match": tutorFeed.headers.get("ETag")! });
    expect(tutorAfter.status).toBe(200);
    expect(unfolded(tutorAfter.text)).toContain("Wilma Renamed");

    const studentFeed = await fetchFeed(studentUrl);
    expect(unfolded(studentFeed.text)).toContain("with Test Tutor");
    expect((await fetchFeed(studentUrl, { "If-None-Match": studentFeed.headers.get("ETag")! })).status).toBe(304);
    expect((await tutor.client.request("PATCH", "/api/me", { name: "Victor Renamed" })).status).toBe(200);
    const studentAfter = await fetchFeed(studentUrl, { "If-None-Match": studentFeed.headers.get("ETag")! });
    expect(studentAfter.status).toBe(200);
    expect(unfolded(studentAfter.text)).toContain("Victor Renamed");
  });
});

describe("a cancelled group's roster", () => {
  it("a cancelled group counts only the students booked when it was cancelled, never more than its seats", async () => {
    const tutor = await approvedTutor();
    const [ana, ben, cy] = [await fundedStudent(600), await fundedStudent(600), await fundedStudent(600)];
    const start = slotAhead(72 * 60);
    const group = await tutor.client.post("/api/tutors/me/group-sessions", { start, durationMinutes: 60, subject: "mathematics", seats: 2 });
    const id = group.json.booking.id as string;
    expect((await book(ana.client, tutor.user.id, start, { group: true })).status).toBe(201);
    expect((await ana.client.post(`/api/bookings/${encodeURIComponent(id)}/cancel`, {})).status).toBe(200);
    expect((await book(ben.client, tutor.user.id, start, { group: true })).status).toBe(201);
    expect((await book(cy.client, tutor.user.id, start, { group: true })).status).toBe(201);
    await drained(tutor.user.id);
    const feedUrl = (await tutor.client.get("/api/tutors/me/calendar-feed")).json.url as string;
    expect(unfolded((await new Client().get(new URL(feedUrl).pathname)).text)).toContain("SUMMARY:Mathematics group (2/2)");
    expect((await tutor.client.post(`/api/bookings/${encodeURIComponent(id)}/cancel`, { reason: "ill" })).status).toBe(200);
    await drained(tutor.user.id);
    const after = unfolded((await new Client().get(new URL(feedUrl).pathname)).text);
    const summary = after.split("\r\n").find((l) => l.startsWith("SUMMARY:"));
    expect(summary).not.toContain("(3/2)");
    expect(summary).toContain("(2/2)");

    // The session as its tutor reads it: Ben and Cy held seats when it was cancelled; Ana had given hers up before.
    const seen = (await tutor.client.get(`/api/bookings/${encodeURIComponent(id)}`)).json.booking;
    expect(seen.status).toBe("cancelled");
    const seat = (studentId: string) => seen.participants.find((p: { studentId: string }) => p.studentId === studentId);
    expect(seat(ana.user.id)).toMatchObject({ status: "cancelled", left: true });
    for (const s of [ben, cy]) expect(seat(s.user.id)).toMatchObject({ status: "cancelled" });
    expect(seen.participants.filter((p: { left?: boolean }) => !p.left).map((p: { studentId: string }) => p.studentId).sort()).toEqual([ben.user.id, cy.user.id].sort());
    // The same in the tutor's list of sessions.
    const listed = (await tutor.client.get("/api/bookings")).json.bookings.find((b: { id: string }) => b.id === id);
    expect(listed.participants.filter((p: { left?: boolean }) => !p.left).map((p: { studentId: string }) => p.studentId).sort()).toEqual([ben.user.id, cy.user.id].sort());
  });
});
