import { joinWindow } from "./window";

export type Countdown =
  | { phase: "before"; ms: number; label: string }
  | { phase: "during"; ms: number; label: string }
  | { phase: "overtime"; ms: number; label: string; closesInMs: number };

/** `m:ss`, or `h:mm:ss` from an hour up; never negative. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** What the room's countdown says at `now`: until the start, until the booked end, or how far past it. */
export function countdown(session: { start: number; end: number }, now: number): Countdown {
  if (now < session.start) return { phase: "before", ms: session.start - now, label: `Starts in ${clock(session.start - now)}` };
  if (now < session.end) return { phase: "during", ms: session.end - now, label: `${clock(session.end - now)} left` };
  const closesInMs = Math.max(0, joinWindow(session).closesAt - now);
  return { phase: "overtime", ms: now - session.end, label: `Over by ${clock(now - session.end)}`, closesInMs };
}
