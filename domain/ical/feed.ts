import { IcsWriter, duration } from "./format";

/** Someone in an event; `uri` is their cal-address (any URI, e.g. `urn:uuid:…`). */
export type FeedPerson = { name: string; uri: string };

/** One VEVENT of a published feed. Instants are epoch milliseconds (UTC). */
export type FeedEvent = {
  /** Stable across every change of the event, so calendar apps update it instead of adding a new one. */
  uid: string;
  start: number;
  end: number;
  /** Grows with every change; clients keep the copy with the highest. */
  sequence: number;
  status: "CONFIRMED" | "CANCELLED";
  /** When the event last changed: its DTSTAMP and LAST-MODIFIED (a published feed has no iTIP method to stamp). */
  lastModified: number;
  summary: string;
  description?: string;
  /** The join link: written as URL and as LOCATION, which is what most apps show as clickable. */
  url?: string;
  organizer?: FeedPerson;
  attendees: (FeedPerson & { declined?: boolean })[];
};

export type Feed = {
  /** Shown by calendar apps as the subscription's name (NAME and X-WR-CALNAME). */
  name: string;
  description?: string;
  /** How often clients should poll (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
  refreshMinutes: number;
  events: FeedEvent[];
};

const PRODID = "-//Tutorly//Calendar feed 1.0//EN";

function writeEvent(w: IcsWriter, e: FeedEvent) {
  w.rawLine("BEGIN", "VEVENT")
    .textLine("UID", e.uid)
    .utcLine("DTSTAMP", e.lastModified)
    .utcLine("DTSTART", e.start)
    .utcLine("DTEND", e.end)
    .utcLine("LAST-MODIFIED", e.lastModified)
    .rawLine("SEQUENCE", String(e.sequence))
    .rawLine("STATUS", e.status)
    .textLine("SUMMARY", e.summary);
  // A cancelled event no longer takes the time (OPAQUE is the default for the rest).
  if (e.status === "CANCELLED") w.rawLine("TRANSP", "TRANSPARENT");
  if (e.description) w.textLine("DESCRIPTION", e.description);
  if (e.url) w.textLine("LOCATION", e.url).name("URL").param("VALUE", "URI").raw(e.url).end();
  if (e.organizer) w.name("ORGANIZER").param("CN", e.organizer.name).raw(e.organizer.uri).end();
  for (const a of e.attendees) {
    // CUTYPE=INDIVIDUAL and ROLE=REQ-PARTICIPANT are the defaults, so they are left out.
    w.name("ATTENDEE")
      .param("PARTSTAT", a.declined ? "DECLINED" : "ACCEPTED")
      .param("CN", a.name)
      .raw(a.uri)
      .end();
  }
  w.rawLine("END", "VEVENT");
}

/**
 * A published iCalendar feed as UTF-8 bytes (RFC 5545, with RFC 7986 NAME/REFRESH-INTERVAL and the de-facto
 * X-WR-CALNAME and X-PUBLISHED-TTL that Google and Outlook read). Every time is UTC, so no VTIMEZONE is needed.
 */
export function renderFeed(feed: Feed): Uint8Array {
  const w = new IcsWriter();
  const refresh = duration(feed.refreshMinutes);
  w.rawLine("BEGIN", "VCALENDAR")
    .rawLine("VERSION", "2.0")
    .rawLine("PRODID", PRODID)
    .rawLine("CALSCALE", "GREGORIAN")
    .rawLine("METHOD", "PUBLISH")
    .textLine("NAME", feed.name)
    .textLine("X-WR-CALNAME", feed.name);
  if (feed.description) w.textLine("DESCRIPTION", feed.description).textLine("X-WR-CALDESC", feed.description);
  w.name("REFRESH-INTERVAL").param("VALUE", "DURATION").raw(refresh).end().rawLine("X-PUBLISHED-TTL", refresh);
  for (const e of feed.events) writeEvent(w, e);
  w.rawLine("END", "VCALENDAR");
  return w.bytes();
}
