import type { AvailabilityUpdate } from "../../../../domain/schemas/availability";
import type { Booking, OpenGroupSessionInput } from "../../../../domain/schemas/booking";
import { api, call } from "../../lib/api";

/** The signed-in tutor's weekly hours and rules, or null before they set any. */
export const fetchMyAvailability = async () => (await call(api.tutors.me.availability.$get())).availability;

/**
 * Saves the rules. A day off or override over booked sessions is refused (`ApiFailure` 409 `sessions_in_the_way`,
 * one issue per session); sent again with `confirm`, those sessions are cancelled and listed in `cancelled`.
 */
export const saveMyAvailability = async (json: AvailabilityUpdate) => await call(api.tutors.me.availability.$put({ json }));

/** The sessions a refused save names: `sessions.<booking id>` issues, each a line written in the tutor's zone. */
export const sessionsInTheWay = (issues: readonly { path: string; message: string }[]) => issues.filter((i) => i.path.startsWith("sessions.")).map((i) => ({ id: i.path.slice("sessions.".length), line: i.message }));

/** Opens a group session on one of the tutor's free slots. */
export const openGroupSession = async (json: OpenGroupSessionInput, key: string): Promise<Booking> =>
  (await call(api.tutors.me["group-sessions"].$post({ json }, { headers: { "Idempotency-Key": key } }))).booking as Booking;
