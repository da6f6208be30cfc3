import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { TutorFacts } from "../../domain/schemas/tutor";
import type { Db } from "../db/client";
import { isListedTutor } from "../db/listing";
import { tutorProfiles, users } from "../db/schema";

const Subjects = z.array(z.string());

/**
 * A tutor's booking facts as D1 holds them right now (one round trip), or null when the id is not a tutor. The
 * version is the moment of this read: a later read never sees older facts, so the newest version wins; the account's
 * status version comes first, as two reads within one millisecond may straddle a suspension or a restore.
 */
export async function readTutorFacts(db: Db, tutorId: string, now = Date.now()): Promise<TutorFacts | null> {
  const row = await db
    .select({
      name: users.name,
      approvedAt: tutorProfiles.approvedAt,
      emailVerifiedAt: users.emailVerifiedAt,
      status: users.status,
      statusVersion: users.statusVersion,
      hourlyRateCents: tutorProfiles.hourlyRateCents,
      offersTrials: tutorProfiles.offersTrials,
      subjects: sql<string>`(SELECT json_group_array(subject) FROM (SELECT subject FROM tutor_subjects WHERE tutor_id = ${tutorProfiles.userId} ORDER BY subject))`,
    })
    .from(tutorProfiles)
    .innerJoin(users, eq(users.id, tutorProfiles.userId))
    .where(eq(tutorProfiles.userId, tutorId))
    .get();
  if (!row) return null;
  return {
    tutorId,
    name: row.name,
    approved: row.approvedAt !== null,
    suspended: row.status !== "active",
    listed: isListedTutor(row),
    subjects: Subjects.parse(JSON.parse(row.subjects)),
    hourlyRateCents: row.hourlyRateCents,
    offersTrials: row.offersTrials,
    version: now,
    statusVersion: row.statusVersion,
  };
}
