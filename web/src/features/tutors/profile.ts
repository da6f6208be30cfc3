import { z } from "zod";
import { PHOTO, type TutorProfileInput } from "../../../../domain/schemas/tutor";
import { api, call } from "../../lib/api";

/** The signed-in tutor's own profile. */
export const fetchMyProfile = async () => (await call(api.tutors.me.profile.$get())).tutor;
/** The profile with the hourly rates an admin allows (the profile form shows them). */
export const fetchMyProfileForm = async () => call(api.tutors.me.profile.$get());
export const saveMyProfile = async (json: TutorProfileInput) => (await call(api.tutors.me.profile.$put({ json }))).tutor;

const PhotoAnswer = z.object({ photoUrl: z.string() });

/**
 * Shrinks a chosen picture in the browser to at most PHOTO.sizePx a side (a canvas), as a JPEG on white (a
 * transparent PNG keeps its look): a phone's 5 MB photo uploads as ~50 KB. Null when the file is not an image the
 * browser can read.
 */
export async function resizePhoto(file: Blob, size: number = PHOTO.sizePx): Promise<Blob | null> {
  const bitmap = await createImageBitmap(file).catch(() => null);
  if (!bitmap) return null;
  const scale = Math.min(1, size / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const g = canvas.getContext("2d");
  if (!g) return null;
  g.fillStyle = "#fff";
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return new Promise((resolve) => canvas.toBlob((b) => resolve(b), "image/jpeg", 0.88));
}

/** Uploads the tutor's (resized) photo; the answer is its new URL. */
export async function uploadMyPhoto(photo: Blob): Promise<string> {
  const res = fetch("/api/tutors/me/photo", { method: "PUT", body: photo, headers: { "Content-Type": photo.type }, credentials: "same-origin" });
  return PhotoAnswer.parse(await call(res)).photoUrl;
}

/** Removes the tutor's photo (their initial shows again). */
export const removeMyPhoto = async () => (await call(api.tutors.me.photo.$delete())).removed;
