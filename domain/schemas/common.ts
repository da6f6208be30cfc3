import { z } from "zod";
// Human messages for every schema's refusals, wherever schemas are used (SPA, Worker, objects).
import "./humanErrors";

import { canonicalTimeZone, isValidTimeZone } from "../time/zoneNames";

export { canonicalTimeZone, isValidTimeZone };

export const TimeZoneSchema = z
  .string()
  .max(64)
  .refine(isValidTimeZone, { message: "Unknown time zone; use an IANA name like Europe/Berlin" })
  .transform(canonicalTimeZone);

/** An instant on the wire: ISO 8601 in UTC with a `Z`, normalised to `toISOString()` form. */
export const InstantSchema = z.iso
  .datetime({ message: "Use an ISO 8601 UTC instant like 2027-03-01T09:00:00Z" })
  .transform((s) => new Date(s).toISOString());

export const RoleSchema = z.enum(["student", "tutor", "admin"]);
export type Role = z.infer<typeof RoleSchema>;

/** The error envelope every 4xx/5xx carries. */
export type ErrorBody = {
  error: { code: string; message: string; requestId?: string; issues?: { path: string; message: string }[] };
};
