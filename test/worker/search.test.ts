import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ALL_WEEK, Client, approvedTutor, signup } from "./helpers";
import { followTutorZones } from "../../worker/jobs/tutorZones";

const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));

describe("GET /api/tutors", () => {
  afterEach(() => vi.useRealTimers());

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

  it("finds a New York tutor (09:00-10:00 daily, saved in winter) for a New York student asking 09:00-10:00 after March 14 2027", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(new Date("2027-01-15T12:00:00Z"));
    const subject = `dst${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
    const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));
    const tutor = await approvedTutor({ subjects: [subject], timezone: "America/New_York", availability: { ...ALL_WEEK("America/New_York"), weekly: weekdays("09:00", "10:00") } });
    vi.setSystemTime(new Date("2027-04-05T12:00:00Z"));
    // The calendar woke itself for the clock change (its alarm, set when the hours were saved): run it now.
    expect(await runDurableObjectAlarm(env.TUTOR_CALENDAR.get(env.TUTOR_CALENDAR.idFromName(tutor.user.id)))).toBe(true);
    const same = await new Client().get(`/api/tutors?subject=${subject}&tz=America/New_York&from=09:00&to=10:00`);
    const wrong = await new Client().get(`/api/tutors?subject=${subject}&tz=America/New_York&from=10:00&to=11:00`);
    expect(same.json.tutors.map((t: { id: string }) => t.id)).toEqual([tutor.user.id]);
    expect(same.json.tutors[0].overlapMinutesPerWeek).toBe(7 * 60);
    expect(wrong.json.tutors.find((t: { id: string }) => t.id === tutor.user.id)?.overlapMinutesPerWeek ?? 0).toBe(0);
  });

  it("moves the hours of a tutor saved before calendars followed clock changes, by the daily job", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(new Date("2027-01-15T12:00:00Z"));
    const subject = `dsl${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
    const tutor = await approvedTutor({ subjects: [subject], timezone: "America/New_York", availability: { ...ALL_WEEK("America/New_York"), weekly: weekdays("09:00", "10:00") } });
    const calendar = env.TUTOR_CALENDAR.get(env.TUTOR_CALENDAR.idFromName(tutor.user.id));
    // A calendar from before: its hours projected once, no note of the next clock change, no alarm.
    await runInDurableObject(calendar, async (_, state) => {
      state.storage.sql.exec("DELETE FROM meta WHERE key = 'weekly_reproject_at'");
      await state.storage.deleteAlarm();
    });
    vi.setSystemTime(new Date("2027-04-05T12:00:00Z"));
    expect((await followTutorZones(env)).done).toBe(true);
    const res = await new Client().get(`/api/tutors?subject=${subject}&tz=America/New_York&from=09:00&to=10:00`);
    expect(res.json.tutors).toMatchObject([{ id: tutor.user.id, overlapMinutesPerWeek: 7 * 60 }]);
    // And it now wakes itself for the next change (7 November 2027).
    const noted = await runInDurableObject(calendar, (_, state) => state.storage.sql.exec("SELECT value FROM meta WHERE key = 'weekly_reproject_at'").one().value);
    expect(Number(noted)).toBe(Date.parse("2027-11-07T06:00:00Z"));
  });

  type Found = { id: string; overlapMinutesPerWeek: number; overlap: { start: string; end: string }[] };
  const found = async (query: string, id: string) => ((await new Client().get(`/api/tutors?${query}`)).json.tutors as Found[]).find((t) => t.id === id);

  it("counts a Berlin student's coming evenings at each day's offsets when Europe's clocks change before America's", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    // Thursday 22 October 2026: Berlin goes from UTC+2 to UTC+1 on Sunday the 25th, New York stays UTC−4 until 1 November.
    vi.setSystemTime(new Date("2026-10-22T12:00:00Z"));
    const subject = `eu${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
    const ny = (start: string, end: string) => approvedTutor({ subjects: [subject], timezone: "America/New_York", availability: { ...ALL_WEEK("America/New_York"), weekly: weekdays(start, end) } });
    const noon = await ny("12:00", "15:00"); // 16:00–19:00Z
    const late = await ny("15:00", "16:00"); // 19:00–20:00Z: inside 18–21 Berlin only from the 25th
    // The student's 18:00–21:00 is 16:00–19:00Z on Thu–Sat and 17:00–20:00Z from Sunday to Wednesday.
    const query = `subject=${subject}&tz=Europe/Berlin&from=18:00&to=21:00`;
    expect((await found(query, noon.user.id))?.overlapMinutesPerWeek).toBe(3 * 180 + 4 * 120);
    const lateHit = await found(query, late.user.id);
    expect(lateHit?.overlapMinutesPerWeek).toBe(4 * 60);
    expect(lateHit?.overlap).toEqual(
      ["25", "26", "27", "28"].map((day) => ({ start: `2026-10-${day}T19:00:00.000Z`, end: `2026-10-${day}T20:00:00.000Z` })),
    );
  });

  it("counts a tutor's hours at their zone's offset on each day searched when their clocks change this week", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    // Thursday 29 October 2026: New York goes from UTC−4 to UTC−5 on Sunday 1 November.
    vi.setSystemTime(new Date("2026-10-29T12:00:00Z"));
    const subject = `us${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
    const tutor = await approvedTutor({ subjects: [subject], timezone: "America/New_York", availability: { ...ALL_WEEK("America/New_York"), weekly: weekdays("09:00", "10:00") } });
    // 09:00 New York is 13:00Z until Saturday, then 14:00Z: a UTC student asking 13:00–14:00 meets it three times.
    const hit = await found(`subject=${subject}&tz=UTC&from=13:00&to=14:00`, tutor.user.id);
    expect(hit?.overlapMinutesPerWeek).toBe(3 * 60);
    expect(hit?.overlap.map((w) => w.start)).toEqual(["2026-10-29T13:00:00.000Z", "2026-10-30T13:00:00.000Z", "2026-10-31T13:00:00.000Z"]);
    const after = await found(`subject=${subject}&tz=UTC&from=14:00&to=15:00`, tutor.user.id);
    expect(after?.overlapMinutesPerWeek).toBe(4 * 60);
    expect(after?.overlap[0]).toEqual({ start: "2026-11-01T14:00:00.000Z", end: "2026-11-01T15:00:00.000Z" });
  });

  it.each(["US/Eastern", "us/eastern"])("counts a tutor whose zone was stored as %s (before zones were stored canonically) at New York's offsets", async (stored) => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(new Date("2026-10-29T12:00:00Z"));
    const subject = `al${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
    const tutor = await approvedTutor({ subjects: [subject], timezone: "America/New_York", availability: { ...ALL_WEEK("America/New_York"), weekly: weekdays("09:00", "10:00") } });
    await env.DB.prepare("UPDATE tutor_profiles SET timezone = ? WHERE user_id = ?").bind(stored, tutor.user.id).run();
    const hit = await found(`subject=${subject}&tz=UTC&from=13:00&to=14:00`, tutor.user.id);
    expect(hit?.overlapMinutesPerWeek).toBe(3 * 60);
    expect(hit?.overlap.map((w) => w.start)).toEqual(["2026-10-29T13:00:00.000Z", "2026-10-30T13:00:00.000Z", "2026-10-31T13:00:00.000Z"]);
  });

  it("counts the hour New York's clocks repeat only as far as the tutor is free in it", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(new Date("2026-10-29T12:00:00Z"));
    const subject = `fb${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
    // Sundays until 01:30: on 1 November that is 04:00–05:30Z, the first 01:00–01:30 (EDT); the second (EST) is not theirs.
    const sunday = { ...ALL_WEEK("America/New_York"), weekly: [{ weekday: 7, start: "00:00", end: "01:30" }] };
    const tutor = await approvedTutor({ subjects: [subject], timezone: "America/New_York", availability: sunday });
    // A New York student asking 01:00–02:00: 05:00–07:00Z that night, both passes of the hour.
    const hit = await found(`subject=${subject}&tz=America/New_York&from=01:00&to=02:00`, tutor.user.id);
    expect(hit?.overlapMinutesPerWeek).toBe(30);
    expect(hit?.overlap).toEqual([{ start: "2026-11-01T05:00:00.000Z", end: "2026-11-01T05:30:00.000Z" }]);
  });

  const search = async (q: string) => ((await new Client().get(`/api/tutors?q=${encodeURIComponent(q)}`)).json.tutors as { id: string }[]).map((t) => t.id);

  it("finds English-stored subjects by the names the Spanish UI shows for them", async () => {
    const maths = await approvedTutor({ subjects: ["mathematics"] });
    const english = await approvedTutor({ subjects: ["english"] });
    const chem = await approvedTutor({ subjects: ["chemistry"] });
    expect(await search("matemáticas")).toContain(maths.user.id);
    expect(await search("Matemáticas")).toContain(maths.user.id);
    expect(await search("matematicas")).toContain(maths.user.id);
    expect(await search("inglés")).toContain(english.user.id);
    expect(await search("química")).toContain(chem.user.id);
    expect(await search("الكيمياء")).toContain(chem.user.id);
  });

  it("answers a text that starts many subject names (the Arabic article alone) with a list, not a 500", async () => {
    for (const q of ["ال", "الم", "es", "pr"]) {
      const res = await new Client().get(`/api/tutors?q=${encodeURIComponent(q)}&subject=${encodeURIComponent(q)}&tz=UTC&from=09:00&to=17:00`);
      expect(res.status, q).toBe(200);
    }
  });

  it("a subject typed in Spanish joins the English one", async () => {
    const t = await approvedTutor({ subjects: ["matemáticas"] });
    expect(await search("math")).toContain(t.user.id);
    expect((await new Client().get(`/api/tutors/${t.user.id}`)).json.tutor).toMatchObject({ subjects: ["mathematics"] });
  });

  it("gives an erased tutor's weekly hours no way back into search at the next clock change", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(new Date("2027-01-15T12:00:00Z"));
    const tutor = await approvedTutor({ timezone: "America/New_York", availability: { ...ALL_WEEK("America/New_York"), weekly: weekdays("09:00", "10:00") } });
    // As account deletion leaves it: the row kept, marked deleted, its windows erased.
    await env.DB.batch([env.DB.prepare("UPDATE users SET status = 'deleted' WHERE id = ?").bind(tutor.user.id), env.DB.prepare("DELETE FROM tutor_weekly_windows WHERE tutor_id = ?").bind(tutor.user.id)]);
    vi.setSystemTime(new Date("2027-04-05T12:00:00Z"));
    expect(await runDurableObjectAlarm(env.TUTOR_CALENDAR.get(env.TUTOR_CALENDAR.idFromName(tutor.user.id)))).toBe(true);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM tutor_weekly_windows WHERE tutor_id = ?").bind(tutor.user.id).first())?.n).toBe(0);
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
