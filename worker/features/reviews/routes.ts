import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { newApp } from "../../app";
import { hasVisibleText, normalizeMessageText } from "../../../domain/messaging/text";
import { getDb } from "../../../platform/db/client";
import { bookingParticipants, bookings, reviews, tutorProfiles, users } from "../../../platform/db/schema";
import { ApiError, notFound } from "../../lib/errors";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { visibleTutor } from "../tutors/repo";
import { attendedBy, mayReview } from "./eligibility";

/**
 * A public comment is plain text kept as messages are: control characters and bidi overrides (which can disguise
 * what it says) go, and one that shows nothing is no comment at all. Its limit counts what is kept.
 */
const CommentSchema = z
  .string()
  .max(2000)
  .transform(normalizeMessageText)
  .pipe(z.string().max(1000))
  .transform((text) => (hasVisibleText(text) ? text : null));

const ReviewSchema = z.object({ rating: z.number().int().min(1).max(5), comment: CommentSchema.optional() });

export const reviewRoutes = newApp()
  .post("/bookings/:id/review", requireRole("student"), validate("param", z.object({ id: z.string().min(1).max(100) })), validate("json", ReviewSchema), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const db = getDb(c.env);
    const booking = await db
      .select({ tutorId: bookings.tutorId, status: bookings.status, outcome: bookings.outcome, seat: bookingParticipants.status })
      .from(bookings)
      .innerJoin(bookingParticipants, and(eq(bookingParticipants.bookingId, bookings.id), eq(bookingParticipants.studentId, me.id)))
      .where(eq(bookings.id, id))
      .get();
    if (!booking) throw notFound("That booking");
    const present = (await attendedBy(db, me.id, [id])).has(id);
    if (!mayReview({ ...booking, present })) throw new ApiError(409, "not_reviewable", "You can review a session you attended, once it has taken place.");
    const { rating, comment } = c.req.valid("json");
    // The insert and the tutor's aggregate go in one batch; the aggregate is recomputed, so a repeat cannot skew it.
    const [inserted] = await db.batch([
      db.insert(reviews).values({ bookingId: id, studentId: me.id, tutorId: booking.tutorId, rating, comment: comment ?? null, createdAt: new Date().toISOString() }).onConflictDoNothing().returning({ id: reviews.bookingId }),
      db
        .update(tutorProfiles)
        .set({
          ratingSum: sql`(SELECT coalesce(sum(rating), 0) FROM reviews WHERE tutor_id = ${booking.tutorId})`,
          ratingCount: sql`(SELECT count(*) FROM reviews WHERE tutor_id = ${booking.tutorId})`,
        })
        .where(eq(tutorProfiles.userId, booking.tutorId)),
    ]);
    if (!inserted.length) throw new ApiError(409, "already_reviewed", "You already reviewed this session.");
    return c.json({ review: { bookingId: id, rating, comment: comment ?? null } }, 201);
  })
  .get("/tutors/:id/reviews", validate("param", z.object({ id: z.string().min(1).max(64) })), async (c) => {
    // Reviews of a tutor nobody may see (unlisted, suspended, deleted) are not shown either.
    await visibleTutor(c, c.req.valid("param").id);
    const list = await getDb(c.env)
      .select({ rating: reviews.rating, comment: reviews.comment, createdAt: reviews.createdAt, studentName: users.name })
      .from(reviews)
      .innerJoin(users, eq(users.id, reviews.studentId))
      .where(eq(reviews.tutorId, c.req.valid("param").id))
      .orderBy(desc(reviews.createdAt))
      .limit(50)
      .all();
    // Only first names are shown publicly.
    return c.json({ reviews: list.map((r) => ({ ...r, studentName: r.studentName.split(" ")[0] })) }, 200);
  });
