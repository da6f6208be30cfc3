import type { AvailabilityInput } from "../../../../domain/schemas/availability";
import type { Booking, OpenGroupSessionInput } from "../../../../domain/schemas/booking";
import { api, call } from "../../lib/api";

/** The signed-in tutor's weekly hours and rules, or null before they set any. */
export const fetchMyAvailability = async () => (await call(api.tutors.me.availability.$get())).availability;

export const saveMyAvailability = async (json: AvailabilityInput) => (await call(api.tutors.me.availability.$put({ json }))).availability;

/** Opens a group session on one of the tutor's free slots. */
export const openGroupSession = async (json: OpenGroupSessionInput, key: string): Promise<Booking> =>
  (await call(api.tutors.me["group-sessions"].$post({ json }, { headers: { "Idempotency-Key": key } }))).booking as Booking;
