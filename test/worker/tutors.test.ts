import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Client, adminClient, signup } from "./helpers";

const profile = { bio: "Algebra and calculus.", subjects: ["Mathematics", " physics "], hourlyRateCents: 4500, timezone: "America/New_York" };

describe("tutor profile", () => {
  it("a tutor saves bio, subjects (normalised), rate and zone", async () => {
    const { client, user } = await signup("tutor");
    const res = await client.put("/api/tutors/me/profile", profile);
    expect(res.status).toBe(200);
    expect(res.json.tutor).toMatchObject({ id: user.id, subjects: ["mathematics", "physics"], hourlyRateCents: 4500, timezone: "America/New_York", approved: false });
  });

  it("a student cannot save a tutor profile (403), a visitor must sign in (401)", async () => {
    const { client } = await signup("student");
    expect((await client.put("/api/tutors/me/profile", profile)).status).toBe(403);
    expect((await new Client().put("/api/tutors/me/profile", profile)).status).toBe(401);
  });

  it("splits a subject written as a list (Arabic, CJK and full-width commas, semicolons) into its subjects, as the tutor meant", async () => {
    const { client } = await signup("tutor");
    const res = await client.put("/api/tutors/me/profile", { ...profile, subjects: ["رياضيات، فيزياء", "数学、物理", "chemistry； biology; Physics", "Art，music"] });
    // Names the pages show in Arabic are stored as the subjects they name ("رياضيات" is mathematics), so they join them.
    const meant = ["mathematics", "physics", "数学", "物理", "chemistry", "biology", "art", "music"].sort();
    expect(res.status).toBe(200);
    expect([...res.json.tutor.subjects].sort()).toEqual(meant);
    const read = await client.get("/api/tutors/me/profile");
    expect([...read.json.tutor.subjects].sort()).toEqual(meant);
  });

  it("refuses a list that splits into more subjects than a profile holds, with a 400 naming subjects", async () => {
    const { client } = await signup("tutor");
    const res = await client.put("/api/tutors/me/profile", { ...profile, subjects: [Array.from({ length: 13 }, (_, i) => `subject ${i}`).join("، ")] });
    expect(res.status).toBe(400);
    expect(res.json.error.issues[0].path).toBe("subjects");
  });

  it("refuses a rate that is not whole cents", async () => {
    const { client } = await signup("tutor");
    const res = await client.put("/api/tutors/me/profile", { ...profile, hourlyRateCents: 45.5 });
    expect(res.status).toBe(400);
    expect(res.json.error.issues[0].path).toBe("hourlyRateCents");
  });
});

describe("tutor approval", () => {
  it("an unapproved tutor is hidden from others until an admin approves them", async () => {
    const tutor = await signup("tutor");
    await tutor.client.put("/api/tutors/me/profile", profile);
    const { client: student } = await signup("student");
    expect((await student.get(`/api/tutors/${tutor.user.id}`)).status).toBe(404);
    expect((await tutor.client.get(`/api/tutors/${tutor.user.id}`)).status).toBe(200);

    const admin = await adminClient();
    const pending = await admin.get("/api/admin/tutors?status=pending");
    expect(pending.json.tutors.map((t: { id: string }) => t.id)).toContain(tutor.user.id);
    const approved = await admin.post(`/api/admin/tutors/${tutor.user.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.json.tutor).toMatchObject({ id: tutor.user.id, approved: true });

    const visible = await student.get(`/api/tutors/${tutor.user.id}`);
    expect(visible.status).toBe(200);
    expect(visible.json.tutor.subjects).toEqual(["mathematics", "physics"]);
  });

  it.each(["student", "tutor"] as const)("a %s cannot approve tutors (403)", async (role) => {
    const tutor = await signup("tutor");
    const { client } = await signup(role);
    const res = await client.post(`/api/admin/tutors/${tutor.user.id}/approve`);
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("forbidden");
    const row = await env.DB.prepare("SELECT approved_at FROM tutor_profiles WHERE user_id = ?").bind(tutor.user.id).first();
    expect(row).toEqual({ approved_at: null });
  });

  it("a visitor cannot approve tutors (401)", async () => {
    const tutor = await signup("tutor");
    expect((await new Client().post(`/api/admin/tutors/${tutor.user.id}/approve`)).status).toBe(401);
  });

  it("approving an unknown id is 404", async () => {
    const admin = await adminClient();
    expect((await admin.post("/api/admin/tutors/nope/approve")).status).toBe(404);
  });

  it("approving a student id is 404 (only tutors are approved)", async () => {
    const admin = await adminClient();
    const { user } = await signup("student");
    expect((await admin.post(`/api/admin/tutors/${user.id}/approve`)).status).toBe(404);
  });
});

describe("the admin's tutor pages with many tutors", () => {
  /** `count` tutors who signed up and await approval, flagged for their reliability, each teaching physics. */
  async function waitingTutors(count: number) {
    const ids = Array.from({ length: count }, () => crypto.randomUUID());
    const rows = ids.flatMap((id) => [
      env.DB.prepare("INSERT INTO users (id, email, name, role, timezone, password_hash) VALUES (?, ?, 'Waiting Tutor', 'tutor', 'UTC', 'x')").bind(id, `${id}@example.com`),
      env.DB.prepare("INSERT INTO tutor_profiles (user_id, timezone, flagged, reliability) VALUES (?, 'UTC', 1, 0.5)").bind(id),
      env.DB.prepare("INSERT INTO tutor_subjects (tutor_id, subject) VALUES (?, 'physics')").bind(id),
    ]);
    for (let i = 0; i < rows.length; i += 60) await env.DB.batch(rows.slice(i, i + 60));
    return ids;
  }

  it("lists 150 tutors awaiting approval, with their subjects, and 150 flagged tutors", async () => {
    const ids = await waitingTutors(150);
    const admin = await adminClient();
    const pending = await admin.get("/api/admin/tutors?status=pending");
    expect(pending.status).toBe(200);
    const listed = new Map((pending.json.tutors as { id: string; subjects: string[] }[]).map((t) => [t.id, t.subjects]));
    for (const id of ids) expect(listed.get(id)).toEqual(["physics"]);
    const flagged = await admin.get("/api/admin/tutors/flagged");
    expect(flagged.status).toBe(200);
    const seen = new Set((flagged.json.tutors as { id: string }[]).map((t) => t.id));
    expect(ids.every((id) => seen.has(id))).toBe(true);
  });
});
