import { IcsWriter } from "./format";

/** Someone with an email address, as an iTIP organizer or attendee. */
export type Mailbox = { name: string; email: string };

/**
 * One session as an email invitation (iTIP, RFC 5546): REQUEST adds it to the reader's calendar or updates it,
 * CANCEL removes it. The UID is the one the same session has in the person's iCal feed (`<booking id>@tutorly`,
 * domain/ical/bookingFeed.ts), so an invitation and a subscribed feed meet on one event; every change carries a
 * higher SEQUENCE, so calendars apply them in order.
 */
export type Invite = {
  method: "REQUEST" | "CANCEL";
  bookingId: string;
  sequence: number;
  start: number;
  end: number;
  /** When this invitation was made (DTSTAMP). */
  stamp: number;
  summary: string;
  /** The summary a CANCEL carries, in the reader's language ("Cancelled: …" when not given). */
  cancelledSummary?: string;
  description: string;
  /** The reader's language tag, written as the texts' LANGUAGE (RFC 5545 §3.2.10) so calendars know it. */
  language?: string;
  url: string;
  organizer: Mailbox;
  attendee: Mailbox;
  /** More sessions in the same invitation (a weekly series' other weeks): each its own event, with its own UID and page. */
  more?: { bookingId: string; sequence: number; start: number; end: number; url: string; description: string }[];
};

/** The feed's UID of a booking: invitations and feeds must agree on it. */
export const bookingUid = (bookingId: string) => `${bookingId}@tutorly`;

/** The invitation as text/calendar (UTF-8, CRLF lines folded at 75 octets). */
export function renderInvite(i: Invite): string {
  const w = new IcsWriter();
  w.rawLine("BEGIN", "VCALENDAR")
    .rawLine("VERSION", "2.0")
    .rawLine("PRODID", "-//Tutorly//Session invitation 1.0//EN")
    .rawLine("CALSCALE", "GREGORIAN")
    .rawLine("METHOD", i.method);
  for (const e of [i, ...(i.more ?? [])]) writeEvent(w, i, e);
  w.rawLine("END", "VCALENDAR");
  return w.toString();
}

/** One session's VEVENT: its own UID, times, sequence and page; the words, organizer and attendee the invitation's. */
function writeEvent(w: IcsWriter, i: Invite, e: Pick<Invite, "bookingId" | "sequence" | "start" | "end" | "url" | "description">) {
  const cancelled = i.method === "CANCEL";
  w.rawLine("BEGIN", "VEVENT")
    .textLine("UID", bookingUid(e.bookingId))
    .utcLine("DTSTAMP", i.stamp)
    .utcLine("DTSTART", e.start)
    .utcLine("DTEND", e.end)
    .rawLine("SEQUENCE", String(e.sequence))
    .rawLine("STATUS", cancelled ? "CANCELLED" : "CONFIRMED")
    .name("SUMMARY");
  if (i.language) w.param("LANGUAGE", i.language);
  w.text(cancelled ? (i.cancelledSummary ?? `Cancelled: ${i.summary}`) : i.summary)
    .end()
    .name("DESCRIPTION");
  if (i.language) w.param("LANGUAGE", i.language);
  w.text(e.description)
    .end()
    .textLine("LOCATION", e.url)
    .name("URL")
    .param("VALUE", "URI")
    .raw(e.url)
    .end()
    .name("ORGANIZER")
    .param("CN", i.organizer.name)
    .raw(`mailto:${i.organizer.email}`)
    .end()
    .name("ATTENDEE")
    .param("CUTYPE", "INDIVIDUAL")
    .param("ROLE", "REQ-PARTICIPANT")
    .param("PARTSTAT", cancelled ? "DECLINED" : "ACCEPTED")
    .param("CN", i.attendee.name)
    .raw(`mailto:${i.attendee.email}`)
    .end();
  if (cancelled) w.rawLine("TRANSP", "TRANSPARENT");
  w.rawLine("END", "VEVENT");
}

const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/** "Add to Google Calendar": Google's event template link for a session. */
export function googleCalendarUrl(e: { title: string; start: number; end: number; details: string; location: string }): string {
  const q = new URLSearchParams({ action: "TEMPLATE", text: e.title, dates: `${stamp(e.start)}/${stamp(e.end)}`, details: e.details, location: e.location });
  return `https://calendar.google.com/calendar/render?${q}`;
}

/** "Add to Outlook": Outlook on the web's compose-event link for a session. */
export function outlookCalendarUrl(e: { title: string; start: number; end: number; details: string; location: string }): string {
  const q = new URLSearchParams({
    path: "/calendar/action/compose",
    rru: "addevent",
    subject: e.title,
    startdt: new Date(e.start).toISOString(),
    enddt: new Date(e.end).toISOString(),
    body: e.details,
    location: e.location,
  });
  return `https://outlook.live.com/calendar/0/deeplink/compose?${q}`;
}
