import type { Booking } from "../../../../domain/schemas/booking";
import { api, call } from "../../lib/api";

/**
 * Whether to offer "Rate this lesson" under a student's booking: only where the server would take the rating — it
 * says so in `reviewable` (the student was at a lesson that took place: worker/features/reviews/eligibility.ts) —
 * and it is not rated yet. A booking without the field (a saved older answer) offers nothing.
 */
export const offersReview = (b: Booking): boolean => b.status === "completed" && !b.reviewed && b.reviewable === true;

/** Rates a completed session (once per booking): 1–5 stars and an optional comment. */
export const submitReview = async (bookingId: string, rating: number, comment?: string) =>
  call(api.bookings[":id"].review.$post({ param: { id: bookingId }, json: comment ? { rating, comment } : { rating } }));

/** A tutor's latest reviews, newest first (students by first name). */
export const fetchTutorReviews = async (tutorId: string) => (await call(api.tutors[":id"].reviews.$get({ param: { id: tutorId } }))).reviews;
export type Review = Awaited<ReturnType<typeof fetchTutorReviews>>[number];
