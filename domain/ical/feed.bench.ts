import { bench, describe } from "vitest";
import { bookingEvents, feedWindow } from "./bookingFeed";
import { renderFeed } from "./feed";
import { benchBookings, benchNow } from "./feed.bench-case";

// `npx vitest bench --run --project domain domain/ical`: the pure part of the feed budget (≤ 50 ms for a
// tutor's one-year feed). The figure is printed, never asserted.
const rows = benchBookings();

describe("a busy tutor's one-year feed (2,730 bookings)", () => {
  bench("map bookings to events and render RFC 5545 bytes", () => {
    renderFeed({ name: "Tutorly — Jürgen Straße-Üçüncü", refreshMinutes: 60, events: bookingEvents(rows, { id: rows[0]!.tutorId, role: "tutor" }, { origin: "https://tutorly.example", window: feedWindow(benchNow) }) });
  });
});
