import type { FeedBooking } from "./bookingFeed";

/**
 * The "tutor's one-year feed" of the feed budget (≤ 50 ms): a busy tutor with six sessions a day across the
 * whole feed window (90 days back, 365 ahead) — 2,730 bookings, every tenth a group of four, every
 * fifteenth cancelled recently — with non-ASCII names that force folding.
 */
export const benchNow = Date.parse("2027-03-01T12:00:00Z");

export function benchBookings(now = benchNow): FeedBooking[] {
  const rows: FeedBooking[] = [];
  const day = 86_400_000;
  const first = now - 90 * day;
  const names = ["Zoë Ångström", "Jürgen Straße", "Ana María Núñez", "王小明", "Chloé O'Brien", "Søren Kierkegaard"];
  for (let d = 0; d < 455; d++) {
    for (let k = 0; k < 6; k++) {
      const i = d * 6 + k;
      const start = first + d * day + (8 + k * 2) * 3_600_000;
      const group = i % 10 === 0;
      const cancelled = i % 15 === 0;
      const iso = (ms: number) => new Date(ms).toISOString();
      rows.push({
        id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
        tutorId: "7d3f0a52-1111-4c1e-9a6e-0b7c1d2e3f40",
        tutorName: "Jürgen Straße-Üçüncü",
        kind: group ? "group" : "one_on_one",
        status: cancelled ? "cancelled" : "confirmed",
        subject: ["mathematics", "physics", "english literature"][i % 3]!,
        startAt: iso(start),
        endAt: iso(start + 3_600_000),
        seats: group ? 6 : 1,
        sequence: 1 + (i % 4),
        updatedAt: iso(cancelled ? now - 2 * day : start - 7 * day),
        cancelledAt: cancelled ? iso(now - 2 * day) : null,
        participants: Array.from({ length: group ? 4 : 1 }, (_, j) => ({
          id: `a0000000-0000-4000-8000-${String((i + j) % 500).padStart(12, "0")}`,
          name: names[(i + j) % names.length]!,
          cancelled: cancelled,
        })),
      });
    }
  }
  return rows;
}
