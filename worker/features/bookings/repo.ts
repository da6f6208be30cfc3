import { and, asc, desc, eq, gte, inArray, lt, type SQL } from "drizzle-orm";
import type { Booking } from "../../../domain/schemas/booking";
import { type Db, readInChunks } from "../../../platform/db/client";
import { bookingParticipants, bookings, reviews, users } from "../../../platform/db/schema";
import { attendedBy, mayReview } from "../reviews/eligibility";

type Row = typeof bookings.$inferSelect & { tutorName: string | null };

export type BookingFilter = { tutorId?: string; studentId?: string; status?: Booking["status"]; from?: string; to?: string };

/**
 * A booking as a student sees it: also whether they may rate it (`reviewable`: they were at it, see
 * reviews/eligibility.ts), so the screens offer "Rate this lesson" only where the server takes it.
 */
export type StudentBooking = Booking & { reviewable?: boolean };

/** Bookings from the projection, shaped for the API; `viewerStudentId` hides other students of a group. */
async function shape(db: Db, rows: Row[], viewerStudentId?: string): Promise<StudentBooking[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  // A list holds up to 500 bookings and D1 binds at most 100 values to a statement: the ids go in chunks.
  const [people, myReviews, attended] = await Promise.all([
    readInChunks(ids, (part) =>
      db
        .select({ bookingId: bookingParticipants.bookingId, studentId: bookingParticipants.studentId, status: bookingParticipants.status, creditsMinutes: bookingParticipants.creditsMinutes, seriesId: bookingParticipants.seriesId, paymentDueAt: bookingParticipants.paymentDueAt, leftEarly: bookingParticipants.leftEarly, name: users.name })
        .from(bookingParticipants)
        .leftJoin(users, eq(users.id, bookingParticipants.studentId))
        .where(inArray(bookingParticipants.bookingId, part))
        .all(),
    ),
    viewerStudentId
      ? readInChunks(ids, (part) => db.select({ bookingId: reviews.bookingId }).from(reviews).where(and(eq(reviews.studentId, viewerStudentId), inArray(reviews.bookingId, part))).all())
      : Promise.resolve([]),
    viewerStudentId ? attendedBy(db, viewerStudentId, rows.filter((r) => r.status === "completed").map((r) => r.id)) : Promise.resolve(new Set<string>()),
  ]);
  const reviewedIds = new Set(myReviews.map((r) => r.bookingId));
  return rows.map((r) => {
    const mine = people.filter((p) => p.bookingId === r.id);
    const confirmed = mine.filter((p) => p.status === "confirmed");
    const me = viewerStudentId ? mine.find((p) => p.studentId === viewerStudentId) : undefined;
    // A week of a series is a seat: the viewer's own, or for tutors and admins a 1:1 week's one student.
    const week = viewerStudentId ? me : r.kind === "one_on_one" ? mine[0] : undefined;
    return {
      // A student sees only themselves (never classmates); tutors and admins see every seat, with names.
      ...(viewerStudentId
        ? { reviewed: reviewedIds.has(r.id), reviewable: mayReview({ status: r.status, seat: me?.status ?? "cancelled", outcome: r.outcome, present: attended.has(r.id) }) }
        : { participants: mine.map((p) => ({ studentId: p.studentId, name: p.name ?? "A former student", status: p.status, ...(p.status === "cancelled" && p.leftEarly ? { left: true } : {}) })) }),
      id: r.id,
      tutorId: r.tutorId,
      tutorName: r.tutorName ?? undefined,
      studentIds: viewerStudentId ? confirmed.filter((p) => p.studentId === viewerStudentId).map((p) => p.studentId) : confirmed.map((p) => p.studentId),
      start: r.startAt,
      end: r.endAt,
      subject: r.subject,
      kind: r.kind,
      status: me?.status === "cancelled" ? "cancelled" : r.status,
      source: r.source,
      creditsMinutes: me?.creditsMinutes ?? r.creditsMinutes,
      price: { creditMinutes: me?.creditsMinutes ?? r.creditsMinutes },
      // The tutor's earning is for the tutor and admins; a student sees what they paid.
      ...(viewerStudentId ? {} : { tutorEarningCents: r.tutorEarningCents }),
      ...(r.outcome ? { outcome: r.outcome, ...(viewerStudentId ? {} : { taughtMinutes: r.taughtMinutes ?? 0 }) } : {}),
      ...(r.trial ? { trial: true } : {}),
      ...(r.freeTrial ? { freeTrial: true } : {}),
      ...(week?.seriesId ? { seriesId: week.seriesId, paymentDueAt: week.paymentDueAt } : {}),
      seats: r.seats,
      seatsTaken: confirmed.length,
    };
  });
}

const selectRows = (db: Db) =>
  db
    .select({
      id: bookings.id,
      tutorId: bookings.tutorId,
      kind: bookings.kind,
      status: bookings.status,
      source: bookings.source,
      subject: bookings.subject,
      startAt: bookings.startAt,
      endAt: bookings.endAt,
      seats: bookings.seats,
      creditsMinutes: bookings.creditsMinutes,
      sequence: bookings.sequence,
      createdAt: bookings.createdAt,
      updatedAt: bookings.updatedAt,
      cancelledAt: bookings.cancelledAt,
      cancelledBy: bookings.cancelledBy,
      cancelReason: bookings.cancelReason,
      tutorEarningCents: bookings.tutorEarningCents,
      outcome: bookings.outcome,
      taughtMinutes: bookings.taughtMinutes,
      trial: bookings.trial,
      freeTrial: bookings.freeTrial,
      tutorName: users.name,
    })
    .from(bookings)
    .leftJoin(users, eq(users.id, bookings.tutorId));

function conditions(f: BookingFilter): SQL[] {
  return [
    f.tutorId ? eq(bookings.tutorId, f.tutorId) : undefined,
    f.status ? eq(bookings.status, f.status) : undefined,
    f.from ? gte(bookings.endAt, f.from) : undefined,
    f.to ? lt(bookings.startAt, f.to) : undefined,
  ].filter((x): x is SQL => !!x);
}

export async function listForStudent(db: Db, studentId: string, f: BookingFilter = {}): Promise<StudentBooking[]> {
  const mine = db.select({ id: bookingParticipants.bookingId }).from(bookingParticipants).where(eq(bookingParticipants.studentId, studentId));
  const rows = await selectRows(db)
    .where(and(inArray(bookings.id, mine), ...conditions(f)))
    .orderBy(asc(bookings.startAt))
    .limit(500)
    .all();
  const shaped = await shape(db, rows, studentId);
  return f.status ? shaped.filter((b) => b.status === f.status) : shaped;
}

export async function listForTutor(db: Db, tutorId: string, f: BookingFilter = {}): Promise<Booking[]> {
  const rows = await selectRows(db)
    .where(and(...conditions({ ...f, tutorId })))
    .orderBy(asc(bookings.startAt))
    .limit(500)
    .all();
  return shape(db, rows);
}

export async function listAll(db: Db, f: BookingFilter = {}): Promise<Booking[]> {
  const byStudent = f.studentId ? [inArray(bookings.id, db.select({ id: bookingParticipants.bookingId }).from(bookingParticipants).where(eq(bookingParticipants.studentId, f.studentId)))] : [];
  const rows = await selectRows(db)
    .where(and(...conditions(f), ...byStudent))
    .orderBy(desc(bookings.startAt))
    .limit(500)
    .all();
  return shape(db, rows);
}

/**
 * One booking for someone allowed to see it — its tutor, a student who holds or held a seat, an admin — shaped as
 * in their list; `undefined` for everyone else (unknown and other people's bookings look the same).
 */
export async function bookingFor(db: Db, id: string, viewer: { id: string; role: string }): Promise<(StudentBooking & { cancelledBy: string | null; cancelReason: string | null; cancelledAt: string | null }) | undefined> {
  const row = await selectRows(db).where(eq(bookings.id, id)).get();
  if (!row) return undefined;
  let asStudent: string | undefined;
  if (viewer.role === "student") {
    const seat = await db.select({ id: bookingParticipants.studentId }).from(bookingParticipants).where(and(eq(bookingParticipants.bookingId, id), eq(bookingParticipants.studentId, viewer.id))).get();
    if (!seat) return undefined;
    asStudent = viewer.id;
  } else if (viewer.role === "tutor" && row.tutorId !== viewer.id) return undefined;
  else if (viewer.role !== "tutor" && viewer.role !== "admin") return undefined;
  const [booking] = await shape(db, [row], asStudent);
  return { ...booking!, cancelledBy: row.cancelledBy, cancelReason: row.cancelReason, cancelledAt: row.cancelledAt };
}
