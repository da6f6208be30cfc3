import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { type FeedBooking, bookingEvents, feedWindow, personUri } from "./bookingFeed";
import { renderFeed } from "./feed";
import { lintIcs } from "./lint";

const NOW = Date.parse("2027-03-01T12:00:00Z");
const ORIGIN = "https://tutorly.example";
const TUTOR = "7d3f0a52-1111-4c1e-9a6e-0b7c1d2e3f40";
const ANA = "a0000000-0000-4000-8000-00000000000a";
const BEN = "b0000000-0000-4000-8000-00000000000b";

const booking = (over: Partial<FeedBooking> = {}): FeedBooking => ({
  id: "bk-1",
  tutorId: TUTOR,
  tutorName: "Jürgen Straße",
  kind: "one_on_one",
  status: "confirmed",
  subject: "mathematics",
  startAt: "2027-03-02T09:00:00.000Z",
  endAt: "2027-03-02T10:00:00.000Z",
  seats: 1,
  sequence: 1,
  updatedAt: "2027-02-20T08:00:00.000Z",
  cancelledAt: null,
  participants: [{ id: ANA, name: "Ana; \"Nana\", Müller", cancelled: false }],
  ...over,
});

const render = (rows: FeedBooking[], viewer: { id: string; role: "tutor" | "student" }) =>
  decode(renderFeed({ name: "Tutorly — Jürgen Straße", refreshMinutes: 60, events: bookingEvents(rows, viewer, { origin: ORIGIN, window: feedWindow(NOW) }) }));
const decode = (bytes: Uint8Array) => new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);

const parse = (text: string) => {
  const cal = new ICAL.Component(ICAL.parse(text));
  return { cal, events: cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v)) };
};

describe("feedWindow", () => {
  it("reaches 90 days back and 365 ahead, keeping cancellations of the last 30 days", () => {
    const w = feedWindow(NOW);
    expect(new Date(w.from).toISOString()).toBe("2026-12-01T12:00:00.000Z");
    expect(new Date(w.to).toISOString()).toBe("2028-02-29T12:00:00.000Z");
    expect(new Date(w.cancelledSince).toISOString()).toBe("2027-01-30T12:00:00.000Z");
  });
});

describe("a tutor's feed", () => {
  it("is valid RFC 5545 that ical.js parses, with the calendar name and refresh hints", () => {
    const text = render([booking()], { id: TUTOR, role: "tutor" });
    expect(lintIcs(text)).toEqual([]);
    const { cal, events } = parse(text);
    expect(cal.getFirstPropertyValue("x-wr-calname")).toBe("Tutorly — Jürgen Straße");
    expect(cal.getFirstPropertyValue("name")).toBe("Tutorly — Jürgen Straße");
    expect(cal.getFirstProperty("refresh-interval")?.getFirstValue()?.toString()).toBe("PT1H");
    expect(cal.getFirstPropertyValue("x-published-ttl")).toBe("PT1H");
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(e.uid).toBe("bk-1@tutorly");
    expect(e.summary).toBe('Mathematics with Ana; "Nana", Müller');
    expect(e.startDate.toJSDate().toISOString()).toBe("2027-03-02T09:00:00.000Z");
    expect(e.endDate.toJSDate().toISOString()).toBe("2027-03-02T10:00:00.000Z");
    expect(e.sequence).toBe(1);
    expect(e.component.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(e.component.getFirstPropertyValue("dtstamp")?.toString()).toBe("2027-02-20T08:00:00Z");
    expect(e.component.getFirstPropertyValue("url")).toBe(`${ORIGIN}/sessions/bk-1`);
    expect(e.location).toBe(`${ORIGIN}/sessions/bk-1`);
    expect(e.description).toContain(`Join: ${ORIGIN}/sessions/bk-1`);
    expect(e.organizer).toBe(personUri(TUTOR));
    expect(e.attendees.map((a) => [a.getParameter("cn"), a.getFirstValue(), a.getParameter("partstat")])).toEqual([
      [`Ana; 'Nana', Müller`, `urn:uuid:${ANA}`, "ACCEPTED"],
    ]);
  });

  it("shows a group with every student, those who left as declined", () => {
    const text = render(
      [
        booking({
          kind: "group",
          seats: 4,
          participants: [
            { id: ANA, name: "Ana", cancelled: false },
            { id: BEN, name: "Ben", cancelled: true },
          ],
        }),
      ],
      { id: TUTOR, role: "tutor" },
    );
    const e = parse(text).events[0]!;
    expect(e.summary).toBe("Mathematics group (1/4)");
    expect(e.attendees.map((a) => [a.getParameter("cn"), a.getParameter("partstat")])).toEqual([
      ["Ana", "ACCEPTED"],
      ["Ben", "DECLINED"],
    ]);
  });

  it("keeps a cancelled session as STATUS:CANCELLED for 30 days after the cancellation, then drops it", () => {
    const ana = [{ id: ANA, name: "Ana", cancelled: true }];
    const recent = booking({ id: "recent", status: "cancelled", participants: ana, sequence: 2, cancelledAt: "2027-01-30T12:00:00.000Z", updatedAt: "2027-01-30T12:00:00.000Z" });
    const old = booking({ id: "old", status: "cancelled", participants: ana, sequence: 2, cancelledAt: "2027-01-30T11:59:59.000Z", updatedAt: "2027-01-30T11:59:59.000Z" });
    const events = parse(render([recent, old], { id: TUTOR, role: "tutor" })).events;
    expect(events.map((e) => [e.uid, e.component.getFirstPropertyValue("status"), e.sequence])).toEqual([["recent@tutorly", "CANCELLED", 2]]);
    expect(events[0]!.summary).toBe("Cancelled: Mathematics with Ana");
    expect(events[0]!.component.getFirstPropertyValue("transp")).toBe("TRANSPARENT");
  });

  it("names the students who were booked in a cancelled session, as its declined attendees", () => {
    const group = booking({
      id: "group",
      kind: "group",
      seats: 4,
      status: "cancelled",
      cancelledAt: "2027-02-27T12:00:00.000Z",
      participants: [
        { id: ANA, name: "Ana", cancelled: true },
        { id: BEN, name: "Ben", cancelled: true },
      ],
    });
    const one = booking({ id: "one", status: "cancelled", cancelledAt: "2027-02-27T12:00:00.000Z", participants: [{ id: ANA, name: "Ana", cancelled: true }] });
    const events = parse(render([one, group], { id: TUTOR, role: "tutor" })).events;
    expect(events.map((e) => e.description)).toEqual(["Students: Ana\nThis session was cancelled.", "Students: Ana, Ben\nThis session was cancelled."]);
    expect(events[1]!.attendees.map((a) => [a.getParameter("cn"), a.getParameter("partstat")])).toEqual([
      ["Ana", "DECLINED"],
      ["Ben", "DECLINED"],
    ]);
  });

  it("leaves out sessions outside 90 days back and 365 days ahead", () => {
    const rows = [
      booking({ id: "too-old", startAt: "2026-12-01T10:00:00.000Z", endAt: "2026-12-01T11:00:00.000Z" }),
      booking({ id: "oldest", startAt: "2026-12-01T12:00:00.000Z", endAt: "2026-12-01T13:00:00.000Z" }),
      booking({ id: "furthest", startAt: "2028-02-29T11:00:00.000Z", endAt: "2028-02-29T12:00:00.000Z" }),
      booking({ id: "too-far", startAt: "2028-02-29T12:00:00.000Z", endAt: "2028-02-29T13:00:00.000Z" }),
    ];
    expect(parse(render(rows, { id: TUTOR, role: "tutor" })).events.map((e) => e.uid)).toEqual(["oldest@tutorly", "furthest@tutorly"]);
  });
});

describe("a student's feed", () => {
  it("names the tutor and shows only the student themself, never classmates", () => {
    const group = booking({
      kind: "group",
      seats: 4,
      participants: [
        { id: ANA, name: "Ana", cancelled: false },
        { id: BEN, name: "Ben", cancelled: false },
      ],
    });
    const text = render([group], { id: BEN, role: "student" });
    expect(text).not.toContain("Ana");
    expect(text).not.toContain(ANA);
    const e = parse(text).events[0]!;
    expect(e.summary).toBe("Mathematics group with Jürgen Straße");
    expect(e.attendees.map((a) => a.getParameter("cn"))).toEqual(["Ben"]);
  });

  it("shows a group the student left as cancelled while the session goes on", () => {
    const group = booking({ kind: "group", seats: 4, sequence: 3, updatedAt: "2027-02-28T00:00:00.000Z", participants: [{ id: BEN, name: "Ben", cancelled: true }] });
    const e = parse(render([group], { id: BEN, role: "student" })).events[0]!;
    expect(e.component.getFirstPropertyValue("status")).toBe("CANCELLED");
  });

  it("keeps a group seat the student gave up as cancelled while the session is in the window: it never vanishes, then comes back when the group changes", () => {
    // The projection keeps no time for a seat given up, only the session's last change, which classmates and the
    // session's end keep moving: a seat given up 40 days ago must show the same as when a classmate joined yesterday.
    const left = (updatedAt: string) =>
      booking({ kind: "group", seats: 4, sequence: 5, startAt: "2027-03-20T09:00:00.000Z", endAt: "2027-03-20T10:00:00.000Z", updatedAt, participants: [{ id: BEN, name: "Ben", cancelled: true, left: true }] });
    const statuses = (b: FeedBooking) => parse(render([b], { id: BEN, role: "student" })).events.map((e) => [e.uid, e.component.getFirstPropertyValue("status")]);
    expect(statuses(left("2027-01-20T00:00:00.000Z"))).toEqual([["bk-1@tutorly", "CANCELLED"]]);
    expect(statuses(left("2027-02-28T00:00:00.000Z"))).toEqual([["bk-1@tutorly", "CANCELLED"]]);
  });

  it("shows nothing of sessions the student is not in", () => {
    expect(parse(render([booking()], { id: BEN, role: "student" })).events).toEqual([]);
  });
});

describe("renderFeed", () => {
  it("folds long, multi-byte text within 75 octets and ical.js reads it back unchanged", () => {
    const name = "Zoë 数学 📐 ".repeat(12).trim();
    const text = render([booking({ participants: [{ id: ANA, name, cancelled: false }] })], { id: TUTOR, role: "tutor" });
    expect(lintIcs(text)).toEqual([]);
    const e = parse(text).events[0]!;
    expect(e.summary).toBe(`Mathematics with ${name}`);
    expect(e.attendees[0]!.getParameter("cn")).toBe(name);
  });
});
