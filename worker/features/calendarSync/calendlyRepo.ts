import { eq, inArray } from "drizzle-orm";
import type { Db } from "../../../platform/db/client";
import { calendlyLinks, webhookEvents } from "../../../platform/db/schema";

export const findCalendlyLink = (db: Db, tutorId: string) => db.select().from(calendlyLinks).where(eq(calendlyLinks.tutorId, tutorId)).get();

/** The tutors linked to any of these Calendly users. */
export const tutorsLinkedTo = async (db: Db, userUris: string[]) =>
  userUris.length ? (await db.select({ tutorId: calendlyLinks.tutorId }).from(calendlyLinks).where(inArray(calendlyLinks.userUri, userUris)).all()).map((r) => r.tutorId) : [];

/** Links the tutor to a Calendly user; false when that user is linked to another tutor already. */
export async function linkCalendly(db: Db, tutorId: string, userUri: string, now: string): Promise<boolean> {
  const taken = await db.select().from(calendlyLinks).where(eq(calendlyLinks.userUri, userUri)).get();
  if (taken && taken.tutorId !== tutorId) return false;
  try {
    await db.insert(calendlyLinks).values({ tutorId, userUri, linkedAt: now }).onConflictDoUpdate({ target: calendlyLinks.tutorId, set: { userUri, linkedAt: now } });
  } catch (e) {
    // Another tutor linked the same user in between: the unique index decides.
    if (/UNIQUE/i.test(String(e))) return false;
    throw e;
  }
  return true;
}

export const unlinkCalendly = (db: Db, tutorId: string) => db.delete(calendlyLinks).where(eq(calendlyLinks.tutorId, tutorId)).run();

/** Keeps a verified delivery and what became of it for the admin console (a repeat of the same body is kept once). */
export async function recordCalendlyDelivery(
  db: Db,
  d: { id: string; type: string; createdAt: string; receivedAt: string; status: "processed" | "ignored" | "failed"; detail: string | null; payload: string },
) {
  await db
    .insert(webhookEvents)
    .values({ provider: "calendly", ...d })
    .onConflictDoUpdate({ target: webhookEvents.id, set: { status: d.status, detail: d.detail, receivedAt: d.receivedAt } });
}
