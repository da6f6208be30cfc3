import { type TutorFacts, TutorFactsSchema } from "../../domain/schemas/tutor";
import { getDb } from "../../platform/db/client";
import { readTutorFacts } from "../../platform/tutors/facts";
import type { Failure } from "./outcome";
import { fail } from "./outcome";
import type { CalendarStore } from "./store";

/**
 * The tutor facts booking needs (approval, subjects, rate, name), kept in the calendar's meta table. Pushed by the
 * Worker on every change; newer versions replace older ones, so pushes may arrive in any order.
 */
export class TutorFactsStore {
  private cached: TutorFacts | null | undefined;
  constructor(private readonly store: CalendarStore) {}

  /** The facts held; null when none are, or when they were stored in an older shape (then D1 is read again). */
  get(): TutorFacts | null {
    if (this.cached === undefined) {
      const raw = this.store.meta("facts");
      const parsed = raw ? TutorFactsSchema.safeParse(JSON.parse(raw)) : null;
      this.cached = parsed?.success ? parsed.data : null;
    }
    return this.cached;
  }

  /**
   * Keeps `facts` unless newer ones are held already; true when they were taken. Newer is a later status change of
   * the account first (a suspension or restore D1 made after the other was read), then a later read.
   */
  put(facts: TutorFacts): boolean {
    const held = this.get();
    if (held && (held.statusVersion > facts.statusVersion || (held.statusVersion === facts.statusVersion && held.version > facts.version))) return false;
    this.store.setMeta("facts", JSON.stringify(facts));
    this.cached = facts;
    return true;
  }

  /**
   * The facts, loading them from D1 once for a tutor whose calendar predates them (the backfill job pushes to every
   * tutor; this covers a booking that arrives first). Null when the id is not a tutor.
   */
  async load(env: Env, tutorId: string): Promise<TutorFacts | null> {
    const held = this.get();
    if (held) return held;
    const read = await readTutorFacts(getDb(env), tutorId);
    if (read) this.put(read);
    return read;
  }
}

/** Why a student cannot book this tutor in `subject`, or null when they can. */
export function refuseBooking(facts: TutorFacts | null, subject: string): Failure | null {
  if (!facts?.listed) return fail("tutor_not_found", "That tutor was not found.");
  if (!facts.subjects.includes(subject)) {
    return fail("subject_not_taught", `${facts.name} does not teach ${subject}.`, [{ path: "subject", message: `Choose one of: ${facts.subjects.join(", ")}` }]);
  }
  return null;
}
