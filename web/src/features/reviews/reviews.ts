import { api, call } from "../../lib/api";

/** Rates a completed session (once per booking): 1–5 stars and an optional comment. */
export const submitReview = async (bookingId: string, rating: number, comment?: string) =>
  call(api.bookings[":id"].review.$post({ param: { id: bookingId }, json: comment ? { rating, comment } : { rating } }));

/** A tutor's latest reviews, newest first (students by first name). */
export const fetchTutorReviews = async (tutorId: string) => (await call(api.tutors[":id"].reviews.$get({ param: { id: tutorId } }))).reviews;
export type Review = Awaited<ReturnType<typeof fetchTutorReviews>>[number];

// The bookings list does not say which sessions were already rated, so this browser remembers the ones it rated
// (or was told were rated) and stops asking.
const STORE = "tutorly:reviewed";
const read = (): string[] => {
  try {
    const v = JSON.parse(localStorage.getItem(STORE) ?? "[]");
    return Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];
  } catch {
    return [];
  }
};
export const wasReviewed = (bookingId: string) => read().includes(bookingId);
export function rememberReviewed(bookingId: string) {
  try {
    localStorage.setItem(STORE, JSON.stringify([...read().filter((x) => x !== bookingId), bookingId].slice(-200)));
  } catch {
    /* private mode: just ask again next time */
  }
}
