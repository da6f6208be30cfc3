import { and, eq, gt } from "drizzle-orm";
import { NO_SHOW_WEIGHT, RELIABILITY, lateCancellationWeight, reliabilityOf } from "../domain/credits/reliability";
import { getDb } from "./db/client";
import { reliabilityEvents, tutorProfiles } from "./db/schema";
import { log } from "./log";

type Input =
  | { event: "tutor_cancelled"; tutorId: string; bookingId: string; start: number; at: number }
  | { event: "completed"; tutorId: string; bookingId: string; at: number }
  | { event: "no_show"; tutorId: string; bookingId: string; at: number };

/** Records what happened to a tutor's session (once per booking and kind) and recomputes their score and flag. */
export async function recordReliability(env: Env, input: Input): Promise<void> {
  const db = getDb(env);
  let kind: "completed" | "late_cancel" | "no_show";
  let weight = 1;
  let detail: string | null = null;
  if (input.event === "tutor_cancelled") {
    weight = lateCancellationWeight(input.start, input.at);
    if (weight === 0) return;
    kind = "late_cancel";
    detail = `cancelled ${Math.round((input.start - input.at) / 60_000)} min before the start`;
  } else if (input.event === "no_show") {
    kind = "no_show";
    weight = NO_SHOW_WEIGHT;
  } else kind = "completed";
  await db
    .insert(reliabilityEvents)
    .values({ tutorId: input.tutorId, bookingId: input.bookingId, kind, weight, at: new Date(input.at).toISOString(), detail })
    .onConflictDoNothing();
  // Recompute as of the event (a job may record it with its own clock, slightly ahead of this one).
  await recomputeReliability(env, input.tutorId, Math.max(Date.now(), input.at));
}

export async function recomputeReliability(env: Env, tutorId: string, now: number) {
  const db = getDb(env);
  const since = new Date(now - RELIABILITY.windowDays * 86_400_000).toISOString();
  const events = await db
    .select()
    .from(reliabilityEvents)
    .where(and(eq(reliabilityEvents.tutorId, tutorId), gt(reliabilityEvents.at, since)))
    .all();
  const r = reliabilityOf(
    events.map((e) => ({ kind: e.kind, weight: e.weight, at: Date.parse(e.at) })),
    now,
  );
  await db.update(tutorProfiles).set({ reliability: r.score, flagged: r.flagged }).where(eq(tutorProfiles.userId, tutorId));
  if (r.flagged) log.warn("tutor flagged for late cancellations", { tutorId, lateCancellations30d: r.lateCancellations30d });
  return r;
}
