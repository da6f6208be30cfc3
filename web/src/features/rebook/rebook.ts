import { createResource } from "solid-js";
import type { MyTutor } from "../../../../domain/rebook";
import type { Booking } from "../../../../domain/schemas/booking";
import { api, call } from "../../lib/api";
import { dayOf, mondayOf } from "../../lib/time";
import { onUserLive } from "../../lib/userLive";
import { bookSlot, keyPerRequest } from "../bookings/bookings";

export type { MyTutor };

/** The tutors the signed-in student has had lessons with, each with the same time next week and their next free slots. */
export const fetchMyTutors = async (): Promise<MyTutor[]> => (await call(api.me.tutors.$get())).tutors;

/** "My tutors", kept current: a change to one of the student's bookings refetches it (a slot may have been taken or freed). */
export function createMyTutors() {
  const [tutors, { refetch }] = createResource(fetchMyTutors);
  onUserLive({
    onMessage: (m) => {
      if (m.type === "booking.changed") void refetch();
    },
    onReconnect: () => void refetch(),
  });
  return { tutors, refetch: () => void refetch() };
}

/**
 * Books the same time next week with a tutor, through the normal booking path: one Idempotency-Key per card and
 * time, so a double click or a retry after a lost answer books once.
 */
export function sameTimeBooker() {
  const keys = keyPerRequest();
  return async (card: MyTutor): Promise<Booking> => {
    const json = { tutorId: card.tutor.id, start: card.nextWeek.start, durationMinutes: card.last.durationMinutes, subject: card.last.subject };
    const booking = await bookSlot(json, keys.for(json));
    keys.settled();
    return booking;
  };
}

/** The tutor's page with a slot's booking dialog open (price, balance, confirm). */
export function slotLink(card: MyTutor, start: string, zone: string): string {
  const query = { week: mondayOf(dayOf(start, zone)), duration: String(card.last.durationMinutes), pick: start };
  return `/tutors/${encodeURIComponent(card.tutor.id)}?${new URLSearchParams(query)}`;
}
