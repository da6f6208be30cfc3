import { subjectLabel } from "../format/subject";
import { serverText } from "../i18n/server";
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
  /**
   * The students; a student's own feed passes only themselves (never their classmates). `left`: a cancelled seat its
   * student gave up while the session went on (not one cancelled with the session).
   */
  participants: { id: string; name: string; cancelled: boolean; left?: boolean }[];
};

/** Whose feed it is; its texts are in the viewer's language (`locale`, English when not given). */
export type FeedViewer = { id: string; role: "tutor" | "student"; locale?: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A cal-address that names a user without revealing their e-mail address. */
export const personUri = (userId: string) => (UUID.test(userId) ? `urn:uuid:${userId.toLowerCase()}` : `urn:tutorly:user:${encodeURIComponent(userId)}`);

/**
 * The VEVENTs of a user's feed: their sessions in the window, cancelled ones as STATUS:CANCELLED — a whole session
 * until `keepCancelledDays` after the cancellation, the viewer's seat given up in a group while the session is in it.
 */
export function bookingEvents(rows: FeedBooking[], viewer: FeedViewer, opts: { origin: string; window: FeedWindow }): FeedEvent[] {
  const events: FeedEvent[] = [];
  const t = serverText(viewer.locale);
  for (const b of rows) {
    const start = Date.parse(b.startAt);
    const end = Date.parse(b.endAt);
    if (end <= opts.window.from || start >= opts.window.to) continue;
    const mySeat = viewer.role === "student" ? b.participants.find((p) => p.id === viewer.id) : undefined;
    if (viewer.role === "student" && !mySeat) continue;
    const cancelled = b.status === "cancelled" || mySeat?.cancelled === true;
    const updated = Date.parse(b.updatedAt);
    // A cancelled session is dropped 30 days after its cancellation. A seat given up while the session went on stays
    // (cancelled) while the session is in the window: the projection keeps no time for giving a seat up, and the
    // session's own changes (classmates, its end) would otherwise drop it and bring it back into the calendar.
    if (b.status === "cancelled" && Date.parse(b.cancelledAt ?? b.updatedAt) < opts.window.cancelledSince) continue;

    const students = viewer.role === "student" ? [mySeat!] : b.participants;
    const present = students.filter((p) => !p.cancelled);
    // A cancelled session is told with the students who were booked when it was cancelled, not "none yet"; those who
    // had given their seat up before are not among them (a group never counts more students than its seats).
    const named = b.status === "cancelled" ? students.filter((p) => !p.left) : present;
    const subject = subjectLabel(b.subject, viewer.locale);
    const title =
      viewer.role === "tutor"
        ? b.kind === "group"
          ? t("feed.groupTitle", { subject, present: named.length, seats: b.seats })
          : t("feed.withStudent", { subject, name: present[0]?.name ?? students[0]?.name ?? t("feed.aStudent") })
        : t(b.kind === "group" ? "invite.groupTitle" : "invite.title", { subject, tutor: b.tutorName });
    const link = `${opts.origin}/sessions/${encodeURIComponent(b.id)}`;
    const who = viewer.role === "tutor" ? t("feed.students", { names: named.map((p) => p.name).join(", ") || t("feed.noneYet") }) : t("feed.tutor", { name: b.tutorName });
    const description = `${who}\n${cancelled ? t("feed.wasCancelled") : t("feed.join", { link })}`;
    const organizer: FeedPerson = { name: b.tutorName, uri: personUri(b.tutorId) };
    events.push({
      uid: `${b.id}@tutorly`,
      start,
      end,
      sequence: b.sequence,
      status: cancelled ? "CANCELLED" : "CONFIRMED",
      lastModified: updated,
      summary: cancelled ? t("invite.cancelled", { summary: title }) : title,
      description,
      url: link,
      organizer,
      attendees: students.map((p) => ({ name: p.name, uri: personUri(p.id), declined: p.cancelled })),
    });
  }
  return events;
}
