import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { bookingEvents } from "./bookingFeed";
import { googleCalendarUrl, outlookCalendarUrl, renderInvite } from "./invite";
import { lintIcs } from "./lint";

const base = {
  bookingId: "3f2b7c1e-9d4a-4e5b-8c6d-1a2b3c4d5e6f",
  sequence: 1,
  start: Date.parse("2027-03-01T09:00:00Z"),
  end: Date.parse("2027-03-01T10:00:00Z"),
  stamp: Date.parse("2027-02-20T12:00:00Z"),
  summary: "Mathematics with Olivia Bennett",
  description: "Join from Tutorly: https://tutorly.example/sessions/3f2b7c1e-9d4a-4e5b-8c6d-1a2b3c4d5e6f",
  url: "https://tutorly.example/sessions/3f2b7c1e-9d4a-4e5b-8c6d-1a2b3c4d5e6f",
  organizer: { name: "Tutorly", email: "no-reply@tutorly.dev" },
  attendee: { name: "Maya Lopez", email: "maya@tutorly.dev" },
};

const parse = (text: string) => new ICAL.Component(ICAL.parse(text));

describe("renderInvite", () => {
  it("is a valid iTIP REQUEST for the student, with the same UID as the session's event in their feed", () => {
    const text = renderInvite({ ...base, method: "REQUEST" });
    expect(lintIcs(text)).toEqual([]);
    const cal = parse(text);
    expect(cal.getFirstPropertyValue("method")).toBe("REQUEST");
    const event = cal.getFirstSubcomponent("vevent")!;
    const [feedEvent] = bookingEvents(
      [{ id: base.bookingId, tutorId: "t1", tutorName: "Olivia Bennett", kind: "one_on_one", status: "confirmed", subject: "mathematics", startAt: "2027-03-01T09:00:00.000Z", endAt: "2027-03-01T10:00:00.000Z", seats: 1, sequence: 1, updatedAt: "2027-02-20T12:00:00.000Z", cancelledAt: null, participants: [{ id: "s1", name: "Maya Lopez", cancelled: false }] }],
      { id: "s1", role: "student" },
      { origin: "https://tutorly.example", window: { from: 0, to: Date.parse("2028-01-01"), cancelledSince: 0 } },
    );
    expect(event.getFirstPropertyValue("uid")).toBe(feedEvent!.uid);
    expect(event.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(String(event.getFirstPropertyValue("dtstart"))).toBe("2027-03-01T09:00:00Z");
    expect(event.getFirstPropertyValue("attendee")).toBe("mailto:maya@tutorly.dev");
    expect(event.getFirstPropertyValue("organizer")).toBe("mailto:no-reply@tutorly.dev");
  });

  it("cancels the same event with METHOD:CANCEL and a higher SEQUENCE", () => {
    const cal = parse(renderInvite({ ...base, method: "CANCEL", sequence: 3 }));
    expect(cal.getFirstPropertyValue("method")).toBe("CANCEL");
    const event = cal.getFirstSubcomponent("vevent")!;
    expect(event.getFirstPropertyValue("uid")).toBe(`${base.bookingId}@tutorly`);
    expect(event.getFirstPropertyValue("sequence")).toBe(3);
    expect(event.getFirstPropertyValue("status")).toBe("CANCELLED");
  });

  it("keeps names with commas, quotes and accents intact", () => {
    const text = renderInvite({ ...base, method: "REQUEST", attendee: { name: 'Zoë "Z" O\'Neil, Jr.', email: "zoe@example.com" } });
    expect(lintIcs(text)).toEqual([]);
    const attendee = parse(text).getFirstSubcomponent("vevent")!.getFirstProperty("attendee")!;
    expect(attendee.getParameter("cn")).toBe("Zoë 'Z' O'Neil, Jr.");
  });
});

describe("add-to-calendar links", () => {
  const e = { title: "Mathematics with Olivia", start: base.start, end: base.end, details: "Join from Tutorly", location: base.url };
  it("opens Google Calendar's event template at the session's UTC times", () => {
    const url = new URL(googleCalendarUrl(e));
    expect(url.origin).toBe("https://calendar.google.com");
    expect(url.searchParams.get("dates")).toBe("20270301T090000Z/20270301T100000Z");
    expect(url.searchParams.get("text")).toBe("Mathematics with Olivia");
  });
  it("opens Outlook's compose-event page at the session's times", () => {
    const url = new URL(outlookCalendarUrl(e));
    expect(url.searchParams.get("startdt")).toBe("2027-03-01T09:00:00.000Z");
    expect(url.searchParams.get("rru")).toBe("addevent");
  });
});
