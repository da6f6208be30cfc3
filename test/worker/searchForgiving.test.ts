import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { calendarOf } from "../../worker/lib/stubs";
import { Client, approvedTutor, fundedStudent, slotAhead } from "./helpers";

/** An approved tutor with a name, subjects and rate of the test's choosing. */
async function tutor(name: string, subjects: string[], hourlyRateCents = 4000) {
  const t = await approvedTutor({ subjects });
  await env.DB.prepare("UPDATE users SET name = ? WHERE id = ?").bind(name, t.user.id).run();
  const res = await t.client.put("/api/tutors/me/profile", { bio: "", subjects, hourlyRateCents, timezone: "UTC" });
  expect(res.status).toBe(200);
  return t.user.id;
}
const search = async (query: string) => {
  const res = await new Client().get(`/api/tutors?${query}`);
  expect(res.status, res.text).toBe(200);
  return res.json.tutors as { id: string; name: string; nextFreeAt?: string | null }[];
};
const ids = (list: { id: string }[]) => list.map((t) => t.id);

describe("GET /api/tutors: search that forgives", () => {
  it("matches subjects by any case, by prefix, by a word inside them and by common names", async () => {
    const maths = await tutor("Ada Lovelace", ["mathematics"]);
    const cs = await tutor("Grace Hopper", ["computer science"]);
    const sat = await tutor("Katherine Johnson", ["sat prep"]);
    expect(ids(await search("q=MATHE"))).toContain(maths);
    expect(ids(await search("q=math"))).toContain(maths);
    expect(ids(await search("subject=Maths"))).toContain(maths);
    expect(ids(await search("q=science"))).toEqual([cs]);
    expect(ids(await search("q=SAT"))).toEqual([sat]);
    expect(ids(await search("q=programming"))).toEqual([cs]);
    expect(ids(await search("q=sat"))).not.toContain(maths);
  });

  it("finds tutors by part of their name, and treats % and _ as plain characters", async () => {
    const id = await tutor("Marie Skłodowska-Curie", ["chemistry"]);
    expect(ids(await search("q=curie"))).toEqual([id]);
    expect(ids(await search("q=MARIE%20SK"))).toEqual([id]);
    expect(await search(`q=${encodeURIComponent("%")}`)).toEqual([]);
    expect(await search(`q=${encodeURIComponent("_")}`)).toEqual([]);
  });

  it("sorts by price (lowest first), rating (highest first) and soonest free hour", async () => {
    const subject = `sortable${Date.now().toString(36)}`;
    const dear = await tutor("Dear Tutor", [subject], 9000);
    const cheap = await tutor("Cheap Tutor", [subject], 1500);
    const middle = await tutor("Middle Tutor", [subject], 4000);
    expect(ids(await search(`q=${subject}&sort=price`))).toEqual([cheap, middle, dear]);

    await env.DB.prepare("UPDATE tutor_profiles SET rating_sum = ?, rating_count = ? WHERE user_id = ?").bind(48, 10, dear).run();
    await env.DB.prepare("UPDATE tutor_profiles SET rating_sum = ?, rating_count = ? WHERE user_id = ?").bind(35, 10, middle).run();
    expect(ids(await search(`q=${subject}&sort=rating`)).slice(0, 2)).toEqual([dear, middle]);

    // The cheap tutor's next two days are taken by a day off; the dear one is free in an hour.
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    await calendarOf(env, cheap).setAvailability(cheap, { timezone: "UTC", weekly: [], overrides: [{ date: later, intervals: [{ start: "10:00", end: "12:00" }] }], bufferMinutes: 0, minNoticeMinutes: 0, horizonDays: 60 });
    const booker = await fundedStudent(600);
    await booker.client.post("/api/bookings", { tutorId: middle, start: slotAhead(60), durationMinutes: 60, subject });
    const soonest = await search(`q=${subject}&sort=soonest`);
    expect(soonest.map((t) => t.id)).toEqual([dear, middle, cheap]);
    expect(Date.parse(soonest[0]!.nextFreeAt!)).toBeLessThan(Date.parse(soonest[2]!.nextFreeAt!));
    expect(soonest[2]!.nextFreeAt!.slice(0, 10)).toBe(later);
  });

  it("answers a search text that is too long with a 400 that says so in words, on the field", async () => {
    const res = await new Client().get(`/api/tutors?q=${"x".repeat(150)}`);
    expect(res.status).toBe(400);
    expect(res.json.error.issues).toEqual([{ path: "q", message: "Search for at most 60 characters (a subject or a tutor's name)." }]);
  });
});
