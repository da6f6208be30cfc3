import type { Duration } from "../../../../domain/schemas/availability";
import { api, callWithAge } from "../../lib/api";

/** A tutor's public profile; `savedAt` when it is the copy saved for offline use (the device is offline). */
export async function fetchTutor(id: string) {
  const { body, savedAt } = await callWithAge(api.tutors[":id"].$get({ param: { id } }));
  return { ...body.tutor, savedAt };
}

/** Free 1:1 starts and joinable group sessions of a tutor in [from, to) (at most 92 days); `savedAt` as above. */
export async function fetchSlots(id: string, from: number, to: number, duration: Duration) {
  const { body, savedAt } = await callWithAge(api.tutors[":id"].slots.$get({ param: { id }, query: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), duration: String(duration) } }));
  return { ...body, savedAt };
}
export type SlotsView = Awaited<ReturnType<typeof fetchSlots>>;
export type Slot = SlotsView["slots"][number];
export type GroupOffer = SlotsView["groups"][number];
