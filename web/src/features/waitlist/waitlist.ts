import { createResource } from "solid-js";
import type { WaitlistPlace, WaitlistSession } from "../../../../domain/waitlist";
import type { Booking } from "../../../../domain/schemas/booking";
import { DurationSchema } from "../../../../domain/schemas/availability";
import { api, call } from "../../lib/api";
import { onUserLive } from "../../lib/userLive";
import { bookSlot } from "../bookings/bookings";

export type { WaitlistPlace, WaitlistSession };

const keyed = (key: string) => ({ headers: { "Idempotency-Key": key } });

export const fetchWaitlist = async (id: string): Promise<{ session: WaitlistSession; waitlist: WaitlistPlace }> =>
  call(api["group-sessions"][":id"].waitlist.$get({ param: { id } }));

export const joinWaitlist = async (id: string, key: string): Promise<WaitlistPlace> => (await call(api["group-sessions"][":id"].waitlist.$post({ param: { id } }, keyed(key)))).waitlist;

export const leaveWaitlist = async (id: string): Promise<WaitlistPlace> => (await call(api["group-sessions"][":id"].waitlist.$delete({ param: { id } }))).waitlist;

/** Takes a seat (a free one, or the one held for the student) through the normal group-seat booking: credits are spent now. */
export async function takeSeat(session: WaitlistSession, key: string): Promise<Booking> {
  const minutes = DurationSchema.safeParse(Math.round((Date.parse(session.end) - Date.parse(session.start)) / 60_000));
  if (!minutes.success) throw new Error(minutes.error.issues[0]?.message);
  return bookSlot({ tutorId: session.tutorId, start: session.start, durationMinutes: minutes.data, subject: session.subject, group: true }, key);
}

/** A group session and the student's place in its line, refetched when they are told something (a seat held for them). */
export function createWaitlist(id: () => string) {
  const [view, { refetch, mutate }] = createResource(id, fetchWaitlist);
  onUserLive({
    onMessage: (m) => {
      if (m.type === "notification" || m.type === "booking.changed") void refetch();
    },
    onReconnect: () => void refetch(),
  });
  return { view, refetch: () => void refetch(), setPlace: (waitlist: WaitlistPlace) => mutate((v) => (v ? { ...v, waitlist } : v)) };
}
