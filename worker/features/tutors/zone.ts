import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../app";
import type { User } from "../../../domain/schemas/auth";
import { getDb } from "../../../platform/db/client";
import { tutorProfiles, users } from "../../../platform/db/schema";
import { ApiError, notFound } from "../../lib/errors";
import { calendarOf } from "../../lib/stubs";
import { accountUser, findAccount } from "../auth/repo";
import { refreshCredential } from "../auth/session";

/**
 * A tutor has one time zone. It lives in three places that must agree: the account (how times are shown to them,
 * in the app and in emails), the public profile (what students see) and the calendar's rules (what their weekly
 * hours mean). Saving it in any one of them moves the others.
 */

/**
 * After the calendar took rules in `zone` (the Availability page): the account and the public profile follow, and
 * the signed-in credential is rewritten so the app shows the new zone at once. The fresh user, for the answer.
 */
export async function followCalendarZone(c: Context<AppEnv>, tutorId: string, zone: string): Promise<User> {
  const db = getDb(c.env);
  const before = await findAccount(db, tutorId);
  if (!before) throw notFound("Your account");
  if (before.timezone !== zone) {
    await db.batch([db.update(users).set({ timezone: zone }).where(eq(users.id, tutorId)), db.update(tutorProfiles).set({ timezone: zone }).where(eq(tutorProfiles.userId, tutorId))]);
  }
  const user = accountUser({ ...before, timezone: zone });
  await refreshCredential(c, user);
  return user;
}

/**
 * Before the account or profile takes a new zone: the calendar's weekly hours and date overrides move to it, kept at
 * the same wall-clock times ("08:00–12:00" stays 08:00–12:00 where the tutor now is; booked sessions keep their
 * instants). A date override that would then cover a booked session is the Availability page's decision (keep or
 * cancel), so the change is refused here before anything is written (409).
 */
export async function moveCalendarZone(env: Pick<Env, "TUTOR_CALENDAR">, tutorId: string, zone: string): Promise<void> {
  const calendar = calendarOf(env, tutorId);
  const rules = await calendar.availability();
  if (!rules || rules.timezone === zone) return;
  const outcome = await calendar.setAvailability(tutorId, { ...rules, timezone: zone }, { confirm: false, now: Date.now() });
  if (outcome.ok) return;
  const message =
    outcome.code === "sessions_in_the_way"
      ? "In the new time zone, a date override on your Availability page would cover a booked session. Change your time zone on the Availability page, where you can keep or cancel it."
      : outcome.message;
  throw new ApiError(409, outcome.code, message);
}
