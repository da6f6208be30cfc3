import { eq } from "drizzle-orm";
import { type RateBounds, RateBoundsSchema } from "../../../domain/schemas/tutor";
import type { Db } from "../../../platform/db/client";
import { appMeta } from "../../../platform/db/schema";
import { ApiError } from "../../lib/errors";

const KEY = "rate_bounds";
/** Without an admin's setting, the bounds of the profile form itself. */
export const DEFAULT_RATE_BOUNDS: RateBounds = { minHourlyRateCents: 500, maxHourlyRateCents: 100_000 };

/** The hourly rates tutors may set, as the admin bounded them. */
export async function rateBounds(db: Db): Promise<RateBounds> {
  const raw = (await db.select().from(appMeta).where(eq(appMeta.key, KEY)).get())?.value;
  return raw ? RateBoundsSchema.parse(JSON.parse(raw)) : DEFAULT_RATE_BOUNDS;
}

export async function saveRateBounds(db: Db, bounds: RateBounds): Promise<RateBounds> {
  const value = JSON.stringify(RateBoundsSchema.parse(bounds));
  await db.insert(appMeta).values({ key: KEY, value }).onConflictDoUpdate({ target: appMeta.key, set: { value } });
  return bounds;
}

/** Refuses a rate outside the bounds with a clear 400 on the field. Existing rates are not touched by new bounds. */
export function assertWithinBounds(hourlyRateCents: number, b: RateBounds) {
  if (hourlyRateCents >= b.minHourlyRateCents && hourlyRateCents <= b.maxHourlyRateCents) return;
  const dollars = (c: number) => `$${(c / 100).toFixed(c % 100 ? 2 : 0)}`;
  const message = `Hourly rates are between ${dollars(b.minHourlyRateCents)} and ${dollars(b.maxHourlyRateCents)}.`;
  throw new ApiError(400, "rate_out_of_bounds", message, [{ path: "hourlyRateCents", message }]);
}
