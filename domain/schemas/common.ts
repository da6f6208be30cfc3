import { z } from "zod";
// Human messages for every schema's refusals, wherever schemas are used (SPA, Worker, objects).
import { ownWords } from "./humanErrors";

import { canonicalTimeZone, isValidTimeZone } from "../time/zoneNames";
import { normalizeMessageText } from "../messaging/text";

export { canonicalTimeZone, isValidTimeZone };

export const TimeZoneSchema = z
  .string()
  .max(64)
  .refine(isValidTimeZone, ownWords("timeZoneUnknown"))
  .transform(canonicalTimeZone);

/** The earliest instant the API takes: nothing here happened before it, and the objects count time in positive ms. */
const EARLIEST_INSTANT = "2000-01-01T00:00:00.000Z";

/** An instant on the wire: ISO 8601 in UTC with a `Z` (from 2000 on), normalised to `toISOString()` form. */
export const InstantSchema = z.iso
  .datetime(ownWords("instantFormat"))
  .refine((s) => Date.parse(s) >= Date.parse(EARLIEST_INSTANT), ownWords("instantTooEarly"))
  .transform((s) => new Date(s).toISOString());

export const RoleSchema = z.enum(["student", "tutor", "admin"]);
export type Role = z.infer<typeof RoleSchema>;

/** The error envelope every 4xx/5xx carries. */
export type ErrorBody = {
  error: { code: string; message: string; requestId?: string; issues?: { path: string; message: string }[] };
};

/**
 * Why someone cancels, in their own words: plain text like a message's (control characters and bidi overrides
 * removed), so it can never be mistaken for a cause Tutorly keeps in the same place (domain/notifications/messages.ts).
 */
export const ReasonTextSchema = z.string().transform(normalizeMessageText).pipe(z.string().max(500));
