import type { FeedEvent, FeedPerson } from "./feed";

const DAY = 86_400_000;

/** What a feed covers (DESIGN: a tutor's one-year feed), and how long cancelled sessions stay visible. */
export const FEED_RULES = { backDays: 90, aheadDays: 365, keepCancelledDays: 30, refreshMinutes: 60 } as const;

export type FeedWindow = { from: number; to: number; cancelledSince: number };

/** The window a feed rendered at `now` shows: sessions overlapping [from, to), cancellations since `cancelledSince`. */
export function feedWindow(now: number): FeedWindow {
  return { from: now - FEED_RULES.backDays * DAY, to: now + FEED_RULES.aheadDays * DAY, cancelledSince: now - FEED_RULES.keepCancelledDays * DAY };
}

/** One booking as the feed query reads it from the D1 projection (instants as ISO strings). */
export type FeedBooking = {
  id: string;
  tutorId: string;
  tutorName: string;
  kind: "one_on_one" | "group";
  status: "confirmed" | "cancelled" | "completed";
  subject: string;
  startAt: string;
  endAt: string;
  seats: number;
  sequence: number;
  updatedAt: string;
  cancelledAt: string | null;
  /** The students; a student's own feed passes only themselves (never their classmates). */
  participants: { id: string; name: string; cancelled: boolean }[];
};

export type FeedViewer = { id: string; role: "tutor" | "student" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A cal-address that names a user without revealing their e-mail address. */
export const personUri = (userId: string) => (UUID.test(userId) ? `urn:uuid:${userId.toLowerCase()}` : `urn:tutorly:user:${encodeURIComponent(userId)}`);

const subjectLabel = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The VEVENTs of a user's feed: their sessions in the window, cancelled ones (the whole session, or the
 * viewer's seat in a group) as STATUS:CANCELLED until `keepCancelledDays` after the cancellation.
 */
export function bookingEvents(rows: FeedBooking[], viewer: FeedViewer, opts: { origin: string; window: FeedWindow }): FeedEvent[] {
  const events: FeedEvent[] = [];
  for (const b of rows) {
    const start = Date.parse(b.startAt);
    const end = Date.parse(b.endAt);
    if (end <= opts.window.from || start >= opts.window.to) continue;
    const mySeat = viewer.role === "student" ? b.participants.find((p) => p.id === viewer.id) : undefined;
    if (viewer.role === "student" && !mySeat) continue;
    const cancelled = b.status === "cancelled" || mySeat?.cancelled === true;
    const updated = Date.parse(b.updatedAt);
    if (cancelled && Date.parse(b.cancelledAt ?? b.updatedAt) < opts.window.cancelledSince) continue;

    const students = viewer.role === "student" ? [mySeat!] : b.participants;
    const present = students.filter((p) => !p.cancelled);
    const subject = subjectLabel(b.subject);
    const title =
      viewer.role === "tutor"
        ? b.kind === "group"
          ? `${subject} group (${present.length}/${b.seats})`
          : `${subject} with ${present[0]?.name ?? students[0]?.name ?? "a student"}`
        : `${subject}${b.kind === "group" ? " group" : ""} with ${b.tutorName}`;
    const link = `${opts.origin}/sessions/${encodeURIComponent(b.id)}`;
    const who = viewer.role === "tutor" ? `Students: ${present.map((p) => p.name).join(", ") || "none yet"}` : `Tutor: ${b.tutorName}`;
    const description = `${who}\n${cancelled ? "This session was cancelled." : `Join: ${link}`}`;
    const organizer: FeedPerson = { name: b.tutorName, uri: personUri(b.tutorId) };
    events.push({
      uid: `${b.id}@tutorly`,
      start,
      end,
      sequence: b.sequence,
      status: cancelled ? "CANCELLED" : "CONFIRMED",
      lastModified: updated,
      summary: cancelled ? `Cancelled: ${title}` : title,
      description,
      url: link,
      organizer,
      attendees: students.map((p) => ({ name: p.name, uri: personUri(p.id), declined: p.cancelled })),
    });
  }
  return events;
}
