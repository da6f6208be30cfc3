import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { bookingParticipants, bookings, reviews, tutorProfiles, users } from "../../../platform/db/schema";
import { ApiError, notFound } from "../../lib/errors";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { visibleTutor } from "../tutors/repo";

const ReviewSchema = z.object({ rating: z.number().int().min(1).max(5), comment: z.string().trim().max(1000).optional() });

export const reviewRoutes = newApp()
  .post("/bookings/:id/review", requireRole("student"), validate("param", z.object({ id: z.string().min(1).max(100) })), validate("json", ReviewSchema), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const db = getDb(c.env);
    const booking = await db
      .select({ tutorId: bookings.tutorId, status: bookings.status, seat: bookingParticipants.status })
      .from(bookings)
      .innerJoin(bookingParticipants, and(eq(bookingParticipants.bookingId, bookings.id), eq(bookingParticipants.studentId, me.id)))
      .where(eq(bookings.id, id))
      .get();
    if (!booking) throw notFound("That booking");
    if (booking.status !== "completed" || booking.seat !== "confirmed") throw new ApiError(409, "not_reviewable", "You can review a session once it has taken place.");
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
