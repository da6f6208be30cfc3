import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Client, adminClient, approvedTutor, signup } from "./helpers";

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff, 0xe0];
/** Bytes that start like an image of that kind, then `size` bytes of noise (the server reads the magic numbers). */
const image = (magic: number[], size = 2048) => {
  const bytes = new Uint8Array(magic.length + size);
  bytes.set(magic);
  crypto.getRandomValues(bytes.subarray(magic.length, magic.length + Math.min(size, 65_536)));
  return bytes;
};
const webp = () => {
  const b = image([], 64);
  b.set(new TextEncoder().encode("RIFF"), 0);
  b.set(new TextEncoder().encode("WEBP"), 8);
  return b;
};

/** Uploads raw bytes as a browser does (fetch with a Blob body and the file's type). */
const upload = (client: Client, bytes: Uint8Array, type: string) => client.put("/api/tutors/me/photo", bytes, { "Content-Type": type });

const photoOf = async (client: Client, tutorId: string) => (await client.get(`/api/tutors/${tutorId}`)).json.tutor.photoUrl as string | null;

describe("tutor photos", () => {
  it("a tutor uploads a photo; everyone gets exactly those bytes, cached for good under the versioned URL", async () => {
    const tutor = await approvedTutor();
    const bytes = image(PNG);
    const res = await upload(tutor.client, bytes, "image/png");
    expect(res.status).toBe(200);
    expect(res.json.photoUrl).toMatch(new RegExp(`^/api/tutors/${tutor.user.id}/photo\\?v=\\d+$`));
    const visitor = new Client();
    expect(await photoOf(visitor, tutor.user.id)).toBe(res.json.photoUrl);
    // Search cards carry it too.
    const listed = (await visitor.get("/api/tutors?limit=50&sort=price")).json.tutors as { id: string; photoUrl: string | null }[];
    expect(listed.find((t) => t.id === tutor.user.id)?.photoUrl ?? res.json.photoUrl).toBe(res.json.photoUrl);

    const served = await visitor.request("GET", res.json.photoUrl);
    expect(served.status).toBe(200);
    expect(served.headers.get("Content-Type")).toBe("image/png");
    expect(served.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(served.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const got = await (await exports.default.fetch(new Request(`http://localhost${res.json.photoUrl}`))).arrayBuffer();
    expect(new Uint8Array(got)).toEqual(bytes);
    // Revalidation costs nothing; an old or missing version is only cached briefly.
    expect((await visitor.get(res.json.photoUrl, { "If-None-Match": served.headers.get("ETag")! })).status).toBe(304);
    expect((await visitor.get(`/api/tutors/${tutor.user.id}/photo`)).headers.get("Cache-Control")).toBe("public, max-age=300");
  });

  it("replacing a photo serves the new one and deletes the old object", async () => {
    const tutor = await approvedTutor();
    const first = await upload(tutor.client, image(JPEG), "image/jpeg");
    const second = await upload(tutor.client, webp(), "image/webp");
    expect(second.status).toBe(200);
    expect(second.json.photoUrl).not.toBe(first.json.photoUrl);
    expect((await new Client().get(second.json.photoUrl)).headers.get("Content-Type")).toBe("image/webp");
    const objects = await env.PHOTOS.list({ prefix: `tutors/${tutor.user.id}/` });
    expect(objects.objects.map((o) => `/api/tutors/${tutor.user.id}/photo?v=${o.key.split("/").pop()}`)).toEqual([second.json.photoUrl]);
  });

  it.each([
    ["an SVG (scripts can hide in it)", new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), "image/svg+xml", 415],
    ["a GIF", new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 2, 3]), "image/gif", 415],
    ["PNG bytes sent as a JPEG", image(PNG), "image/jpeg", 415],
    ["a text file sent as a PNG", new TextEncoder().encode("hello, not a picture"), "image/png", 415],
    ["nothing", new Uint8Array(), "image/png", 400],
    ["a photo over 1 MB", image(JPEG, 1_000_001), "image/jpeg", 413],
  ])("refuses %s, and nothing changes", async (_name, bytes, type, status) => {
    const tutor = await approvedTutor();
    const res = await upload(tutor.client, bytes, type);
    expect(res.status).toBe(status);
    expect(res.json.error.code).toEqual(expect.any(String));
    expect(await photoOf(tutor.client, tutor.user.id)).toBeNull();
  });

  it("only the tutor changes their photo; an admin may remove it; a student, a visitor or another tutor cannot", async () => {
    const tutor = await approvedTutor();
    const { json } = await upload(tutor.client, image(PNG), "image/png");
    const student = await signup("student");
    expect((await upload(student.client, image(PNG), "image/png")).status).toBe(403);
    expect((await upload(new Client(), image(PNG), "image/png")).status).toBe(401);
    const other = await approvedTutor();
    expect((await other.client.request("DELETE", `/api/admin/tutors/${tutor.user.id}/photo`)).status).toBe(403);
    // Another tutor's upload lands on their own profile only.
    await upload(other.client, image(JPEG), "image/jpeg");
    expect(await photoOf(student.client, tutor.user.id)).toBe(json.photoUrl);

    const admin = await adminClient();
    const removed = await admin.request("DELETE", `/api/admin/tutors/${tutor.user.id}/photo`);
    expect(removed.status).toBe(200);
    expect(removed.json.removed).toBe(true);
    expect(await photoOf(student.client, tutor.user.id)).toBeNull();
    expect((await student.client.get(json.photoUrl)).status).toBe(404);
    expect((await env.PHOTOS.list({ prefix: `tutors/${tutor.user.id}/` })).objects).toEqual([]);
  });

  it("a tutor who deletes their account takes their photo and intro link with them", async () => {
    const tutor = await approvedTutor();
    const { json } = await upload(tutor.client, image(PNG), "image/png");
    await tutor.client.put("/api/tutors/me/profile", { bio: "", subjects: ["mathematics"], hourlyRateCents: 3000, timezone: "UTC", introVideoUrl: "https://vimeo.com/76979871" });
    expect((await tutor.client.request("DELETE", "/api/me", { password: "correct horse battery" })).status).toBe(200);
    expect((await env.PHOTOS.list({ prefix: `tutors/${tutor.user.id}/` })).objects).toEqual([]);
    expect((await tutor.admin.get(json.photoUrl)).status).toBe(404);
    const row = await env.DB.prepare("SELECT photo_version, intro_video_url FROM tutor_profiles WHERE user_id = ?").bind(tutor.user.id).first();
    expect(row).toEqual({ photo_version: null, intro_video_url: null });
  });

  it("an unlisted tutor's photo is not shown to others", async () => {
    const t = await signup("tutor");
    await t.client.put("/api/tutors/me/profile", { bio: "", subjects: ["mathematics"], hourlyRateCents: 3000, timezone: "UTC" });
    const { json } = await upload(t.client, image(PNG), "image/png");
    expect((await t.client.get(json.photoUrl)).status).toBe(200);
    expect((await new Client().get(json.photoUrl)).status).toBe(404);
  });
});

describe("intro video link", () => {
  const profile = (introVideoUrl: unknown) => ({ bio: "", subjects: ["mathematics"], hourlyRateCents: 3000, timezone: "UTC", introVideoUrl });

  it("takes an https YouTube or Vimeo link, shows it on the profile, and clears it with an empty value", async () => {
    const tutor = await approvedTutor();
    for (const url of ["https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://youtu.be/dQw4w9WgXcQ", "https://vimeo.com/76979871"]) {
      const res = await tutor.client.put("/api/tutors/me/profile", profile(url));
      expect(res.status).toBe(200);
      expect((await new Client().get(`/api/tutors/${tutor.user.id}`)).json.tutor.introVideoUrl).toBe(url);
    }
    // Saving the profile without the field keeps it; "" removes it.
    await tutor.client.put("/api/tutors/me/profile", { bio: "", subjects: ["mathematics"], hourlyRateCents: 3000, timezone: "UTC" });
    expect((await tutor.client.get(`/api/tutors/${tutor.user.id}`)).json.tutor.introVideoUrl).toBe("https://vimeo.com/76979871");
    await tutor.client.put("/api/tutors/me/profile", profile(""));
    expect((await tutor.client.get(`/api/tutors/${tutor.user.id}`)).json.tutor.introVideoUrl).toBeNull();
  });

  it.each([
    ["plain http", "http://www.youtube.com/watch?v=dQw4w9WgXcQ"],
    ["another site", "https://example.com/video.mp4"],
    ["a look-alike host", "https://youtube.com.evil.example/watch?v=x"],
    ["a script URL", "javascript:alert(1)"],
    ["credentials in the link", "https://user:pw@vimeo.com/76979871"],
    ["no video in it", "https://vimeo.com/"],
  ])("refuses %s with a message for people", async (_name, url) => {
    const tutor = await approvedTutor();
    const res = await tutor.client.put("/api/tutors/me/profile", profile(url));
    expect(res.status).toBe(400);
    expect(res.json.error.issues).toContainEqual({ path: "introVideoUrl", message: "Paste an https link to your video on YouTube or Vimeo." });
  });
});
