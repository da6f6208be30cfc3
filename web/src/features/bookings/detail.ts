import { createResource } from "solid-js";
import type { Booking } from "../../../../domain/schemas/booking";
import { ApiFailure, api, call } from "../../lib/api";
import { onUserLive } from "../../lib/userLive";

/** One session for its tutor, its students and admins: the booking, its tutor, who cancelled and why, the receipt. */
export const fetchBookingDetail = async (id: string) => {
  const detail = await call(api.bookings[":id"].$get({ param: { id } }));
  // The route shapes `booking` exactly as the list does (worker/features/bookings/repo.ts).
  const booking: Booking = detail.booking;
  return { ...detail, booking };
};
export type BookingDetail = Awaited<ReturnType<typeof fetchBookingDetail>>;

/** A 404 means "not yours or not there": a final answer, shown as such and never retried. */
export const isMissing = (e: unknown) => e instanceof ApiFailure && e.status === 404;

/** The session kept current: a live change to it (cancelled, moved, completed elsewhere) refetches it. */
export function createBookingDetail(id: () => string) {
  const [detail, { refetch, mutate }] = createResource(id, fetchBookingDetail);
  onUserLive({
    onMessage: (m) => {
      if (m.type === "booking.changed" && m.booking.id === id() && !detail.error) void refetch();
    },
    onReconnect: () => !detail.error && void refetch(),
  });
  return { detail, refetch: () => void refetch(), setBooking: (b: Booking) => mutate((d) => (d ? { ...d, booking: { ...d.booking, ...b, tutorName: d.booking.tutorName, participants: d.booking.participants } } : d)) };
}
