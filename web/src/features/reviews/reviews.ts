import { api, call } from "../../lib/api";

/** Rates a completed session (once per booking): 1–5 stars and an optional comment. */
export const submitReview = async (bookingId: string, rating: number, comment?: string) =>
  call(api.bookings[":id"].review.$post({ param: { id: bookingId }, json: comment ? { rating, comment } : { rating } }));

/** A tutor's latest reviews, newest first (students by first name). */
export const fetchTutorReviews = async (tutorId: string) => (await call(api.tutors[":id"].reviews.$get({ param: { id: tutorId } }))).reviews;
export type Review = Awaited<ReturnType<typeof fetchTutorReviews>>[number];
