import type { z } from "zod";
import { type Availability, AvailabilityInputSchema } from "../../domain/schemas/availability";
import type { Booking } from "../../domain/schemas/booking";
import { coveredSessions } from "../../domain/time";
import { nextOffsetChange } from "../../domain/time/zone";
import type { AvailabilityOptionsSchema } from "./args";
import type { SessionChanges } from "./changes";
import { type Outcome, fail } from "./outcome";
import type { Outbox } from "./outbox";
import type { SeatRow, SessionRow } from "./storage";
import type { CalendarStore } from "./store";
import type { Viewers } from "./viewers";

/** What a change of availability answers: the rules saved (and sessions cancelled on confirmation), or a refusal. */
export type AvailabilityOutcome = Outcome<{ availability: Availability; cancelled: Booking[] }> | { ok: false; code: "sessions_in_the_way"; message: string; sessions: Booking[] };

type Deps = {
  store: CalendarStore;
  outbox: Outbox;
  viewers: Viewers;
  /** Cancels a whole session in one synchronous step; `refunds` when the outbox must settle before the answer. */
  cancelNow: SessionChanges["cancelNow"];
  view: (s: SessionRow, seats?: SeatRow[]) => Booking;
  /** Makes sure the calendar's alarm wakes it by then (an earlier alarm stays). */
  wakeAt: (at: number) => Promise<void>;
};

/** When the hours search holds (UTC minutes of the week) go stale: the zone's next offset change (epoch ms, meta). */
const REPROJECT_AT = "weekly_reproject_at";
/** A zone without a change in sight is looked at again this long after (its rules may change). */
const LOOK_AGAIN_MS = 366 * 86_400_000;

/** The tutor's weekly rules (hours, days off, date overrides): kept parsed, and replaced without stranding a session. */
export class TutorRules {
  private cached: Availability | null | undefined;
  constructor(private readonly d: Deps) {}

  /** The tutor's rules, parsed once and kept until they change (every booking and slot query reads them). */
  get(): Availability | null {
    if (this.cached === undefined) {
      const raw = this.d.store.meta("availability");
      this.cached = raw ? AvailabilityInputSchema.parse(JSON.parse(raw)) : null;
    }
    return this.cached;
  }

  /**
   * Replaces the tutor's rules. A day off or date override that would cover a session still to come is refused,
   * naming the sessions (`sessions_in_the_way`), unless `confirm`: then those sessions are cancelled by the tutor
   * under the normal rules (replacement offers, refunds) in the same synchronous step as the new rules are written,
   * so no booking slips in between. A booking or a move being paid for on such a date is waited for (refused).
   */
  async replace(availability: Availability, o: z.infer<typeof AvailabilityOptionsSchema>): Promise<AvailabilityOutcome> {
    const { store, outbox } = this.d;
    const now = o.now ?? Date.now();
    const spans = store.ahead(now).flatMap((s) => {
      const moving = s.pending_start_ms !== null && s.pending_end_ms !== null && (s.pending_expires_ms ?? 0) > now;
      return [{ s, start: s.start_ms, end: s.end_ms, busy: s.status === "held" }, ...(moving ? [{ s, start: s.pending_start_ms!, end: s.pending_end_ms!, busy: true }] : [])];
    });
    const covered = coveredSessions(this.get(), availability, spans);
    if (covered.some((c) => c.busy)) return fail("booking_in_progress", "A student is booking or moving a session on a date you are changing. Try again in a minute.");
    const sessions = [...new Map(covered.map((c) => [c.s.id, c.s])).values()];
    if (sessions.length && !o.confirm) {
      return { ok: false, code: "sessions_in_the_way", message: "A day off or other hours would cover booked sessions.", sessions: sessions.map((s) => this.d.view(s)) };
    }
    const cancelled = sessions.map((s) => this.d.cancelNow(s, { id: store.tutorId, role: "tutor", isTutor: true }, o.reason ?? null, now));
    store.setMeta("availability", JSON.stringify(availability));
    this.cached = availability;
    const reprojectAt = this.project(availability, now);
    this.d.viewers.changed(store.tutorId);
    await this.d.wakeAt(reprojectAt);
    if (cancelled.some((c) => c.refunds)) await outbox.settleBeforeAnswer();
    else outbox.afterAnswer();
    return { ok: true, value: { availability, cancelled: cancelled.map((c) => c.booking) } };
  }

  /**
   * Search holds the weekly hours as UTC minutes of the week at the zone's offset of the moment they are projected,
   * so they go stale when the zone's clocks change: the alarm projects them again at that instant (and a calendar
   * that has hours but no such time yet, one that predates it, projects them now). Run by the alarm.
   */
  queueReprojection(now: number): void {
    const availability = this.get();
    const at = this.nextReprojection();
    if (!availability || (at !== null && at > now)) return;
    this.project(availability, now);
  }

  /** When the alarm must next project the weekly hours for search (null: no hours, or a calendar not looked at yet). */
  nextReprojection(): number | null {
    const at = Number(this.d.store.meta(REPROJECT_AT) ?? NaN);
    return this.get() && Number.isFinite(at) ? at : null;
  }

  /** Queues the projection of the hours for search and notes when the zone's offset next changes (returned). */
  private project(availability: Availability, now: number): number {
    const at = nextOffsetChange(availability.timezone, now) ?? now + LOOK_AGAIN_MS;
    this.d.store.setMeta(REPROJECT_AT, String(at));
    this.d.outbox.enqueue({ kind: "project_weekly" });
    return at;
  }
}
