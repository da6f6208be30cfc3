import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, getDb, readInChunks } from "../../../platform/db/client";
import { notFound } from "../../lib/errors";
import { tutorProfiles, tutorSubjects, users } from "../../../platform/db/schema";
import type { Tutor, TutorProfileInput } from "../../../domain/schemas/tutor";
import { oneOnOneCost } from "../../../domain/credits/pricing";
import { isListedTutor } from "../../../platform/db/listing";

export type ProfileRow = {
  id: string;
  name: string;
  bio: string;
  hourlyRateCents: number;
  timezone: string;
  approvedAt: string | null;
  emailVerifiedAt: string | null;
  status: string;
  ratingSum: number;
  ratingCount: number;
  photoVersion: number | null;
  introVideoUrl: string | null;
  offersTrials: boolean;
};

const profileColumns = {
  id: users.id,
  name: users.name,
  bio: tutorProfiles.bio,
  hourlyRateCents: tutorProfiles.hourlyRateCents,
  timezone: tutorProfiles.timezone,
  approvedAt: tutorProfiles.approvedAt,
  emailVerifiedAt: users.emailVerifiedAt,
  status: users.status,
  ratingSum: tutorProfiles.ratingSum,
  ratingCount: tutorProfiles.ratingCount,
  photoVersion: tutorProfiles.photoVersion,
  introVideoUrl: tutorProfiles.introVideoUrl,
  offersTrials: tutorProfiles.offersTrials,
};

const Subjects = z.array(z.string());

export function toTutor(row: ProfileRow, subjects: string[]): Tutor {
  return {
    id: row.id,
    name: row.name,
    bio: row.bio,
    subjects,
    hourlyRateCents: row.hourlyRateCents,
    creditMinutesPerHour: oneOnOneCost(row.hourlyRateCents, 60),
    timezone: row.timezone,
    rating: row.ratingCount ? Math.round((row.ratingSum / row.ratingCount) * 10) / 10 : null,
    ratingCount: row.ratingCount,
    approved: row.approvedAt !== null,
    listed: isListedTutor(row),
    photoUrl: row.photoVersion === null ? null : photoUrlOf(row.id, row.photoVersion),
    introVideoUrl: row.introVideoUrl,
    offersTrials: row.offersTrials,
  };
}

/** Where a tutor's photo is served; the version makes each upload a new URL, so it can be cached for good. */
export const photoUrlOf = (tutorId: string, version: number) => `/api/tutors/${encodeURIComponent(tutorId)}/photo?v=${version}`;

/** Each tutor's subjects, sorted; read in chunks of ids (the admin's lists hold every tutor, D1 binds at most 100 values). */
export async function subjectsOf(db: Db, tutorIds: string[]): Promise<Map<string, string[]>> {
  const bySubject = new Map<string, string[]>(tutorIds.map((id) => [id, []]));
  if (!tutorIds.length) return bySubject;
  const rows = await readInChunks(tutorIds, (part) => db.select().from(tutorSubjects).where(inArray(tutorSubjects.tutorId, part)).all());
  for (const r of rows) bySubject.get(r.tutorId)?.push(r.subject);
  for (const list of bySubject.values()) list.sort();
  return bySubject;
}

/** A tutor with profile and subjects, approved or not; `undefined` when the id is not a tutor. */
export async function findTutor(db: Db, id: string): Promise<Tutor | undefined> {
  // One round trip: the profile with its subjects folded in (this sits on the booking path).
  const row = await db
    .select({ ...profileColumns, subjects: sql<string>`(SELECT json_group_array(subject) FROM (SELECT subject FROM tutor_subjects WHERE tutor_id = ${tutorProfiles.userId} ORDER BY subject))` })
    .from(tutorProfiles)
    .innerJoin(users, eq(users.id, tutorProfiles.userId))
    .where(eq(tutorProfiles.userId, id))
    .get();
  if (!row) return undefined;
  return toTutor(row, Subjects.parse(JSON.parse(row.subjects)));
}

export async function listTutorsByApproval(db: Db, approved: boolean): Promise<Tutor[]> {
  const rows = await db
    .select(profileColumns)
    .from(tutorProfiles)
    .innerJoin(users, eq(users.id, tutorProfiles.userId))
    .all();
  // A deleted account is nobody to approve (its profile stays for the books).
  const wanted = rows.filter((r) => (r.approvedAt !== null) === approved && r.status !== "deleted");
  const subjects = await subjectsOf(
    db,
    wanted.map((r) => r.id),
  );
  return wanted.map((r) => toTutor(r, subjects.get(r.id) ?? []));
}

/** Replaces the tutor's profile and subject list atomically. */
export async function saveProfile(db: Db, tutorId: string, input: Omit<TutorProfileInput, "introVideoUrl"> & { subjects: string[]; introVideoUrl?: string | null }) {
  const subjects = [...new Set(input.subjects)];
  await db.batch([
    db
      .update(tutorProfiles)
      .set({
        bio: input.bio,
        hourlyRateCents: input.hourlyRateCents,
        timezone: input.timezone,
        ...(input.introVideoUrl !== undefined ? { introVideoUrl: input.introVideoUrl } : {}),
        ...(input.offersTrials === undefined ? {} : { offersTrials: input.offersTrials }),
        updatedAt: new Date().toISOString(),
      })
      .where(eq(tutorProfiles.userId, tutorId)),
    db.update(users).set({ timezone: input.timezone }).where(eq(users.id, tutorId)),
    db.delete(tutorSubjects).where(eq(tutorSubjects.tutorId, tutorId)),
    db.insert(tutorSubjects).values(subjects.map((subject) => ({ tutorId, subject }))),
  ]);
}

/** Marks a tutor approved; `false` when there is no such tutor. */
export async function approveTutor(db: Db, tutorId: string, adminId: string, now = new Date()): Promise<boolean> {
  const res = await db
    .update(tutorProfiles)
    .set({ approvedAt: now.toISOString(), approvedBy: adminId })
    .where(and(eq(tutorProfiles.userId, tutorId), sql`EXISTS (SELECT 1 FROM ${users} WHERE ${users.id} = ${tutorId} AND ${users.status} != 'deleted')`))
    .returning({ id: tutorProfiles.userId });
  return res.length > 0;
}

/** A tutor the caller may see: listed, or the caller is that tutor or an admin; 404 otherwise (unlisted tutors stay hidden). */
export async function visibleTutor(c: { env: { DB: D1Database }; get(k: "user"): { id: string; role: string } | undefined }, id: string): Promise<Tutor> {
  const tutor = await findTutor(getDb(c.env), id);
  const viewer = c.get("user");
  if (!tutor || !(tutor.listed || viewer?.id === id || viewer?.role === "admin")) throw notFound("That tutor");
  return tutor;
}
