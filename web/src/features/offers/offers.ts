import { createResource } from "solid-js";
import type { Booking } from "../../../../domain/schemas/booking";
import { api, call } from "../../lib/api";
import { onUserLive } from "../../lib/userLive";
import { createDebounced } from "../../lib/debounce";

const keyed = (key: string) => ({ headers: { "Idempotency-Key": key } });

/** Replacement offers after a tutor cancelled one of the student's sessions (every status, soonest first). */
export const fetchOffers = async () => (await call(api.offers.$get())).offers;
export type Offer = Awaited<ReturnType<typeof fetchOffers>>[number];
export type Candidate = Offer["candidates"][number];

/** Rebooks the same time with one of the offered tutors, paid with the cancelled session's credits. */
export const acceptOffer = async (offerId: string, tutorId: string, key: string) =>
  (await call(api.offers[":id"].accept.$post({ param: { id: offerId }, json: { tutorId } }, keyed(key)))).booking as Booking;

/** Takes the credits back instead of a replacement. */
export const declineOffer = async (offerId: string, key: string) => call(api.offers[":id"].decline.$post({ param: { id: offerId } }, keyed(key)));

/** Offers the student still has to decide on (or that are being decided right now). */
export const isOpen = (o: Offer) => o.status === "open" || o.status === "accepting" || o.status === "preparing";

/**
 * The student's offers, refetched whenever the live feed says something happened (a notification or a booking
 * change: that is how a new offer, an expiry or a refund shows up) and after a reconnect.
 */
export function createLiveOffers() {
  const [offers, { mutate, refetch }] = createResource(fetchOffers);
  const refresh = createDebounced(() => void refetch(), 150);
  onUserLive({
    onMessage: (m) => {
      if (m.type === "notification" || m.type === "booking.changed" || m.type === "credits.changed") refresh();
    },
    onReconnect: refresh,
  });
  return { offers, mutate, refetch: refresh };
}
