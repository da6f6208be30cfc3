import ICAL from "ical.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import apple from "../../test/fixtures/ics/apple-macos-status-tentative-cancelled.ics?raw";
import exchangeAllDay from "../../test/fixtures/ics/exchange-allday-biweekly-moved-gmt.ics?raw";
import exchangeMonthly from "../../test/fixtures/ics/exchange-monthly-2we-overrides-eastern.ics?raw";
import google from "../../test/fixtures/ics/google-moved-occurrences-sydney.ics?raw";
import icloudCaldav from "../../test/fixtures/ics/icloud-caldav-multiday-allday.ics?raw";
import icloud from "../../test/fixtures/ics/icloud-export-berlin-exdate.ics?raw";
import mozilla from "../../test/fixtures/ics/mozilla-monthly-bysetpos.ics?raw";
import nextcloud from "../../test/fixtures/ics/nextcloud-sabredav-multiday-allday.ics?raw";
import outlook from "../../test/fixtures/ics/outlook2003-windows-tz-daily-weekdays.ics?raw";
import thunderbird from "../../test/fixtures/ics/thunderbird-cancelled-occurrence.ics?raw";
import { type Occurrence, busyTimes, expandIcs } from "./busy";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
const show = (os: Occurrence[]) => os.map((o) => [iso(o.start), iso(o.end), o.busy ? "busy" : "free", o.summary]);
const window = (from: string, to: string, zone = "Europe/London") => ({ from: at(from), to: at(to), zone });

/**
 * Counts the tries ical.js makes to find a rule's next date, and throws past `limit`: a rule it would walk forever
 * (its search loop runs inside one `next()`) fails the test instead of hanging it.
 */
function ruleSteps(limit = 300_000) {
  const check = ICAL.RecurIterator.prototype.check_contracting_rules;
  const spy = vi.spyOn(ICAL.RecurIterator.prototype, "check_contracting_rules").mockImplementation(function (this: ICAL.RecurIterator) {
    if (spy.mock.calls.length > limit) throw new Error(`ical.js took more than ${limit} steps: a rule that never ends`);
    return check.call(this);
  });
  return () => spy.mock.calls.length;
}
afterEach(() => vi.restoreAllMocks());

describe("expandIcs on real exports", () => {
  it("Outlook 2003: an endless weekday rule in a Windows-named zone, across Australia's April DST end", () => {
    const { occurrences } = expandIcs(outlook, window("2009-04-02T00:00:00Z", "2009-04-07T00:00:00Z"));
    // 09:30 in Melbourne: UTC+11 until 5 April 2009, UTC+10 after; no weekend occurrences.
    expect(show(occurrences)).toEqual([
      ["2009-04-02T22:30:00Z", "2009-04-02T22:45:00Z", "busy", "Standup"],
      ["2009-04-05T23:30:00Z", "2009-04-05T23:45:00Z", "busy", "Standup"],
      ["2009-04-06T23:30:00Z", "2009-04-06T23:45:00Z", "busy", "Standup"],
    ]);
    expect(occurrences[0]!.externalId).toMatch(/^040000008200E00074C5B7101A82E008.*\/2009-04-02T22:30:00Z$/);
  });

  it("Exchange: a monthly 2nd-Wednesday rule in 'Eastern Standard Time', with overrides before and after the master", () => {
    const { occurrences } = expandIcs(exchangeMonthly, window("2022-01-01T00:00:00Z", "2023-01-01T00:00:00Z"));
    expect(show(occurrences)).toEqual([
      ["2022-03-09T18:00:00Z", "2022-03-09T19:00:00Z", "busy", "Recurring Event - Exception 1"],
      ["2022-04-13T14:30:00Z", "2022-04-13T15:30:00Z", "busy", "Recurring Event - Exception 2"], // moved 13:00 → 10:30 EDT
      ["2022-05-11T17:00:00Z", "2022-05-11T18:00:00Z", "busy", "Recurring Event"],
      ["2022-06-08T17:00:00Z", "2022-06-08T18:00:00Z", "busy", "Recurring Event"],
      ["2022-07-13T17:00:00Z", "2022-07-13T18:00:00Z", "busy", "Recurring Event"],
      ["2022-08-10T17:00:00Z", "2022-08-10T18:00:00Z", "busy", "Recurring Event"],
      ["2022-09-14T17:00:00Z", "2022-09-14T18:00:00Z", "busy", "Recurring Event"], // UNTIL 17:00Z is inclusive
    ]);
    // The moved occurrence keeps the id of the one it replaces, so a later sync updates it in place.
    expect(occurrences[1]!.externalId).toMatch(/\/2022-04-13T17:00:00Z$/);
  });

  it("Exchange: a biweekly all-day series with moved occurrences and a UTC UNTIL on the local midnight", () => {
    const refuse = expandIcs(exchangeAllDay, window("2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z")).occurrences.filter((o) => o.summary === "Refuse black bin");
    // Whole days in the tutor's zone (London, so BST midnights); all marked TRANSP:TRANSPARENT, so free.
    expect(refuse.map((o) => iso(o.start).slice(0, 10))).toEqual([
      "2020-04-01", "2020-04-16", "2020-04-29", "2020-05-13", "2020-05-28", "2020-06-10", "2020-06-24",
      "2020-07-08", "2020-07-22", "2020-08-05", "2020-08-19", "2020-09-03", "2020-09-16",
    ]);
    expect(refuse.find((o) => o.externalId.endsWith("/2020-04-16"))).toMatchObject({ start: at("2020-04-16T23:00:00Z"), end: at("2020-04-17T23:00:00Z"), allDay: true, busy: false });
    expect(busyTimes(exchangeAllDay, window("2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z")).occurrences).toEqual([]);
  });

  it("Google: a weekly rule with a UTC UNTIL and one occurrence moved to the day before, in Sydney", () => {
    const { occurrences } = busyTimes(google, window("2023-08-01T00:00:00Z", "2023-09-30T00:00:00Z"));
    expect(show(occurrences)).toEqual([
      ["2023-08-08T04:00:00Z", "2023-08-08T05:00:00Z", "busy", "Datetime"],
      ["2023-08-14T04:00:00Z", "2023-08-14T05:00:00Z", "busy", "Datetime"],
      ["2023-08-22T04:00:00Z", "2023-08-22T05:00:00Z", "busy", "Datetime"],
    ]);
  });

  it("Thunderbird: an occurrence overridden with STATUS:CANCELLED is not busy", () => {
    const all = expandIcs(thunderbird, window("2020-01-01T00:00:00Z", "2020-03-01T00:00:00Z")).occurrences;
    expect(show(all).map(([s, , b]) => [s, b])).toEqual([
      ["2020-01-28T21:00:00Z", "busy"],
      ["2020-01-29T21:00:00Z", "free"],
      ["2020-01-30T21:00:00Z", "busy"],
    ]);
    expect(busyTimes(thunderbird, window("2020-01-01T00:00:00Z", "2020-03-01T00:00:00Z")).occurrences).toHaveLength(2);
  });

  it("iCloud: a weekly rule with eleven EXDATEs in Europe/Berlin, across the March DST change", () => {
    const kinder = expandIcs(icloud, window("2016-02-01T00:00:00Z", "2016-05-01T00:00:00Z")).occurrences.filter((o) => o.summary === "Kinderturnen");
    expect(kinder.map((o) => iso(o.start))).toEqual([
      "2016-02-22T15:15:00Z",
      "2016-02-29T15:15:00Z",
      "2016-03-07T15:15:00Z",
      "2016-03-14T15:15:00Z",
      // 21 and 28 March excluded; 16:15 Berlin is 14:15Z in summer time.
      "2016-04-04T14:15:00Z",
      "2016-04-11T14:15:00Z",
      "2016-04-18T14:15:00Z",
      "2016-04-25T14:15:00Z",
    ]);
  });

  it("iCloud CalDAV: multi-day all-day events, and zones defined after the events that use them", () => {
    const multi = expandIcs(icloudCaldav, window("2023-10-01T00:00:00Z", "2023-11-01T00:00:00Z", "America/Los_Angeles")).occurrences.filter((o) => o.allDay);
    expect(show(multi)).toEqual([
      ["2023-10-11T07:00:00Z", "2023-10-13T07:00:00Z", "busy", "Multi-day event"],
      ["2023-10-15T07:00:00Z", "2023-10-18T07:00:00Z", "busy", "Multi-day event"],
    ]);
  });

  it("macOS Calendar: TENTATIVE and CONFIRMED take time, CANCELLED does not", () => {
    const { occurrences } = expandIcs(apple, window("2022-07-01T00:00:00Z", "2022-08-01T00:00:00Z"));
    expect(occurrences.map((o) => [o.summary, o.busy])).toEqual([
      ["Tentative", true],
      ["Confirmed", true],
      ["Cancelled", false],
      ["No Status", true],
    ]);
  });

  it("Nextcloud: a 40-day all-day event with TZID and VALUE=DATE, marked transparent", () => {
    const { occurrences } = expandIcs(nextcloud, window("2018-06-01T00:00:00Z", "2018-09-01T00:00:00Z", "Europe/Berlin"));
    expect(show(occurrences)).toEqual([["2018-07-01T22:00:00Z", "2018-08-10T22:00:00Z", "free", "Sommerferien Sachsen"]]);
  });

  it("Mozilla: MONTHLY BYSETPOS=3 (the RFC 5545 example) in a zone defined after the event", () => {
    const { occurrences } = expandIcs(mozilla, window("1997-01-01T00:00:00Z", "1998-01-01T00:00:00Z"));
    expect(show(occurrences).map(([s]) => s)).toEqual(["1997-09-04T13:00:00Z", "1997-10-07T13:00:00Z", "1997-11-06T14:00:00Z"]);
  });
});

describe("expandIcs rules", () => {
  const cal = (...lines: string[]) => ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", ...lines, "END:VCALENDAR", ""].join("\r\n");
  const ev = (...lines: string[]) => ["BEGIN:VEVENT", "DTSTAMP:20270101T000000Z", ...lines, "END:VEVENT"];

  it("reads a Windows zone name with no VTIMEZONE through CLDR's table", () => {
    const text = cal(...ev("UID:w", "DTSTART;TZID=W. Europe Standard Time:20270705T100000", "DTEND;TZID=W. Europe Standard Time:20270705T110000"));
    expect(show(expandIcs(text, window("2027-07-01T00:00:00Z", "2027-08-01T00:00:00Z")).occurrences)).toEqual([["2027-07-05T08:00:00Z", "2027-07-05T09:00:00Z", "busy", "Busy"]]);
  });

  it("places floating times in X-WR-TIMEZONE, else in the tutor's zone", () => {
    const floating = ev("UID:f", "DTSTART:20270705T100000", "DURATION:PT30M", "SUMMARY:Floating");
    expect(iso(expandIcs(cal("X-WR-TIMEZONE:America/New_York", ...floating), window("2027-07-01T00:00:00Z", "2027-08-01T00:00:00Z")).occurrences[0]!.start)).toBe("2027-07-05T14:00:00Z");
    expect(iso(expandIcs(cal(...floating), window("2027-07-01T00:00:00Z", "2027-08-01T00:00:00Z", "Asia/Tokyo")).occurrences[0]!.start)).toBe("2027-07-05T01:00:00Z");
  });

  it("keeps only the window and says when it stopped early", () => {
    const text = cal(...ev("UID:d", "DTSTART:20270101T090000Z", "DTEND:20270101T100000Z", "RRULE:FREQ=DAILY"));
    const r = expandIcs(text, { ...window("2027-03-01T00:00:00Z", "2027-03-11T00:00:00Z"), maxOccurrences: 5 });
    expect(r.truncated).toBe(true);
    expect(r.occurrences.map((o) => iso(o.start))).toEqual(["2027-03-01T09:00:00Z", "2027-03-02T09:00:00Z", "2027-03-03T09:00:00Z", "2027-03-04T09:00:00Z", "2027-03-05T09:00:00Z"]);
  });

  it("adds RDATEs and removes EXDATEs given in UTC", () => {
    const text = cal(...ev("UID:r", "DTSTART;TZID=Europe/Berlin:20270301T090000", "DTEND;TZID=Europe/Berlin:20270301T100000", "RRULE:FREQ=DAILY;COUNT=3", "EXDATE:20270302T080000Z", "RDATE;TZID=Europe/Berlin:20270310T090000"));
    expect(expandIcs(text, window("2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z")).occurrences.map((o) => iso(o.start))).toEqual(["2027-03-01T08:00:00Z", "2027-03-03T08:00:00Z", "2027-03-10T08:00:00Z"]);
  });

  it("drops a whole series marked CANCELLED, overrides included", () => {
    const text = cal(...ev("UID:c", "STATUS:CANCELLED", "DTSTART:20270301T090000Z", "DTEND:20270301T100000Z", "RRULE:FREQ=DAILY;COUNT=3"), ...ev("UID:c", "RECURRENCE-ID:20270302T090000Z", "DTSTART:20270302T120000Z", "DTEND:20270302T130000Z"));
    expect(busyTimes(text, window("2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z")).occurrences).toEqual([]);
  });

  it("gives an RDATE;VALUE=PERIOD occurrence its own period's length, not the series' (RFC 5545 §3.8.5.2)", () => {
    const text = cal(
      ...ev(
        "UID:p",
        "SUMMARY:Clinic",
        "DTSTART:20270301T090000Z",
        "DTEND:20270301T100000Z",
        "RRULE:FREQ=DAILY;COUNT=2",
        "RDATE;VALUE=PERIOD:20270310T090000Z/20270310T120000Z,20270311T090000Z/PT30M",
        "RDATE;VALUE=PERIOD;TZID=Europe/Berlin:20270312T090000/20270312T091500",
      ),
    );
    expect(show(expandIcs(text, window("2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z")).occurrences)).toEqual([
      ["2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z", "busy", "Clinic"],
      ["2027-03-02T09:00:00Z", "2027-03-02T10:00:00Z", "busy", "Clinic"],
      ["2027-03-10T09:00:00Z", "2027-03-10T12:00:00Z", "busy", "Clinic"], // its own 3 hours
      ["2027-03-11T09:00:00Z", "2027-03-11T09:30:00Z", "busy", "Clinic"], // its own 30 minutes
      ["2027-03-12T08:00:00Z", "2027-03-12T08:15:00Z", "busy", "Clinic"], // Berlin wall times, 15 minutes
    ]);
  });

  it.each([
    ["DTSTART alone", [], ["2027-03-01T09:00:00Z", "2027-03-03T09:00:00Z"]],
    ["an EXDATE of DTSTART", ["EXDATE:20270301T090000Z"], ["2027-03-03T09:00:00Z"]],
    ["an RDATE repeating DTSTART", ["RDATE:20270301T090000Z"], ["2027-03-01T09:00:00Z", "2027-03-03T09:00:00Z"]],
  ])("counts DTSTART as the first occurrence of an event with RDATEs and no rule (RFC 5545 §3.8.5.2), with %s", (_, extra, starts) => {
    const text = cal(...ev("UID:rd", "DTSTART:20270301T090000Z", "DTEND:20270301T100000Z", "RDATE:20270303T090000Z", ...extra));
    expect(expandIcs(text, window("2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z")).occurrences.map((o) => iso(o.start))).toEqual(starts);
  });

  it("moves the DTSTART occurrence of an RDATE-only event where its override says", () => {
    const text = cal(
      ...ev("UID:rd", "SUMMARY:Series", "DTSTART:20270301T090000Z", "DTEND:20270301T100000Z", "RDATE:20270303T090000Z"),
      ...ev("UID:rd", "SUMMARY:Moved", "RECURRENCE-ID:20270301T090000Z", "DTSTART:20270301T140000Z", "DTEND:20270301T150000Z"),
    );
    expect(show(expandIcs(text, window("2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z")).occurrences)).toEqual([
      ["2027-03-01T14:00:00Z", "2027-03-01T15:00:00Z", "busy", "Moved"],
      ["2027-03-03T09:00:00Z", "2027-03-03T10:00:00Z", "busy", "Series"],
    ]);
  });

  it.each([
    "FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31",
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31",
    "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=DAILY;BYMONTH=4,6;BYMONTHDAY=-31",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
  ])("gives a rule naming a day its months never have (%s) no occurrence after DTSTART, without walking it", (rule) => {
    const steps = ruleSteps();
    const text = cal(...ev("UID:never", "SUMMARY:Never", "DTSTART:20270301T090000Z", "DURATION:PT1H", `RRULE:${rule}`), ...ev("UID:one", "SUMMARY:One", "DTSTART:20270302T090000Z", "DURATION:PT1H"));
    const r = expandIcs(text, window("2027-01-01T00:00:00Z", "2029-01-01T00:00:00Z"));
    expect(show(r.occurrences)).toEqual([
      ["2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z", "busy", "Never"],
      ["2027-03-02T09:00:00Z", "2027-03-02T10:00:00Z", "busy", "One"],
    ]);
    expect(r).toMatchObject({ truncated: false, skipped: 0 });
    expect(steps()).toBe(0);
  });

  it("drops the dates ical.js rolls a missing day over to (30 February as 1 or 2 March)", () => {
    const text = cal(...ev("UID:y", "DTSTART:20270330T090000Z", "DURATION:PT1H", "RRULE:FREQ=YEARLY;BYMONTH=2,3;BYMONTHDAY=30"));
    expect(expandIcs(text, window("2027-01-01T00:00:00Z", "2030-01-01T00:00:00Z")).occurrences.map((o) => iso(o.start))).toEqual(["2027-03-30T09:00:00Z", "2028-03-30T09:00:00Z", "2029-03-30T09:00:00Z"]);
  });

  it("stops a rule ical.js would walk forever within the step budget (an ordinal weekday in a daily rule, which RFC 5545 forbids)", () => {
    ruleSteps();
    const text = cal(...ev("UID:w", "SUMMARY:Weekly", "DTSTART:20270301T090000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY;BYDAY=1TU"), ...ev("UID:one", "SUMMARY:One", "DTSTART:20270302T090000Z", "DURATION:PT1H"));
    const r = expandIcs(text, { ...window("2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z"), maxIterations: 5_000 });
    expect(r.occurrences.map((o) => o.summary)).toEqual(["Weekly", "One"]);
    expect(r).toMatchObject({ truncated: true, skipped: 0 });
  });

  it("throws on something that is not iCalendar", () => {
    expect(() => expandIcs("<html>Sign in</html>", window("2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"))).toThrow();
  });
});

describe("busyTimes", () => {
  const cal = (...lines: string[]) => ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", ...lines, "END:VCALENDAR", ""].join("\r\n");
  const ev = (...lines: string[]) => ["BEGIN:VEVENT", "DTSTAMP:20270101T000000Z", ...lines, "END:VEVENT"];

  it("clips an event to the window, so a leave of years blocks the window's part of it", () => {
    const text = cal(...ev("UID:leave", "SUMMARY:Parental leave", "DTSTART;VALUE=DATE:20270101", "DTEND;VALUE=DATE:20290101"), ...ev("UID:m", "SUMMARY:Meeting", "DTSTART:20270305T090000Z", "DURATION:PT1H"));
    expect(show(busyTimes(text, window("2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z", "UTC")).occurrences)).toEqual([
      ["2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z", "busy", "Parental leave"],
      ["2027-03-05T09:00:00Z", "2027-03-05T10:00:00Z", "busy", "Meeting"],
    ]);
  });
});

describe("expandIcs on sloppy exports: one bad event costs that event, never the calendar", () => {
  const cal = (...lines: string[]) => ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", ...lines, "END:VCALENDAR", ""].join("\r\n");
  const ev = (...lines: string[]) => ["BEGIN:VEVENT", "DTSTAMP:20270101T000000Z", ...lines, "END:VEVENT"];
  const good = (n: number) => ev(`UID:good-${n}`, `SUMMARY:Good ${n}`, `DTSTART:2027030${n}T090000Z`, `DTEND:2027030${n}T100000Z`);
  const march = window("2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z");

  it("Exchange: an override whose quoted TZID swallows its value is skipped; the series and the other override stay", () => {
    // The real export, with the moved occurrence's start written the way some Exchange servers write it.
    const broken = exchangeMonthly.replace("DTSTART;TZID=Eastern Standard Time:20220413T103000", 'DTSTART;TZID="Eastern Standard Time:20220413T103000');
    expect(broken).not.toBe(exchangeMonthly);
    const r = expandIcs(broken, window("2022-01-01T00:00:00Z", "2023-01-01T00:00:00Z"));
    expect(r.skipped).toBe(1);
    expect(show(r.occurrences).slice(0, 3)).toEqual([
      ["2022-03-09T18:00:00Z", "2022-03-09T19:00:00Z", "busy", "Recurring Event - Exception 1"],
      ["2022-04-13T17:00:00Z", "2022-04-13T18:00:00Z", "busy", "Recurring Event"], // the unread override's slot, as the series has it
      ["2022-05-11T17:00:00Z", "2022-05-11T18:00:00Z", "busy", "Recurring Event"],
    ]);
    expect(r.occurrences).toHaveLength(7);
  });

  it.each([
    ["a quoted TZID that swallows its value", ['UID:bad', 'DTSTART;TZID="Eastern Standard Time:20270303T090000', "DTEND:20270303T100000Z"]],
    ["a line without a colon", ["UID:bad", "DTSTART:20270303T090000Z", "THIS LINE IS NOT A PROPERTY"]],
    ["a start that is not a date", ["UID:bad", "DTSTART:2027-03-03 09:00"]],
    ["a rule that is not a rule", ["UID:bad", "DTSTART:20270303T090000Z", "RRULE:FREQ=SOMETIMES;COUNT=x"]],
    ["no start at all", ["UID:bad", "SUMMARY:When?"]],
    ["an UNTIL that is not a date", ["UID:bad", "DTSTART:20270303T090000Z", "RRULE:FREQ=DAILY;UNTIL=tomorrow"]],
  ])("skips an event with %s and reads the others", (_, bad) => {
    const r = expandIcs(cal(...good(1), ...ev(...bad), ...good(2)), march);
    expect(r.occurrences.map((o) => o.summary)).toEqual(["Good 1", "Good 2"]);
    expect(r.skipped).toBe(1);
  });

  it("skips an event that never ends without swallowing the next one", () => {
    const unclosed = ["BEGIN:VEVENT", "UID:open", "DTSTART:20270303T090000Z"];
    const r = expandIcs(cal(...good(1), ...unclosed, ...good(2)), march);
    expect(r.occurrences.map((o) => o.summary)).toEqual(["Good 1", "Good 2"]);
    expect(r.skipped).toBe(1);
  });

  it("drops a broken VTIMEZONE but still reads events in that zone by its name", () => {
    const zone = ["BEGIN:VTIMEZONE", "TZID:Europe/Berlin", "BEGIN:STANDARD", "DTSTART:garbage", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD", "END:VTIMEZONE"];
    const r = expandIcs(cal(...zone, ...ev("UID:z", "DTSTART;TZID=Europe/Berlin:20270303T090000", "DURATION:PT1H")), march);
    expect(show(r.occurrences)).toEqual([["2027-03-03T08:00:00Z", "2027-03-03T09:00:00Z", "busy", "Busy"]]);
    expect(r.skipped).toBe(0);
  });

  it("reads a file whose calendar properties are broken, and one that never ends", () => {
    expect(expandIcs(cal('X-WR-TIMEZONE;X-X="oops:Europe/Paris', ...good(1)), march).occurrences).toHaveLength(1);
    expect(expandIcs(cal(...good(1)).replace("END:VCALENDAR", ""), march).occurrences).toHaveLength(1);
  });

  it("spends a bounded number of rule steps on a file, plain appointments first, and says it stopped early", () => {
    // Each rule walks 500 steps before the window (COUNT rules cannot be skipped ahead).
    const walkers = Array.from({ length: 10 }, (_, i) => ev(`UID:w${i}`, "DTSTART:20270101T000000Z", "DURATION:PT1M", "RRULE:FREQ=MINUTELY;COUNT=500"));
    const r = expandIcs(cal(...walkers.flat(), ...good(5)), { ...march, maxIterations: 2_000 });
    expect(r.truncated).toBe(true);
    expect(r.occurrences.map((o) => o.summary)).toEqual(["Good 5"]);
    expect(expandIcs(cal(...walkers.flat(), ...good(5)), { ...march, maxIterations: 10_000 }).truncated).toBe(false);
  });

  it("skips ahead through years of an endless rule instead of walking them", () => {
    // From 1990, minute by minute: 19 million steps to reach the window if walked.
    const text = cal(...ev("UID:m", "DTSTART;TZID=Europe/Berlin:19900101T090000", "DURATION:PT1M", "RRULE:FREQ=MINUTELY;INTERVAL=7;BYHOUR=9;BYMINUTE=0,7,14"));
    const r = expandIcs(text, { ...window("2027-03-01T00:00:00Z", "2027-03-03T00:00:00Z"), maxIterations: 5_000 });
    expect(r.truncated).toBe(false);
    expect(r.occurrences.length).toBeGreaterThan(0);
    for (const o of r.occurrences) expect(new Date(o.start).getUTCHours()).toBe(8);
  });

  it("keeps a skipped-ahead rule on its own days and weeks", () => {
    const text = cal(
      ...ev("UID:biweekly", "DTSTART;TZID=America/New_York:20010102T170000", "DURATION:PT1H", "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH"),
      ...ev("UID:every3", "DTSTART;VALUE=DATE:20000101", "RRULE:FREQ=DAILY;INTERVAL=3"),
    );
    const r = expandIcs(text, window("2027-03-01T00:00:00Z", "2027-03-26T00:00:00Z", "UTC"));
    // 2 Jan 2001 was the Tuesday of an "on" week; 2 Mar 2027 is 1,365 weeks later (an "off" week), so the
    // on weeks are those of 9 and 23 March; 17:00 New York is 22:00Z before 14 March (DST) and 21:00Z after.
    expect(r.occurrences.filter((o) => !o.allDay).map((o) => iso(o.start))).toEqual(["2027-03-09T22:00:00Z", "2027-03-11T22:00:00Z", "2027-03-23T21:00:00Z", "2027-03-25T21:00:00Z"]);
    // 1 Jan 2000 plus multiples of 3 days: 1 March 2027 is 9,921 days later.
    expect(r.occurrences.filter((o) => o.allDay).map((o) => iso(o.start).slice(0, 10))).toEqual(["2027-03-01", "2027-03-04", "2027-03-07", "2027-03-10", "2027-03-13", "2027-03-16", "2027-03-19", "2027-03-22", "2027-03-25"]);
  });
});

describe("expandIcs on rules filtered by month, month day or weekday (candidate days, not every day)", () => {
  const cal = (...lines: string[]) => ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", ...lines, "END:VCALENDAR", ""].join("\r\n");
  const ev = (...lines: string[]) => ["BEGIN:VEVENT", "DTSTAMP:20270101T000000Z", ...lines, "END:VEVENT"];
  /** The sync's window (a day back, a year ahead) in a Berlin tutor's calendar. */
  const year = { ...window("2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z", "Europe/Berlin") };
  /** A year of a rule that only needs its candidate days costs a few hundred rule steps, not one per day. */
  const FEW_STEPS = 300;
  const series = (rule: string, start = "DTSTART;TZID=Europe/Berlin:20260131T180000", ...extra: string[]) =>
    cal(...ev("UID:s", "SUMMARY:Rent", start, "DURATION:PT1H", `RRULE:${rule}`, ...extra));
  const starts = (text: string, opts = year) => {
    const r = expandIcs(text, { ...opts, maxIterations: FEW_STEPS });
    expect(r).toMatchObject({ truncated: false, skipped: 0 });
    return r.occurrences.map((o) => iso(o.start));
  };
  /** The last day of each month of 2027 at 18:00 Berlin: 17:00Z in winter time, 16:00Z in summer time (28 March – 31 October). */
  const lastDays2027 = [
    "2027-01-31T17:00:00Z", "2027-02-28T17:00:00Z", "2027-03-31T16:00:00Z", "2027-04-30T16:00:00Z", "2027-05-31T16:00:00Z", "2027-06-30T16:00:00Z",
    "2027-07-31T16:00:00Z", "2027-08-31T16:00:00Z", "2027-09-30T16:00:00Z", "2027-10-31T17:00:00Z", "2027-11-30T17:00:00Z", "2027-12-31T17:00:00Z",
  ];

  it("places FREQ=DAILY;BYMONTHDAY=-1 on the last day of each month, at 18:00 Berlin across both DST changes, in a few hundred steps", () => {
    const r = expandIcs(series("FREQ=DAILY;BYMONTHDAY=-1"), { ...year, maxIterations: FEW_STEPS });
    expect(r).toMatchObject({ truncated: false, skipped: 0 });
    expect(show(r.occurrences)).toEqual(lastDays2027.map((s) => [s, iso(at(s) + 3_600_000), "busy", "Rent"]));
    // 31 October 2027 is the day summer time ends: 18:00 is after it, so 17:00Z.
    expect(r.occurrences[9]!.externalId).toBe("s/2027-10-31T17:00:00Z");
  });

  it("keeps COUNT, UNTIL, EXDATE, RDATE and a DTSTART that is not itself a last day", () => {
    expect(starts(series("FREQ=DAILY;BYMONTHDAY=-1;COUNT=3"))).toEqual([]); // 31 Jan, 28 Feb, 31 Mar 2026
    expect(starts(series("FREQ=DAILY;BYMONTHDAY=-1;COUNT=15"))).toEqual(lastDays2027.slice(0, 3));
    expect(starts(series("FREQ=DAILY;BYMONTHDAY=-1;UNTIL=20270430T160000Z"))).toEqual(lastDays2027.slice(0, 4)); // UNTIL is inclusive
    expect(starts(series("FREQ=DAILY;BYMONTHDAY=-1;UNTIL=20270430T155959Z"))).toEqual(lastDays2027.slice(0, 3));
    expect(starts(series("FREQ=DAILY;BYMONTHDAY=-1", undefined, "EXDATE;TZID=Europe/Berlin:20270228T180000", "RDATE;TZID=Europe/Berlin:20270301T090000"))).toEqual([
      lastDays2027[0], "2027-03-01T08:00:00Z", ...lastDays2027.slice(2),
    ]);
    // DTSTART is the first occurrence (RFC 5545 §3.8.5.2) and the first of COUNT, then the rule's own days.
    expect(starts(series("FREQ=DAILY;BYMONTHDAY=-1;COUNT=3", "DTSTART;TZID=Europe/Berlin:20270115T180000"))).toEqual(["2027-01-15T17:00:00Z", ...lastDays2027.slice(0, 2)]);
  });

  it("gives an all-day rule whole days in the tutor's zone, leap days included", () => {
    const text = cal(...ev("UID:a", "DTSTART;VALUE=DATE:20270131", "RRULE:FREQ=DAILY;BYMONTH=2,4;BYMONTHDAY=-1"));
    const r = expandIcs(text, { ...window("2027-01-01T00:00:00Z", "2029-01-01T00:00:00Z", "Europe/Berlin"), maxIterations: FEW_STEPS });
    expect(r.truncated).toBe(false);
    expect(r.occurrences.map((o) => [o.externalId, iso(o.start), iso(o.end)])).toEqual([
      ["a/2027-01-31", "2027-01-30T23:00:00Z", "2027-01-31T23:00:00Z"],
      ["a/2027-02-28", "2027-02-27T23:00:00Z", "2027-02-28T23:00:00Z"],
      ["a/2027-04-30", "2027-04-29T22:00:00Z", "2027-04-30T22:00:00Z"],
      ["a/2028-02-29", "2028-02-28T23:00:00Z", "2028-02-29T23:00:00Z"],
      ["a/2028-04-30", "2028-04-29T22:00:00Z", "2028-04-30T22:00:00Z"],
    ]);
  });

  it.each([
    // Mondays of January and July, from a Monday in July 2026: 09:00 Berlin is 08:00Z in January, 07:00Z in July.
    [
      "FREQ=DAILY;BYMONTH=1,7;BYDAY=MO",
      "DTSTART;TZID=Europe/Berlin:20260706T090000",
      ["2027-01-04T08:00:00Z", "2027-01-11T08:00:00Z", "2027-01-18T08:00:00Z", "2027-01-25T08:00:00Z", "2027-07-05T07:00:00Z", "2027-07-12T07:00:00Z", "2027-07-19T07:00:00Z", "2027-07-26T07:00:00Z"],
    ],
    // Every other week in March, on DTSTART's weekday (Tuesday): the on weeks are those of 2 March 2027 (52 weeks after 3 March 2026).
    ["FREQ=WEEKLY;INTERVAL=2;BYMONTH=3", "DTSTART;TZID=Europe/Berlin:20260303T090000", ["2027-03-02T08:00:00Z", "2027-03-16T08:00:00Z", "2027-03-30T07:00:00Z"]],
    // The last weekday of the week in March (BYSETPOS=-1 over each week's days in March).
    ["FREQ=WEEKLY;BYMONTH=3;BYDAY=MO,WE,FR;BYSETPOS=-1", "DTSTART;TZID=Europe/Berlin:20260302T090000", ["2027-03-05T08:00:00Z", "2027-03-12T08:00:00Z", "2027-03-19T08:00:00Z", "2027-03-26T08:00:00Z", "2027-03-31T07:00:00Z"]],
    // The later of two hours on the first of each quarter's month (BYSETPOS within each day).
    ["FREQ=DAILY;BYMONTH=1,4,7,10;BYMONTHDAY=1;BYHOUR=9,17;BYSETPOS=-1", "DTSTART;TZID=Europe/Berlin:20260101T170000", ["2027-01-01T16:00:00Z", "2027-04-01T15:00:00Z", "2027-07-01T15:00:00Z", "2027-10-01T15:00:00Z"]],
    // Every six hours from 03:00, on the last day of the months of the first quarter.
    [
      "FREQ=HOURLY;INTERVAL=6;BYMONTH=1,2,3;BYMONTHDAY=-1",
      "DTSTART;TZID=Europe/Berlin:20260131T030000",
      ["2027-01-31T02:00:00Z", "2027-01-31T08:00:00Z", "2027-01-31T14:00:00Z", "2027-01-31T20:00:00Z", "2027-02-28T02:00:00Z", "2027-02-28T08:00:00Z", "2027-02-28T14:00:00Z", "2027-02-28T20:00:00Z", "2027-03-31T01:00:00Z", "2027-03-31T07:00:00Z", "2027-03-31T13:00:00Z", "2027-03-31T19:00:00Z"],
    ],
    // Every half hour from 09:00 to 09:59 on the last day of June.
    ["FREQ=MINUTELY;INTERVAL=30;BYMONTH=6;BYMONTHDAY=-1;BYHOUR=9", "DTSTART;TZID=Europe/Berlin:20260630T090000", ["2027-06-30T07:00:00Z", "2027-06-30T07:30:00Z"]],
  ])("expands %s to its candidate days only", (rule, start, expected) => {
    expect(starts(series(rule, start))).toEqual(expected);
  });

  it("gives a daily rule whose filters never meet only its DTSTART, without saying the calendar was cut short", () => {
    const text = cal(...ev("UID:w", "SUMMARY:Weekly", "DTSTART:20270301T090000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY;INTERVAL=7;BYDAY=TU"));
    expect(starts(text, window("2027-03-01T00:00:00Z", "2028-03-01T00:00:00Z"))).toEqual(["2027-03-01T09:00:00Z"]);
  });
});

describe("expandIcs on local times the clocks skip or repeat (RFC 5545 §3.3.5)", () => {
  const cal = (...lines: string[]) => ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", ...lines, "END:VCALENDAR", ""].join("\r\n");
  const ev = (...lines: string[]) => ["BEGIN:VEVENT", "DTSTAMP:20270101T000000Z", ...lines, "END:VEVENT"];
  // Berlin's rules under a name no zone database knows, so the file's own definition is what converts.
  const ownBerlin = [
    "BEGIN:VTIMEZONE", "TZID:Berlin (own definition)",
    "BEGIN:STANDARD", "DTSTART:16011028T030000", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD",
    "BEGIN:DAYLIGHT", "DTSTART:16010325T020000", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "END:DAYLIGHT",
    "END:VTIMEZONE",
  ];
  /** Berlin written four ways: each calendar's lines, and the parameter its times carry. */
  const berlin: [string, string[], string][] = [
    ["an IANA name", [], ";TZID=Europe/Berlin"],
    ["a Windows name", [], ";TZID=W. Europe Standard Time"],
    ["the file's own VTIMEZONE", ownBerlin, ";TZID=Berlin (own definition)"],
    ["floating times in X-WR-TIMEZONE", ["X-WR-TIMEZONE:Europe/Berlin"], ""],
  ];
  // Berlin springs forward on 28 March 2027 at 01:00Z (02:00 CET becomes 03:00 CEST) and falls back on
  // 31 October at 01:00Z (03:00 CEST becomes 02:00 CET).
  const spring = window("2027-03-20T00:00:00Z", "2027-04-10T00:00:00Z");
  const autumn = window("2027-10-20T00:00:00Z", "2027-11-10T00:00:00Z");
  afterEach(() => vi.useRealTimers());

  it.each(berlin)("reads 02:30 on the spring-forward night as 03:30 summer time and keeps the event's length (%s)", (_, head, tz) => {
    const text = cal(
      ...head,
      ...ev("UID:end", "SUMMARY:With DTEND", `DTSTART${tz}:20270328T023000`, `DTEND${tz}:20270328T033000`),
      ...ev("UID:duration", "SUMMARY:With DURATION", `DTSTART${tz}:20270328T024500`, "DURATION:PT30M"),
      ...ev("UID:start", "SUMMARY:Only a start", `DTSTART${tz}:20270328T021500`),
    );
    expect(show(busyTimes(text, spring).occurrences)).toEqual([
      ["2027-03-28T01:30:00Z", "2027-03-28T02:30:00Z", "busy", "With DTEND"],
      ["2027-03-28T01:45:00Z", "2027-03-28T02:15:00Z", "busy", "With DURATION"],
    ]);
  });

  it.each(berlin)("blocks a series' occurrence at 02:30 on the spring-forward night an hour late, for the series' length (%s)", (_, head, tz) => {
    const text = cal(
      ...head,
      // From a night that has a 02:30 (series' length one hour), and from the night that has none.
      ...ev("UID:daily", "SUMMARY:Daily", `DTSTART${tz}:20270327T023000`, `DTEND${tz}:20270327T033000`, "RRULE:FREQ=DAILY;COUNT=3"),
      ...ev("UID:weekly", "SUMMARY:Weekly", `DTSTART${tz}:20270328T023000`, `DTEND${tz}:20270328T033000`, "RRULE:FREQ=WEEKLY;COUNT=2"),
      ...ev("UID:minutes", "SUMMARY:By duration", `DTSTART${tz}:20270328T023000`, "DURATION:PT45M", "RRULE:FREQ=DAILY;COUNT=2"),
    );
    const { occurrences } = busyTimes(text, spring);
    const of = (summary: string) => show(occurrences.filter((o) => o.summary === summary));
    expect(of("Daily")).toEqual([
      ["2027-03-27T01:30:00Z", "2027-03-27T02:30:00Z", "busy", "Daily"],
      ["2027-03-28T01:30:00Z", "2027-03-28T02:30:00Z", "busy", "Daily"],
      ["2027-03-29T00:30:00Z", "2027-03-29T01:30:00Z", "busy", "Daily"],
    ]);
    expect(of("Weekly")).toEqual([
      ["2027-03-28T01:30:00Z", "2027-03-28T02:30:00Z", "busy", "Weekly"],
      ["2027-04-04T00:30:00Z", "2027-04-04T01:30:00Z", "busy", "Weekly"],
    ]);
    expect(of("By duration")).toEqual([
      ["2027-03-28T01:30:00Z", "2027-03-28T02:15:00Z", "busy", "By duration"],
      ["2027-03-29T00:30:00Z", "2027-03-29T01:15:00Z", "busy", "By duration"],
    ]);
    // The occurrence keeps the id of its instant, so an EXDATE or a RECURRENCE-ID in UTC finds it.
    expect(occurrences.find((o) => o.summary === "Weekly")!.externalId).toBe("weekly/2027-03-28T01:30:00Z");
  });

  // RFC 5545 §3.3.6: a duration's days and weeks are nominal (the same wall-clock time a day later), its hours exact.
  it.each(berlin)("lasts a DURATION in days to the same wall-clock time across either change (%s)", (_, head, tz) => {
    const text = cal(
      ...head,
      ...ev("UID:spring", "SUMMARY:Spring day", `DTSTART${tz}:20270327T120000`, "DURATION:P1D"),
      ...ev("UID:autumn", "SUMMARY:Autumn day and two hours", `DTSTART${tz}:20271030T120000`, "DURATION:P1DT2H"),
      ...ev("UID:week", "SUMMARY:A week from each start", `DTSTART${tz}:20271024T220000`, "DURATION:P1W", "RRULE:FREQ=WEEKLY;COUNT=2"),
      ...ev("UID:period", "SUMMARY:A period of a day", `DTSTART${tz}:20271023T090000`, "DURATION:PT1H", `RDATE;VALUE=PERIOD${tz}:20271030T090000/P1D`),
    );
    const { occurrences } = busyTimes(text, { ...spring, to: autumn.to });
    const of = (summary: string) => show(occurrences.filter((o) => o.summary === summary));
    expect(of("Spring day")).toEqual([["2027-03-27T11:00:00Z", "2027-03-28T10:00:00Z", "busy", "Spring day"]]);
    expect(of("Autumn day and two hours")).toEqual([["2027-10-30T10:00:00Z", "2027-10-31T13:00:00Z", "busy", "Autumn day and two hours"]]);
    expect(of("A week from each start")).toEqual([
      ["2027-10-24T20:00:00Z", "2027-10-31T21:00:00Z", "busy", "A week from each start"],
      ["2027-10-31T21:00:00Z", "2027-11-07T21:00:00Z", "busy", "A week from each start"],
    ]);
    expect(of("A period of a day")).toEqual([
      ["2027-10-23T07:00:00Z", "2027-10-23T08:00:00Z", "busy", "A period of a day"],
      ["2027-10-30T07:00:00Z", "2027-10-31T08:00:00Z", "busy", "A period of a day"],
    ]);
  });

  // luxon's fromObject picks between the two 02:30s by the offset in force today: the answer must not depend on it.
  it.each(berlin.flatMap(([name, head, tz]) => ["2027-01-15T12:00:00Z", "2027-07-15T12:00:00Z"].map((today) => [name, today, head, tz] as const)))(
    "reads 02:30 on the fall-back night as its first occurrence, in summer time (%s, today %s)",
    (_, today, head, tz) => {
      vi.useFakeTimers({ now: at(today), toFake: ["Date"] });
      const text = cal(
        ...head,
        // 02:30 CEST to 03:30 CET: two hours pass between them.
        ...ev("UID:once", "SUMMARY:Once", `DTSTART${tz}:20271031T023000`, `DTEND${tz}:20271031T033000`),
        ...ev("UID:weekly", "SUMMARY:Weekly", `DTSTART${tz}:20271024T023000`, `DTEND${tz}:20271024T033000`, "RRULE:FREQ=WEEKLY;COUNT=3"),
      );
      const { occurrences } = busyTimes(text, autumn);
      expect(show(occurrences.filter((o) => o.summary === "Once"))).toEqual([["2027-10-31T00:30:00Z", "2027-10-31T02:30:00Z", "busy", "Once"]]);
      expect(show(occurrences.filter((o) => o.summary === "Weekly"))).toEqual([
        ["2027-10-24T00:30:00Z", "2027-10-24T01:30:00Z", "busy", "Weekly"],
        ["2027-10-31T00:30:00Z", "2027-10-31T01:30:00Z", "busy", "Weekly"],
        ["2027-11-07T01:30:00Z", "2027-11-07T02:30:00Z", "busy", "Weekly"],
      ]);
    },
  );
});
