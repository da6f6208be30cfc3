import { eq } from "drizzle-orm";
import { z } from "zod";
import { PHOTO, sniffPhotoType } from "../../../domain/schemas/tutor";
import { getDb } from "../../../platform/db/client";
import { tutorProfiles } from "../../../platform/db/schema";
import { newApp } from "../../app";
import { ApiError, notFound } from "../../lib/errors";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { findTutor, photoUrlOf, visibleTutor } from "./repo";

const IdParam = z.object({ id: z.string().min(1).max(64) });
const VersionQuery = z.object({ v: z.string().max(20).optional() });

/** A photo's object in the `PHOTOS` bucket: one per upload, so a versioned URL always means the same bytes. */
const keyOf = (tutorId: string, version: number) => `tutors/${tutorId}/${version}`;
/** A versioned URL never changes; an unversioned one is checked again soon. */
const FOREVER = "public, max-age=31536000, immutable";
const BRIEFLY = "public, max-age=300";

/**
 * Replaces the tutor's photo: the bytes must be a JPEG, PNG or WebP (read from the bytes, whatever the upload
 * claims) of at most PHOTO.maxBytes (the body limit for this path, api.ts). The new object is written first, then
 * the profile points at it, then the old one is deleted: a failure halfway leaves the old photo showing.
 */
async function replacePhoto(env: Env, tutorId: string, body: ArrayBuffer, claimed: string | undefined): Promise<string> {
  const bytes = new Uint8Array(body);
  if (!bytes.length) throw new ApiError(400, "empty_photo", "Choose a photo to upload.");
  if (bytes.length > PHOTO.maxBytes) throw new ApiError(413, "payload_too_large", `Photos can be at most ${PHOTO.maxBytes / 1_000_000} MB.`);
  const type = sniffPhotoType(bytes);
  const declared = claimed?.split(";")[0]?.trim().toLowerCase();
  if (!type || declared !== type) throw new ApiError(415, "unsupported_photo_type", "Upload a JPEG, PNG or WebP photo.");
  const db = getDb(env);
  const before = await db.select({ version: tutorProfiles.photoVersion }).from(tutorProfiles).where(eq(tutorProfiles.userId, tutorId)).get();
  if (!before) throw notFound("Your tutor profile");
  const version = Math.max(Date.now(), (before.version ?? 0) + 1);
  await env.PHOTOS.put(keyOf(tutorId, version), bytes, { httpMetadata: { contentType: type, cacheControl: FOREVER } });
  await db.update(tutorProfiles).set({ photoVersion: version, updatedAt: new Date().toISOString() }).where(eq(tutorProfiles.userId, tutorId)).run();
  if (before.version !== null) await env.PHOTOS.delete(keyOf(tutorId, before.version));
  return photoUrlOf(tutorId, version);
}

/** Removes the tutor's photo (initials show again); true when there was one. */
async function removePhoto(env: Env, tutorId: string): Promise<boolean> {
  const db = getDb(env);
  const before = await db.select({ version: tutorProfiles.photoVersion }).from(tutorProfiles).where(eq(tutorProfiles.userId, tutorId)).get();
  if (!before) throw notFound("That tutor");
  if (before.version === null) return false;
  await db.update(tutorProfiles).set({ photoVersion: null, updatedAt: new Date().toISOString() }).where(eq(tutorProfiles.userId, tutorId)).run();
  await env.PHOTOS.delete(keyOf(tutorId, before.version));
  return true;
}

/** Deletes every photo object of a tutor (their account is deleted: the profile no longer points at any). */
export async function forgetPhotos(env: Env, tutorId: string): Promise<void> {
  const listed = await env.PHOTOS.list({ prefix: `tutors/${tutorId}/` });
  if (listed.objects.length) await env.PHOTOS.delete(listed.objects.map((o) => o.key));
}

/** Tutors' photos: the tutor replaces or removes their own, an admin removes anyone's, everyone sees a visible tutor's. */
export const photoRoutes = newApp()
  .put("/tutors/me/photo", requireRole("tutor"), async (c) => {
    const photoUrl = await replacePhoto(c.env, currentUser(c).id, await c.req.arrayBuffer(), c.req.header("Content-Type"));
    return c.json({ photoUrl }, 200);
  })
  .delete("/tutors/me/photo", requireRole("tutor"), async (c) => c.json({ removed: await removePhoto(c.env, currentUser(c).id) }, 200))
  .delete("/admin/tutors/:id/photo", requireRole("admin"), validate("param", IdParam), async (c) => {
    const { id } = c.req.valid("param");
    if (!(await findTutor(getDb(c.env), id))) throw notFound("That tutor");
    return c.json({ removed: await removePhoto(c.env, id) }, 200);
  })
  .get("/tutors/:id/photo", validate("param", IdParam), validate("query", VersionQuery), async (c) => {
    const tutor = await visibleTutor(c, c.req.valid("param").id);
    const version = tutor.photoUrl ? Number(new URL(tutor.photoUrl, c.req.url).searchParams.get("v")) : null;
    if (version === null) throw notFound("That photo");
    const etag = `"${version}"`;
    const current = c.req.valid("query").v === String(version);
    const headers = { ETag: etag, "Cache-Control": current ? FOREVER : BRIEFLY, "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox" };
    if (c.req.header("If-None-Match") === etag) return c.body(null, 304, headers);
    const object = await c.env.PHOTOS.get(keyOf(tutor.id, version));
    if (!object) throw notFound("That photo");
    return c.body(object.body, 200, { ...headers, "Content-Type": object.httpMetadata?.contentType ?? "application/octet-stream", "Content-Length": String(object.size) });
  });
