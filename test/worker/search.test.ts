import { describe, expect, it } from "vitest";
import { ALL_WEEK, Client, approvedTutor, signup } from "./helpers";

const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));

describe("GET /api/tutors", () => {
  it("filters by subject and max rate and lists only approved tutors", async () => {
    const subject = `subj${Date.now().toString(36)}`;
    const cheap = await approvedTutor({ subjects: [subject] });
    const other = await approvedTutor({ subjects: ["zz-other"] });
    const unapproved = await signup("tutor");
    await unapproved.client.put("/api/tutors/me/profile", { bio: "", subjects: [subject], hourlyRateCents: 1000, timezone: "UTC" });
    const res = await new Client().get(`/api/tutors?subject=${subject}&maxRateCents=3000`);
    expect(res.status).toBe(200);
    const ids = res.json.tutors.map((t: { id: string }) => t.id);
    expect(ids).toEqual([cheap.user.id]);
    expect(ids).not.toContain(other.user.id);
    expect((await new Client().get(`/api/tutors?subject=${subject}&maxRateCents=2999`)).json.tutors).toEqual([]);
  });

  it("ranks by weekly overlap with the student's preferred hours, shown as windows in the coming week", async () => {
    const subject = `ov${Date.now().toString(36)}`;
    // Kathmandu is UTC+05:45; Berlin's offset depends on the date, so compare against a UTC student.
    const evening = await approvedTutor({ subjects: [subject], timezone: "Asia/Kathmandu", availability: { ...ALL_WEEK("Asia/Kathmandu"), weekly: weekdays("18:00", "22:00") } });
    const morning = await approvedTutor({ subjects: [subject], timezone: "Asia/Kathmandu", availability: { ...ALL_WEEK("Asia/Kathmandu"), weekly: weekdays("06:00", "08:00") } });
    const never = await approvedTutor({ subjects: [subject], timezone: "UTC", availability: { ...ALL_WEEK("UTC"), weekly: weekdays("20:00", "21:00") } });
    // A student in UTC who prefers 12:00–16:00 UTC = 17:45–21:45 in Kathmandu.
    const res = await new Client().get(`/api/tutors?subject=${subject}&tz=UTC&from=12:00&to=16:00`);
    expect(res.status).toBe(200);
    const tutors = res.json.tutors as { id: string; overlapMinutesPerWeek: number; overlap: { start: string; end: string }[] }[];
    expect(tutors.map((t) => t.id)).toEqual([evening.user.id]);
    expect(tutors[0]!.overlapMinutesPerWeek).toBe(7 * 225); // 12:15–16:00 UTC daily
    const first = tutors[0]!.overlap[0]!;
    expect(first.start.slice(11)).toMatch(/^(12:15|1[2-5]:\d\d):00\.000Z$/); // a window under way starts at the next whole minute
    expect(first.end.slice(11)).toBe("16:00:00.000Z");
    expect(tutors[0]!.overlap.length).toBeGreaterThanOrEqual(7);

    // 06:00–22:00 in Kathmandu: evening (4 h/day) ranks above morning (2 h/day); 20:00 UTC is 01:45 there, so `never` is out.
    const wide = await new Client().get(`/api/tutors?subject=${subject}&tz=Asia/Kathmandu&from=06:00&to=22:00`);
    expect(wide.json.tutors.map((t: { id: string }) => t.id)).toEqual([evening.user.id, morning.user.id]);
    expect(wide.json.tutors.map((t: { id: string }) => t.id)).not.toContain(never.user.id);
  });

  it("handles preferred hours that cross midnight", async () => {
    const subject = `mid${Date.now().toString(36)}`;
    const night = await approvedTutor({ subjects: [subject], availability: { ...ALL_WEEK("UTC"), weekly: weekdays("23:00", "01:00") } });
    const res = await new Client().get(`/api/tutors?subject=${subject}&tz=UTC&from=22:30&to=00:30`);
    expect(res.json.tutors).toMatchObject([{ id: night.user.id, overlapMinutesPerWeek: 7 * 90 }]);
  });

  it.each([
    ["from without to", "from=09:00"],
    ["a bad time", "from=9am&to=10:00"],
    ["an unknown zone", "tz=Nowhere/City&from=09:00&to=10:00"],
    ["a negative rate", "maxRateCents=-5"],
    ["a huge limit", "limit=100000"],
  ])("answers %s with 400 invalid_request", async (_, query) => {
    const res = await new Client().get(`/api/tutors?${query}`);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("invalid_request");
  });
});

describe("GET /api/tutors/:id/slots", () => {
  it("answers slots in UTC honouring the tutor's zone", async () => {
    const tutor = await approvedTutor({ timezone: "Asia/Kathmandu", availability: { ...ALL_WEEK("Asia/Kathmandu"), weekly: weekdays("09:00", "11:00") } });
    const from = new Date(Date.now() + 3 * 86_400_000);
    from.setUTCHours(0, 0, 0, 0);
    const to = new Date(from.getTime() + 86_400_000);
    const res = await new Client().get(`/api/tutors/${tutor.user.id}/slots?from=${from.toISOString()}&to=${to.toISOString()}&duration=60`);
    expect(res.status).toBe(200);
    const day = from.toISOString().slice(0, 10);
    expect(res.json.slots).toEqual([
      { start: `${day}T03:15:00.000Z`, end: `${day}T04:15:00.000Z` },
      { start: `${day}T03:45:00.000Z`, end: `${day}T04:45:00.000Z` },
      { start: `${day}T04:15:00.000Z`, end: `${day}T05:15:00.000Z` },
    ]);
    expect(res.json.timezone).toBe("Asia/Kathmandu");
  });

  it.each([
    ["a duration not offered", "duration=50"],
    ["to before from", "reverse"],
    ["more than 92 days", "long"],
  ])("refuses %s with 400", async (_, kind) => {
    const tutor = await approvedTutor();
    const from = new Date(Date.now() + 86_400_000).toISOString();
    const to = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const q =
      kind === "reverse"
        ? `from=${to}&to=${from}&duration=60`
        : kind === "long"
          ? `from=${from}&to=${new Date(Date.now() + 100 * 86_400_000).toISOString()}&duration=60`
          : `from=${from}&to=${to}&${kind}`;
    expect((await new Client().get(`/api/tutors/${tutor.user.id}/slots?${q}`)).status).toBe(400);
  });

  it("is 404 for an unapproved tutor", async () => {
    const t = await signup("tutor");
    const from = new Date().toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    expect((await new Client().get(`/api/tutors/${t.user.id}/slots?from=${from}&to=${to}&duration=60`)).status).toBe(404);
  });
});

describe("PUT /api/tutors/me/availability", () => {
  it("rejects overlapping nonsense with field issues and keeps the old rules", async () => {
    const tutor = await approvedTutor();
    const res = await tutor.client.put("/api/tutors/me/availability", { ...ALL_WEEK(), weekly: [{ weekday: 8, start: "09:00", end: "10:00" }] });
    expect(res.status).toBe(400);
    expect(res.json.error.issues[0].path).toBe("weekly.0.weekday");
    expect((await tutor.client.get("/api/tutors/me/availability")).json.availability.weekly).toHaveLength(7);
  });

  it("is for tutors only", async () => {
    const s = await signup("student");
    expect((await s.client.put("/api/tutors/me/availability", ALL_WEEK())).status).toBe(403);
  });
});
