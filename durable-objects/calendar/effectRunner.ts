import type { Availability } from "../../domain/schemas/availability";
import { refreshTutorFeed } from "../../platform/calendarFeed/render";
import { log } from "../../platform/log";
import type { LivePush } from "../../platform/notifications/live";
import { recordReliability } from "../../platform/reliability";
import type { Presence } from "../lib/presence";
import type { Effect } from "./effects";
import { sendNotices } from "./notices";
import { type Projected, projectSessions, projectWeekly } from "./projection";
import { type OccurrenceRow, SeriesStore } from "./series";
import type { SessionSettlement } from "./settlement";
import type { CalendarStore } from "./store";
import type { SeatRow, SessionRow } from "./storage";

type Deps = {
  env: Env;
  store: CalendarStore;
  settlement: SessionSettlement;
  availability: () => Availability | null;
  /** Whether the calendar's own tutor has a tab open. */
  presence: Presence;
};

/** What the outbox runs: one effect, or effects of the kinds run together (effects.ts, `TOGETHER`). */
export type EffectRunner = { one(effect: Effect): Promise<void>; together(effects: readonly Effect[]): Promise<void> };

/** Runs outbox effects against the world outside the object. Every kind is safe to run more than once. */
export function effectRunner({ env, store, settlement, availability, presence }: Deps): EffectRunner {
  const student = (id: string) => env.STUDENT_ACCOUNT.get(env.STUDENT_ACCOUNT.idFromName(id));
  const room = (sessionId: string) => env.SESSION_ROOM.get(env.SESSION_ROOM.idFromName(sessionId));
  /** A live event: to the tutor if they have a tab open; to a student through their account, which knows theirs. */
  const live: LivePush = async (userId, message) => {
    if (userId === store.tutorId) return presence.push(userId, message);
    try {
      await student(userId).live(userId, message);
    } catch (e) {
      log.warn("live push failed", { userId, type: message.type, error: String(e) });
    }
  };
  const series = new SeriesStore(store.sql);
  /** A session with its seats and, among them, the weeks of series (whose payment the listings show). */
  const projected = (session: SessionRow, seats: SeatRow[]): Projected => {
    const weeks = new Map<string, OccurrenceRow>();
    for (const seat of seats) {
      const week = series.occurrence(seat.reservation_id);
      if (week) weeks.set(seat.reservation_id, week);
    }
    return { session, seats, weeks };
  };
  /** The sessions of projection effects as they are now, each once. */
  const sessionsOf = (effects: readonly Effect[]) => {
    const sessions = new Map<string, Projected>();
    for (const effect of effects) {
      if (effect.kind === "project") {
        const s = store.session(effect.sessionId);
        if (s) sessions.set(s.id, projected(s, store.seatsOf(s.id)));
      } else if (effect.kind === "project_series") {
        for (const week of series.weeksOf(effect.seriesId)) sessions.set(week.session.id, projected(week.session, [...week.seats]));
      }
    }
    return [...sessions.values()];
  };
  const together = async (effects: readonly Effect[]) => {
    const projected = sessionsOf(effects);
    if (projected.length) await projectSessions(env, store.tutorId, projected);
    const notices = effects.flatMap((e) => (e.kind === "notice" ? [e] : []));
    if (notices.length) await sendNotices(env, notices, live);
  };
  const one = async (effect: Effect) => {
    switch (effect.kind) {
      case "release": {
        const { kind: _, ...args } = effect;
        await student(effect.studentId).release(args);
        return;
      }
      case "project":
      case "project_series":
      case "notice":
        await together([effect]);
        return;
      case "project_weekly":
        await projectWeekly(env, store.tutorId, availability());
        return;
      case "notify":
        await live(effect.userId, effect.message);
        return;
      case "offer": {
        const { kind: _, ...args } = effect;
        await student(effect.studentId).openOffer(args);
        return;
      }
      case "reliability":
        await recordReliability(
          env,
          effect.event === "tutor_cancelled"
            ? { event: "tutor_cancelled", tutorId: effect.tutorId, bookingId: effect.bookingId, start: effect.start ?? effect.at, at: effect.at }
            : { event: effect.event, tutorId: effect.tutorId, bookingId: effect.bookingId, at: effect.at },
        );
        return;
      case "earn":
        await settlement.run(effect.sessionId);
        return;
      case "feed":
        await refreshTutorFeed(env, store.tutorId);
        return;
      case "seat_lost":
        await room(effect.sessionId).revoke({ userId: effect.studentId, reason: "seat_cancelled", now: effect.at });
        return;
      case "session_gone":
        // Everyone out, the tutor's RealtimeKit participant included; a ticket issued before no longer opens it.
        if (effect.movedTo) await room(effect.sessionId).end({ reason: "session_moved", now: effect.at, movedTo: effect.movedTo });
        else await room(effect.sessionId).end({ reason: "session_cancelled", now: effect.at });
        return;
    }
  };
  return { one, together };
}
