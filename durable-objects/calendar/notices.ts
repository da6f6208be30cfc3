import { inArray } from "drizzle-orm";
import { subjectLabel } from "../../domain/format/subject";
import { googleCalendarUrl, outlookCalendarUrl, renderInvite } from "../../domain/ical/invite";
import { serverText } from "../../domain/i18n/server";
import { renderNotice, withOtherName } from "../../domain/notifications/messages";
import { getDb, readInChunks } from "../../platform/db/client";
import { users } from "../../platform/db/schema";
import type { LivePush } from "../../platform/notifications/live";
import { notifyAll } from "../../platform/notifications/service";
import type { Effect } from "./effects";

type NoticeEffect = Omit<Extract<Effect, { kind: "notice" }>, "kind">;
type Person = { id: string; name: string; email: string; timezone: string; locale: string; status: string };

/**
 * Renders notices, each in its recipient's zone and locale (with the other person's name), and delivers each once.
 * A notice about a session the recipient holds a seat in may carry its calendar invitation (REQUEST or CANCEL, the
 * feed's UID) and add-to-calendar links. Everyone the notices name is read in one query, and they are delivered
 * together (platform/notifications: `notifyAll`), however many bookings they come from; their live pushes go through
 * `live` when given (the sender knows who has a tab open).
 */
export async function sendNotices(env: Env, effects: readonly NoticeEffect[], live?: LivePush): Promise<void> {
  const ids = [...new Set(effects.flatMap((e) => [e.userId, ...(e.nameOf ? [e.nameOf] : []), ...(e.invite ? [e.invite.tutorId] : [])]))];
  const db = getDb(env);
  const people: Person[] = await readInChunks(ids, (part) => db.select({ id: users.id, name: users.name, email: users.email, timezone: users.timezone, locale: users.locale, status: users.status }).from(users).where(inArray(users.id, part)).all());
  const personOf = new Map(people.map((p) => [p.id, p]));
  const notices = effects.flatMap((e) => {
    const me = personOf.get(e.userId);
    if (!me) return [];
    const other = e.nameOf ? personOf.get(e.nameOf)?.name : undefined;
    // In the reader's zone and language (their clock: 12- or 24-hour).
    const { title, body } = renderNotice(withOtherName(e.template, other, me.locale), me.timezone, me.locale);
    const invite = e.invite ? invitation(env, e, me, personOf.get(e.invite.tutorId)?.name ?? serverText(me.locale)("names.yourTutor")) : undefined;
    return [
      {
        userId: e.userId,
        kind: e.template.kind,
        title,
        body,
        link: e.link,
        dedupeKey: e.dedupeKey,
        inbox: e.inbox,
        email: e.email,
        emailExtra: invite?.extra,
        attachments: invite ? [invite.attachment] : undefined,
        // Read above with the other people of the notice: the email needs no second read.
        recipient: me.status === "deleted" ? null : { email: me.email, name: me.name, locale: me.locale },
      },
    ];
  });
  await notifyAll(env, notices, new Date(), live);
}

/** One notice on its own. */
export const sendNotice = (env: Env, e: NoticeEffect, live?: LivePush): Promise<void> => sendNotices(env, [e], live);

/** The .ics invitation for the recipient (a student of the session) and, for a REQUEST, add-to-calendar links. */
function invitation(env: Env, e: NoticeEffect, me: Person, tutorName: string) {
  const i = e.invite!;
  const origin = env.APP_URL ?? "http://localhost:8787";
  const url = `${origin}/sessions/${encodeURIComponent(i.bookingId)}`;
  // The event's words in the reader's language (a Spanish reader's calendar shows "Matemáticas con …").
  const t = serverText(me.locale);
  const subject = subjectLabel(e.template.subject, me.locale);
  const title = t(i.group ? "invite.groupTitle" : "invite.title", { subject, tutor: tutorName });
  const details = t("invite.details", { tutor: tutorName, url });
  const from = env.EMAIL_FROM ?? "Tutorly <no-reply@tutorly.dev>";
  const organizer = { name: "Tutorly", email: from.match(/<([^>]+)>/)?.[1] ?? from };
  const more = i.more?.map((w) => {
    const page = `${origin}/sessions/${encodeURIComponent(w.bookingId)}`;
    return { ...w, url: page, description: t("invite.details", { tutor: tutorName, url: page }) };
  });
  const content = renderInvite({ method: i.method, bookingId: i.bookingId, sequence: i.sequence, start: i.start, end: i.end, stamp: Date.now(), summary: title, cancelledSummary: t("invite.cancelled", { summary: title }), description: details, language: me.locale, url, organizer, attendee: { name: me.name, email: me.email }, more });
  const links = { title, start: i.start, end: i.end, details, location: url };
  return {
    attachment: { filename: i.method === "CANCEL" ? "cancelled.ics" : "invite.ics", contentType: `text/calendar; method=${i.method}; charset=UTF-8`, content },
    extra: i.method === "REQUEST" ? `${t("invite.addToCalendar")}\nGoogle Calendar: ${googleCalendarUrl(links)}\nOutlook: ${outlookCalendarUrl(links)}\n${t("invite.orOpen")}` : undefined,
  };
}
