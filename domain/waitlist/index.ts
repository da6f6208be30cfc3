import { z } from "zod";

/** The numbers of group waitlists: the server enforces them and the SPA shows them. */
export const WAITLIST_POLICY = {
  /** A freed seat is held for the first in line this long; then it passes to the next. */
  holdMinutes: 30,
} as const;

/** Where a student stands in a group session's waitlist. */
export const WaitlistPlaceSchema = z.object({
  sessionId: z.string(),
  /** `none`: not in line; `waiting`: in line at `position`; `offered`: a seat is held for them until `offerUntil`; `seated`: they hold a seat. */
  status: z.enum(["none", "waiting", "offered", "seated"]),
  /** 1 = first in line (waiting or offered); null when not in line. */
  position: z.number().int().nullable(),
  /** How many people are in line (waiting or offered). */
  length: z.number().int(),
  offerUntil: z.string().nullable(),
});
export type WaitlistPlace = z.infer<typeof WaitlistPlaceSchema>;

/** A group session as its waitlist page shows it. */
export const WaitlistSessionSchema = z.object({
  id: z.string(),
  tutorId: z.string(),
  tutorName: z.string().optional(),
  subject: z.string(),
  start: z.string(),
  end: z.string(),
  seats: z.number().int(),
  /** Seats held, taken, or held for someone in line. */
  seatsTaken: z.number().int(),
  creditsMinutes: z.number().int(),
  status: z.enum(["open", "started", "closed"]),
});
export type WaitlistSession = z.infer<typeof WaitlistSessionSchema>;
