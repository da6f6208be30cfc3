import { DurableObject } from "cloudflare:workers";

/** One per tutor: the only writer of that tutor's time (availability, holds, bookings, blocks). */
export class TutorCalendar extends DurableObject<Env> {}
