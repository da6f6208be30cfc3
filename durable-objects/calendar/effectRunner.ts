import type { Availability } from "../../domain/schemas/availability";
import { refreshTutorFeed } from "../../platform/calendarFeed/render";
import { notifyUser } from "../../platform/notifications/live";
import { recordReliability } from "../../platform/reliability";
import type { Effect } from "./effects";
import { sendNotice } from "./notices";
import { projectSessions, projectWeekly } from "./projection";
import { SeriesStore } from "./series";
import type { SessionSettlement } from "./settlement";
import type { CalendarStore } from "./store";

type Deps = {
  env: Env;
  store: CalendarStore;
  settlement: SessionSettlement;
  availability: () => Availability | null;
};

/** Runs one outbox effect against the world outside the object. Every kind is safe to run more than once. */
export function effectRunner({ env, store, settlement, availability }: Deps): (effect: Effect) => Promise<void> {
  const student = (id: string) => env.STUDENT_ACCOUNT.get(env.STUDENT_ACCOUNT.idFromName(id));
  const series = new SeriesStore(store.sql);
  return async (effect) => {
    switch (effect.kind) {
      case "release": {
        const { kind: _, ...args } = effect;
        await student(effect.studentId).release(args);
        return;
      }
      case "project": {
        const s = store.session(effect.sessionId);
        if (s) await projectSessions(env, store.tutorId, [{ session: s, seats: store.seatsOf(s.id) }]);
        return;
      }
      case "project_series":
        await projectSessions(env, store.tutorId, series.weeksOf(effect.seriesId));
        return;
      case "project_weekly":
        await projectWeekly(env, store.tutorId, availability());
        return;
      case "notify":
        await notifyUser(env, effect.userId, effect.message);
        return;
      case "notice":
        await sendNotice(env, effect);
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
        await env.SESSION_ROOM.get(env.SESSION_ROOM.idFromName(effect.sessionId)).revoke({ userId: effect.studentId, reason: "seat_cancelled", now: effect.at });
        return;
    }
  };
}
