import type { Duration } from "../../../../domain/schemas/availability";
import { api, call } from "../../lib/api";

/** A tutor's public profile. */
export const fetchTutor = async (id: string) => (await call(api.tutors[":id"].$get({ param: { id } }))).tutor;

/** Free 1:1 starts and joinable group sessions of a tutor in [from, to) (at most 92 days). */
export async function fetchSlots(id: string, from: number, to: number, duration: Duration) {
  return call(api.tutors[":id"].slots.$get({ param: { id }, query: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), duration: String(duration) } }));
}
export type SlotsView = Awaited<ReturnType<typeof fetchSlots>>;
export type Slot = SlotsView["slots"][number];
export type GroupOffer = SlotsView["groups"][number];
