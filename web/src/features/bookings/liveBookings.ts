import { createResource, createSignal } from "solid-js";
import { assertNever } from "../../../../domain/assertNever";
import type { ServerMessage } from "../../../../domain/protocol";
import type { Booking } from "../../../../domain/schemas/booking";
import { onUserLive, userLiveStatus } from "../../lib/userLive";
import { listBookings } from "./bookings";
import { createDebounced } from "../../lib/debounce";

type Notice = Extract<ServerMessage, { type: "notification" }>;

/**
 * The caller's bookings, kept live over `/api/live`: a changed booking is patched in place at once and the list
 * refetched behind it (new bookings, names); `onCredits` follows `credits.changed`, `onNotice` every notification.
 */
export function createLiveBookings(opts: { onCredits?: (balanceMinutes: number) => void; onNotice?: (n: Notice) => void; onBooking?: () => void } = {}) {
  const [bookings, { mutate, refetch }] = createResource(listBookings);
  const [notices, setNotices] = createSignal<Notice[]>([]);
  const refresh = createDebounced(() => void refetch(), 150);

  onUserLive({
    onMessage: (m) => {
      switch (m.type) {
        case "booking.changed": {
          const { id, start, end, status, seats, seatsTaken } = m.booking;
          mutate((list) => list?.map((b) => (b.id === id ? { ...b, start, end, status, seats: seats ?? b.seats, seatsTaken: seatsTaken ?? b.seatsTaken } : b)));
          refresh();
          opts.onBooking?.();
          return;
        }
        case "credits.changed":
          opts.onCredits?.(m.balanceMinutes);
          return;
        case "notification":
          setNotices((list) => [...list.filter((n) => n.id !== m.id), m].slice(-3));
          opts.onNotice?.(m);
          return;
        case "hello":
        case "pong":
        case "slots.changed":
        case "message.created":
        case "conversation.updated":
          return;
        default:
          return assertNever(m);
      }
    },
    onReconnect: () => {
      refresh();
      opts.onBooking?.();
    },
  });

  /** Applies a booking returned by an action (before the live echo arrives). */
  const upsert = (b: Booking) => {
    mutate((list) => {
      if (!list) return list;
      const known = list.some((x) => x.id === b.id);
      return known ? list.map((x) => (x.id === b.id ? { ...x, ...b, tutorName: b.tutorName ?? x.tutorName } : x)) : [...list, b];
    });
    refresh();
  };

  return { bookings, refetch: refresh, upsert, notices, dismiss: (id: string) => setNotices((l) => l.filter((n) => n.id !== id)), status: userLiveStatus };
}

/** Upcoming (confirmed, not yet ended) soonest first; the rest most recent first. */
export function splitBookings(list: Booking[], now = Date.now()) {
  const upcoming = list.filter((b) => b.status === "confirmed" && Date.parse(b.end) > now).sort((a, b) => a.start.localeCompare(b.start));
  const past = list.filter((b) => !upcoming.includes(b)).sort((a, b) => b.start.localeCompare(a.start));
  return { upcoming, past };
}
