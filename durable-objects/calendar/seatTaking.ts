import type { Booking } from "../../domain/schemas/booking";
import type { TutorFactsStore } from "./facts";
import type { Outcome } from "./outcome";
import type { Outbox } from "./outbox";
import type { SeatRow, SessionRow } from "./storage";
import type { CalendarStore } from "./store";
import type { Viewers } from "./viewers";
import type { paySeat } from "./wallet";

export type Seat = Parameters<typeof paySeat>[1];
type InFlight = { hash: string | null; answer: Promise<Outcome<Booking>> };

/** What taking a seat needs from the calendar, 1:1 (calendar/oneOnOne.ts) or in a group (calendar/groups.ts). */
export type SeatTaking = {
  env: Env;
  store: CalendarStore;
  facts: TutorFactsStore;
  outbox: Outbox;
  viewers: Viewers;
  /** The booking as the API shows it (its seats read unless given). */
  view: (s: SessionRow, seats?: SeatRow[]) => Booking;
  announce: (b: Booking, change: "booked" | "joined", userIds: string[]) => void;
  wakeAt: (at: number) => Promise<void>;
  remindAt: (start: number, now: number) => Promise<void>;
  /** Whether `minutes` from `start` are bookable now (the tutor's rules, clear of every busy interval). */
  isFree: (start: number, minutes: number, now: number) => boolean;
  /** Bookings and seats being paid for right now, by id (1:1 bookings and group seats share one id space). */
  inflight: ReadonlyMap<string, InFlight>;
  /** Runs `attempt` once per id while it is in flight; a concurrent repeat waits for it. */
  once: (id: string, hash: string | null, attempt: () => Promise<Outcome<Booking>>) => Promise<Outcome<Booking>>;
  /** Pays a held seat through the student's wallet; a throw is compensated (refund queued, hold let go). */
  pay: (seat: Seat, how: Parameters<typeof paySeat>[2], letGo: () => void) => ReturnType<typeof paySeat>;
  /** The seat was paid but its hold had expired meanwhile: the credits go back and the time is gone. */
  refundLateSeat: (seat: Seat, reason: string) => Promise<Outcome<Booking>>;
};
