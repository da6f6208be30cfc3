import { inArray } from "drizzle-orm";
import { z } from "zod";
import type { HistoryEntry } from "../../../durable-objects/StudentAccount";
import { getDb } from "../../../platform/db/client";
import { bookings, users } from "../../../platform/db/schema";
import { accountOf } from "../../lib/stubs";

/** `?cursor=&limit=`: the cursor is the `next` of the page before (a ledger position), opaque to clients. */
export const HistoryQuery = z.object({
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, { message: "Use the cursor a previous page gave" })
    .transform(Number)
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

/**
 * A page of the student's credit history, newest first, read from their wallet (the StudentAccount object, the
 * source of truth, so a booking shows at once). Each spend and refund names its session: the id and time from the
 * wallet's own reservation, the tutor's name and the subject from D1 (a booking not projected yet has no subject).
 */
export async function creditHistory(env: Env, studentId: string, q: z.infer<typeof HistoryQuery>) {
  const page = await accountOf(env, studentId).ledgerHistory({ studentId, now: Date.now(), before: q.cursor ?? null, limit: q.limit });
  const sessions = page.entries.flatMap((e) => (e.session ? [e.session] : []));
  const db = getDb(env);
  const [tutors, booked] = sessions.length
    ? await Promise.all([
        db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, [...new Set(sessions.map((s) => s.tutorId))])).all(),
        db.select({ id: bookings.id, subject: bookings.subject, kind: bookings.kind, start: bookings.startAt, end: bookings.endAt }).from(bookings).where(inArray(bookings.id, [...new Set(sessions.map((s) => s.id))])).all(),
      ])
    : [[], []];
  const nameOf = new Map(tutors.map((t) => [t.id, t.name]));
  const bookingOf = new Map(booked.map((b) => [b.id, b]));
  const entry = (e: HistoryEntry) => ({
    id: e.id,
    kind: e.kind,
    minutes: e.minutes,
    at: e.createdAt,
    reason: e.reason,
    funding: e.funding,
    expiresAt: e.expiresAt,
    moved: e.moved,
    lot: e.lot && { kind: e.lot.kind, funding: e.lot.funding, reason: e.lot.reason, grantedAt: e.lot.createdAt },
    session: e.session && {
      id: e.session.id,
      // The calendar's time once projected (a dev move or an admin's change may not reach the wallet's copy).
      start: bookingOf.get(e.session.id)?.start ?? e.session.start,
      end: bookingOf.get(e.session.id)?.end ?? e.session.end,
      tutorName: nameOf.get(e.session.tutorId) ?? null,
      subject: bookingOf.get(e.session.id)?.subject ?? null,
      kind: bookingOf.get(e.session.id)?.kind ?? null,
    },
  });
  return { entries: page.entries.map(entry), next: page.next === null ? null : String(page.next) };
}
