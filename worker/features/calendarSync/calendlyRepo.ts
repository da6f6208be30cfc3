import { and, eq, inArray, isNotNull, isNull, ne } from "drizzle-orm";
import type { Db } from "../../../platform/db/client";
import { calendlyLinks, webhookEvents } from "../../../platform/db/schema";

export type CalendlyLink = typeof calendlyLinks.$inferSelect;

/** The row a Calendly token is sealed for (worker/lib/sealed.ts). */
export const tokenContext = (tutorId: string) => `calendly_links.access_token:${tutorId}`;

export const findCalendlyLink = (db: Db, tutorId: string) => db.select().from(calendlyLinks).where(eq(calendlyLinks.tutorId, tutorId)).get();

/** The proven links (with their sealed tokens) of any of these Calendly users; unproven links block nothing. */
export const provenLinksOf = async (db: Db, userUris: string[]) =>
  userUris.length
    ? db
        .select({ tutorId: calendlyLinks.tutorId, accessToken: calendlyLinks.accessToken })
        .from(calendlyLinks)
        .where(and(inArray(calendlyLinks.userUri, userUris), isNotNull(calendlyLinks.accessToken)))
        .all()
    : [];

/**
 * Links the tutor to the Calendly user their token proved; false when another tutor holds a proven link to that
 * user. An unproven link (from before tokens were asked for) gives the user up to the one who proves it.
 */
export async function linkCalendly(db: Db, link: { tutorId: string; userUri: string; accessToken: string; calendlyName: string | null; linkedAt: string }): Promise<boolean> {
  const taken = await db.select().from(calendlyLinks).where(and(eq(calendlyLinks.userUri, link.userUri), ne(calendlyLinks.tutorId, link.tutorId))).get();
  if (taken?.accessToken) return false;
  try {
    await db.batch([
      db.delete(calendlyLinks).where(and(eq(calendlyLinks.userUri, link.userUri), ne(calendlyLinks.tutorId, link.tutorId), isNull(calendlyLinks.accessToken))),
      db
        .insert(calendlyLinks)
        .values(link)
        .onConflictDoUpdate({ target: calendlyLinks.tutorId, set: { userUri: link.userUri, accessToken: link.accessToken, calendlyName: link.calendlyName, linkedAt: link.linkedAt } }),
    ]);
  } catch (e) {
    // Another tutor linked the same user in between: the unique index decides.
    if (/UNIQUE/i.test(String(e))) return false;
    throw e;
  }
  return true;
}

export const unlinkCalendly = (db: Db, tutorId: string) => db.delete(calendlyLinks).where(eq(calendlyLinks.tutorId, tutorId)).run();

/** Links whose token is stored (for sealing them again under a new key). */
export const linksWithTokens = (db: Db) => db.select({ tutorId: calendlyLinks.tutorId, accessToken: calendlyLinks.accessToken }).from(calendlyLinks).where(isNotNull(calendlyLinks.accessToken)).all();

/** Replaces a link's stored token, unless it changed in between. */
export async function resealToken(db: Db, tutorId: string, from: string, to: string) {
  await db.update(calendlyLinks).set({ accessToken: to }).where(and(eq(calendlyLinks.tutorId, tutorId), eq(calendlyLinks.accessToken, from)));
}

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
