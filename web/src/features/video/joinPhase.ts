import type { Booking } from "../../../../domain/schemas/booking";
import { joinWindow, windowPhase } from "../../../../domain/video/window";
import { createNow } from "../../lib/clock";

/**
 * Where a booking stands against its room's join window (domain/video/window.ts), kept current: it turns "open"
 * at the opening instant and "after" just past the closing one. A cancelled or completed booking is "after".
 */
export function createJoinPhase(booking: () => Pick<Booking, "start" | "end" | "status">) {
  const times = () => ({ start: Date.parse(booking().start), end: Date.parse(booking().end) });
  const window = () => joinWindow(times());
  // windowPhase counts the closing instant itself as open, so the change to "after" is a millisecond later.
  const now = createNow(() => [window().opensAt, window().closesAt + 1]);
  return {
    phase: () => (booking().status === "confirmed" ? windowPhase(times(), now()) : "after"),
    opensAt: () => window().opensAt,
  };
}
