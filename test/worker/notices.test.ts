import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { buildEmail } from "../../platform/integrations/email/message";
import { AttachmentsSchema } from "../../platform/integrations/email/sender";
import { calendarOf } from "../../worker/lib/stubs";
import { type Client, adminClient, approvedTutor, drained, fundedStudent, signup, slotAhead } from "./helpers";

type Mail = { subject: string; text: string; attachments: string | null };

const inbox = async (client: Client) => (await client.get("/api/notifications")).json.notifications as { title: string; body: string; link: string | null }[];
/** The session emails a user was sent, oldest first (account emails such as the address confirmation left out). */
const mailTo = async (userId: string) =>
  (await env.DB.prepare("SELECT subject, text, attachments FROM email_outbox WHERE user_id = ? ORDER BY created_at").bind(userId).all<Mail>()).results.filter((m) => m.attachments);
/** The calendar invitation attached to an email: its METHOD and its one VEVENT. */
function invitation(mail: Mail) {
  const [file] = AttachmentsSchema.parse(JSON.parse(mail.attachments ?? "[]"));
  expect(file?.contentType).toMatch(/^text\/calendar; method=(REQUEST|CANCEL)/);
  const cal = new ICAL.Component(ICAL.parse(file!.content));
  const event = cal.getFirstSubcomponent("vevent")!;
  return { method: cal.getFirstPropertyValue("method"), event, sequence: Number(event.getFirstPropertyValue("sequence")) };
}

/** A tutor named Olivia Bennett (UTC) and a funded student named Maya Lopez, with one 1:1 booked 3 days ahead. */
async function booked(subject = "mathematics") {
  const tutor = await approvedTutor({ subjects: [subject] });
  await env.DB.prepare("UPDATE users SET name = 'Olivia Bennett' WHERE id = ?").bind(tutor.user.id).run();
  const student = await fundedStudent(600);
  await env.DB.prepare("UPDATE users SET name = 'Maya Lopez' WHERE id = ?").bind(student.user.id).run();
  const res = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(72 * 60), durationMinutes: 60, subject });
  expect(res.status).toBe(201);
  const booking = res.json.booking as { id: string; start: string };
  const settle = () => calendarOf(env, tutor.user.id).settle();
  await settle();
  return { tutor, student, booking, settle };
}

describe("people know who and why", () => {
  it("confirms a booking to the student by email with an .ics REQUEST (the feed's UID) and add-to-calendar links, and tells the tutor who booked", async () => {
    const { tutor, student, booking } = await booked();
    const [confirmation] = await mailTo(student.user.id);
    expect(confirmation!.subject).toMatch(/^You're booked: Mathematics with Olivia Bennett, /);
    expect(confirmation!.text).toContain("Google Calendar: https://calendar.google.com/calendar/render?action=TEMPLATE");
    expect(confirmation!.text).toContain("Outlook: https://outlook.live.com/calendar/0/deeplink/compose?");
    expect(confirmation!.text).toContain(`/sessions/${booking.id}`);
    const { method, event } = invitation(confirmation!);
    expect(method).toBe("REQUEST");
    expect(event.getFirstPropertyValue("uid")).toBe(`${booking.id}@tutorly`);
    expect(new Date(String(event.getFirstPropertyValue("dtstart"))).toISOString()).toBe(booking.start);
    // As it leaves: multipart, the invitation as a text/calendar part with its method.
    const raw = buildEmail("Tutorly <no-reply@tutorly.dev>", { to: "maya@example.com", subject: confirmation!.subject, text: confirmation!.text, attachments: AttachmentsSchema.parse(JSON.parse(confirmation!.attachments!)) }, { id: "m1", date: new Date() }).raw();
    expect(raw).toMatch(/Content-Type: text\/calendar; method=REQUEST; charset=UTF-8; name="invite.ics"/);
    // Their own booking is not in their inbox as news; the tutor's is, with the student's name and a link to it.
    expect(await inbox(student.client)).toEqual([]);
    const [news] = await inbox(tutor.client);
    expect(news).toMatchObject({ title: "New Mathematics session with Maya Lopez", link: `/sessions/${booking.id}` });
  });

  it("tells the tutor that the student cancelled, when, and why; the student only gets their own confirmation with the invitation's CANCEL", async () => {
    const { tutor, student, booking, settle } = await booked();
    // The tutor reads British English: a 24-hour clock.
    await env.DB.prepare("UPDATE users SET locale = 'en-GB' WHERE id = ?").bind(tutor.user.id).run();
    const res = await student.client.post(`/api/bookings/${booking.id}/cancel`, { reason: "Exam moved to Friday" });
    expect(res.status).toBe(200);
    await settle();
    const [notice] = await inbox(tutor.client);
    expect(notice!.title).toMatch(/^Maya Lopez cancelled Mathematics, \w{3} \d+ \w{3,4}, \d\d:\d\d \(UTC\)$/);
    expect(notice!.body).toContain("Reason given: “Exam moved to Friday”.");
    expect(await inbox(student.client)).toEqual([]);
    const mails = await mailTo(student.user.id);
    const own = mails.find((m) => m.subject.startsWith("You cancelled"))!;
    expect(own.text).toContain("You cancelled your Mathematics session with Olivia Bennett");
    const { method, event } = invitation(own);
    expect(method).toBe("CANCEL");
    expect(event.getFirstPropertyValue("uid")).toBe(`${booking.id}@tutorly`);
    expect(invitation(own).sequence).toBeGreaterThan(invitation(mails[0]!).sequence);
  });

  it("says Tutorly support (not a person) and the reason when an admin cancels, to the student and the tutor", async () => {
    const { tutor, student, booking, settle } = await booked();
    const admin = await adminClient();
    expect((await admin.post(`/api/bookings/${booking.id}/cancel`, { reason: "Tutor is unwell" })).status).toBe(200);
    await settle();
    for (const client of [student.client, tutor.client]) {
      const [notice] = await inbox(client);
      expect(notice!.title).toMatch(/^Tutorly support cancelled Mathematics, /);
      expect(notice!.body).toContain("Reason given: “Tutor is unwell”.");
    }
    const cancel = (await mailTo(student.user.id)).find((m) => m.subject.startsWith("Tutorly support cancelled"))!;
    expect(invitation(cancel).method).toBe("CANCEL");
  });

  it("names the tutor who cancelled and their reason when no replacement is free and the credits go straight back", async () => {
    // A subject nobody else in this test run teaches: no replacement can be offered.
    const { tutor, student, booking, settle } = await booked("ancient greek");
    expect((await tutor.client.post(`/api/bookings/${booking.id}/cancel`, { reason: "Family emergency" })).status).toBe(200);
    await settle();
    const [notice] = await inbox(student.client);
    expect(notice!.title).toMatch(/^Olivia Bennett cancelled your Ancient greek session, /);
    expect(notice!.body).toContain("Reason given: “Family emergency”.");
    expect(notice!.body).toContain("1 h of credit is back in your balance");
    // The tutor is not told about their own cancellation.
    expect((await inbox(tutor.client)).filter((n) => n.title.includes("cancelled"))).toEqual([]);
  });

  it("sends the student an updated invitation (same UID, higher SEQUENCE) when the tutor moves the session", async () => {
    const { tutor, student, booking, settle } = await booked();
    const moved = await tutor.client.post(`/api/bookings/${booking.id}/reschedule`, { start: slotAhead(96 * 60) });
    expect(moved.status).toBe(200);
    await settle();
    const mails = await mailTo(student.user.id);
    const update = mails.find((m) => m.subject.includes("moved to"))!;
    const first = invitation(mails[0]!);
    const next = invitation(update);
    expect(next.method).toBe("REQUEST");
    expect(next.event.getFirstPropertyValue("uid")).toBe(first.event.getFirstPropertyValue("uid"));
    expect(next.sequence).toBeGreaterThan(first.sequence);
    expect(new Date(String(next.event.getFirstPropertyValue("dtstart"))).toISOString()).toBe(moved.json.booking.start);
  });

  it("gives tutors their students' names on every booking, and a group's whole list", async () => {
    const tutor = await approvedTutor();
    const opened = await tutor.client.post("/api/tutors/me/group-sessions", { start: slotAhead(80 * 60), durationMinutes: 60, subject: "mathematics", seats: 4 }, { "Idempotency-Key": crypto.randomUUID() });
    expect(opened.status).toBe(201);
    const names = ["Ana Ruiz", "Ben Okafor"];
    for (const name of names) {
      const s = await fundedStudent(600);
      await env.DB.prepare("UPDATE users SET name = ? WHERE id = ?").bind(name, s.user.id).run();
      expect((await s.client.post("/api/bookings", { tutorId: tutor.user.id, start: opened.json.booking.start, durationMinutes: 60, subject: "mathematics", group: true })).status).toBe(201);
    }
    const { json } = await tutor.client.get("/api/bookings");
    const group = json.bookings.find((b: { id: string }) => b.id === opened.json.booking.id);
    expect(group.participants.map((p: { name: string }) => p.name).sort()).toEqual(names);
    // A student never sees their classmates.
    const other = await signup("student");
    expect((await other.client.get("/api/bookings")).json.bookings).toEqual([]);
  });
});

/** Every email a user was sent, oldest first; every notice in their inbox. */
const mailsOf = async (userId: string) =>
  (await env.DB.prepare("SELECT subject, text, attachments FROM email_outbox WHERE user_id = ? ORDER BY created_at, rowid").bind(userId).all<Mail>()).results;
const noticesOf = async (userId: string) =>
  (await env.DB.prepare("SELECT kind, title, body FROM notifications WHERE user_id = ? ORDER BY created_at, rowid").bind(userId).all<{ kind: string; title: string; body: string }>()).results;
const icsOf = (m: Mail) => (m.attachments ? AttachmentsSchema.parse(JSON.parse(m.attachments))[0]!.content.replace(/\r\n[ \t]/g, "") : "");
/** The calendar invitations a user was emailed for one session, oldest first: their method and start. */
const invitesFor = async (userId: string, id: string) =>
  (await mailsOf(userId))
    .map(icsOf)
    .filter((c) => c.includes(`UID:${id}@tutorly`))
    .map((c) => ({ method: c.match(/METHOD:(\w+)/)![1], start: c.match(/DTSTART:(\w+)/)![1] }));
const icsTime = (iso: string) => iso.replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/**
 * A session (or a week of a series) and one thing told about it at its time: it is moved to `a`, then `b`, then back
 * to `a`, and at each time what tells of it runs; `told` counts what its reader was told.
 */
type Scene = { a: string; b: string; move: (start: string) => Promise<void>; atEach: (start: string) => Promise<void>; told: () => Promise<number>; also?: () => Promise<void> };
type Person = Awaited<ReturnType<typeof approvedTutor>> | Awaited<ReturnType<typeof fundedStudent>>;

/** Moves a session through the API as `by` and waits for what the calendar does after the answer. */
const moveAs = (by: Person, tutorId: string, id: string) => async (start: string) => {
  const moved = await by.client.post(`/api/bookings/${id}/reschedule`, { start });
  expect(moved.json.booking.start).toBe(start);
  await drained(tutorId);
};
const nothing = async () => {};
const HOUR = 3_600_000;

/** A 1:1 moved by its tutor or its student: the other one is told each move; the student's calendar gets each invitation. */
async function movedBy(who: "tutor" | "student"): Promise<Scene> {
  const tutor = await approvedTutor();
  const student = await fundedStudent(600);
  const res = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(72 * 60), durationMinutes: 60, subject: "mathematics" });
  const id: string = res.json.booking.id;
  await drained(tutor.user.id);
  const a = slotAhead(96 * 60);
  const b = slotAhead(120 * 60);
  const other = who === "tutor" ? student : tutor;
  return {
    a,
    b,
    move: moveAs(who === "tutor" ? tutor : student, tutor.user.id, id),
    atEach: nothing,
    told: async () => (await noticesOf(other.user.id)).filter((n) => n.kind === "rescheduled").length,
    also: async () => expect((await invitesFor(student.user.id, id)).map((i) => i.start)).toEqual([res.json.booking.start, a, b, a].map(icsTime)),
  };
}

/** A 1:1 two days ahead, booked (as far as its reminders know) a month ago: each reminder applies wherever it is moved. */
async function bookedLongAgo() {
  const tutor = await approvedTutor();
  const student = await fundedStudent(600);
  const res = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(48 * 60), durationMinutes: 60, subject: "mathematics" });
  const id: string = res.json.booking.id;
  const calendar = calendarOf(env, tutor.user.id);
  await runInDurableObject(calendar, (_, state) => void state.storage.sql.exec("UPDATE sessions SET created_ms = ? WHERE id = ?", Date.now() - 30 * 86_400_000, id));
  return { tutor, student, id, calendar };
}

/** A 1:1 booked long ago and moved by its tutor within its last day: the 24 h reminder is due at each time (the alarm). */
async function remindedAtEach(): Promise<Scene> {
  const { tutor, student, id, calendar } = await bookedLongAgo();
  return {
    a: slotAhead(20 * 60),
    b: slotAhead(22 * 60),
    move: moveAs(tutor, tutor.user.id, id),
    atEach: async () => {
      await runInDurableObject(calendar, (_, state) => state.storage.setAlarm(Date.now() + 60_000));
      await runDurableObjectAlarm(calendar);
      await drained(tutor.user.id);
    },
    told: async () => (await noticesOf(student.user.id)).filter((n) => n.kind === "reminder").length,
  };
}

/** The unpaid second week of a series whose student has no credit left, moved by the tutor to within 7 days: due at each time. */
async function askedToPayAtEach(): Promise<Scene> {
  const tutor = await approvedTutor();
  const student = await fundedStudent(60);
  const res = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(48 * 60), durationMinutes: 60, subject: "mathematics", repeat: { weeks: 2 } });
  expect(res.status).toBe(201);
  const id: string = res.json.series.occurrences[1].id;
  const calendar = calendarOf(env, tutor.user.id);
  return {
    a: slotAhead(72 * 60),
    b: slotAhead(96 * 60),
    move: moveAs(tutor, tutor.user.id, id),
    atEach: async () => {
      await calendar.chargeDueSeries(Date.now());
      await drained(tutor.user.id);
    },
    told: async () => (await noticesOf(student.user.id)).filter((n) => n.kind === "series_payment_due").length,
  };
}

/** The second week of a series, moved by the tutor; at each time a Calendly event lands on it (then goes, so it can move on). */
async function warnedAtEach(): Promise<Scene> {
  const tutor = await approvedTutor();
  const student = await fundedStudent(600);
  const res = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(48 * 60), durationMinutes: 60, subject: "mathematics", repeat: { weeks: 2 } });
  expect(res.status).toBe(201);
  const id: string = res.json.series.occurrences[1].id;
  const calendar = calendarOf(env, tutor.user.id);
  const tutorId = tutor.user.id;
  // One event per time the week is at (the same event again is no new conflict, wherever the week went since).
  let moves = 0;
  return {
    a: slotAhead(72 * 60),
    b: slotAhead(96 * 60),
    move: async (start) => {
      moves++;
      await moveAs(tutor, tutorId, id)(start);
    },
    atEach: async (start) => {
      const at = Date.parse(start);
      const externalId = `meeting-${moves}`;
      await calendar.upsertBlock({ tutorId, source: "calendly", block: { externalId, start: at, end: at + HOUR, title: "Meeting" }, now: Date.now() });
      await drained(tutorId);
      await calendar.removeBlock({ tutorId, source: "calendly", externalId, now: Date.now() });
    },
    told: async () => (await noticesOf(student.user.id)).filter((n) => n.kind === "series_week_conflict").length,
  };
}

describe("a change that repeats an earlier one is still told", () => {
  it.each<[string, () => Promise<Scene>]>([
    ["a session its tutor moves A → B → back to A: the student is told each move and gets each invitation", () => movedBy("tutor")],
    ["a session its student moves A → B → back to A: the tutor is told each move and the student gets each invitation", () => movedBy("student")],
    ["a session moved A → B → back to A within its last day is reminded at each time", remindedAtEach],
    ["a weekly week the student cannot pay, moved A → B → back to A, asks them to top up at each time", askedToPayAtEach],
    ["a weekly week moved A → B → back to A that the tutor's outside calendar lands on at each time warns the student each time", warnedAtEach],
  ])("%s", async (_, scene) => {
    const s = await scene();
    for (const start of [s.a, s.b, s.a]) {
      await s.move(start);
      // Whatever tells of it at that time, run twice: a retry of the same step says nothing twice.
      await s.atEach(start);
      await s.atEach(start);
    }
    expect(await s.told()).toBe(3);
    await s.also?.();
  });

  it("a session reminded at A, moved to B (its reminder a day off) and back to A, is reminded at A again after being told of the moves, once, student and tutor alike", async () => {
    // Booked long ago: the 24 h reminder applies at whatever time it is moved to.
    const { tutor, student, id, calendar } = await bookedLongAgo();
    const alarm = async () => {
      await runInDurableObject(calendar, (_, state) => state.storage.setAlarm(Date.now() + 60_000));
      await runDurableObjectAlarm(calendar);
      await drained(tutor.user.id);
    };
    const remindersOf = async (userId: string) => (await noticesOf(userId)).filter((n) => n.kind === "reminder").map((n) => n.title);
    const told = async () => ({ student: await remindersOf(student.user.id), tutor: await remindersOf(tutor.user.id), moves: (await noticesOf(student.user.id)).filter((n) => n.kind === "rescheduled").length });
    const move = moveAs(tutor, tutor.user.id, id);
    const a = slotAhead(20 * 60);
    await move(a);
    await alarm();
    const atA = await told();
    expect({ student: atA.student.length, tutor: atA.tutor.length }).toEqual({ student: 1, tutor: 1 });
    // B starts in two days: its 24 h reminder is not due yet.
    await move(slotAhead(50 * 60));
    await alarm();
    expect(await told()).toEqual({ ...atA, moves: 2 });
    // Back at A: told of that move, then reminded of A again (the same words), and only once however often the alarm runs.
    await move(a);
    await alarm();
    await alarm();
    expect(await told()).toEqual({ student: [...atA.student, ...atA.student], tutor: [...atA.tutor, ...atA.tutor], moves: 3 });
  });

  it("a session moved to start within the hour is not told \"In one hour\" (the move's notice gave its time), as one booked then is not", async () => {
    // Booked a month ago, as most lessons moved on the day were.
    const { tutor, student, id, calendar } = await bookedLongAgo();
    const soon = slotAhead(5); // 5 to 35 minutes from now
    await moveAs(tutor, tutor.user.id, id)(soon);
    await drained(tutor.user.id);
    // The calendar's own next alarm (the move's hold running out): nothing forced.
    expect(await runDurableObjectAlarm(calendar)).toBe(true);
    await drained(tutor.user.id);
    const reminders = async (userId: string) => (await noticesOf(userId)).filter((n) => n.kind === "reminder").map((n) => n.title);
    expect({ student: await reminders(student.user.id), tutor: await reminders(tutor.user.id) }).toEqual({ student: [], tutor: [] });
    expect((await noticesOf(student.user.id)).filter((n) => n.kind === "rescheduled")).toHaveLength(1);
  });

  it("a student who leaves a group and takes the seat again is emailed a confirmation with a new invitation; leaving again is told again", async () => {
    const tutor = await approvedTutor();
    const opened = await tutor.client.post("/api/tutors/me/group-sessions", { start: slotAhead(80 * 60), durationMinutes: 60, subject: "mathematics", seats: 4 }, { "Idempotency-Key": crypto.randomUUID() });
    const id = opened.json.booking.id;
    const student = await fundedStudent(600);
    const book = () => student.client.post("/api/bookings", { tutorId: tutor.user.id, start: opened.json.booking.start, durationMinutes: 60, subject: "mathematics", group: true });
    const leave = () => student.client.post(`/api/bookings/${id}/cancel`, {});
    expect((await book()).status).toBe(201);
    await drained(tutor.user.id);
    expect((await leave()).status).toBe(200);
    await drained(tutor.user.id);
    expect((await book()).status).toBe(201);
    await drained(tutor.user.id);
    expect((await invitesFor(student.user.id, id)).map((i) => i.method)).toEqual(["REQUEST", "CANCEL", "REQUEST"]);
    expect((await leave()).status).toBe(200);
    await drained(tutor.user.id);
    expect((await invitesFor(student.user.id, id)).map((i) => i.method)).toEqual(["REQUEST", "CANCEL", "REQUEST", "CANCEL"]);
    expect((await noticesOf(tutor.user.id)).filter((n) => n.kind === "left_group")).toHaveLength(2);
  });
});

describe("a tutor hears of every seat taken in their group", () => {
  type Notice = { kind: string; title: string; body: string; link: string | null };
  const tutorNews = async (client: Client) => (await client.get("/api/notifications")).json.notifications as Notice[];
  const joinedOf = async (client: Client) => (await tutorNews(client)).filter((n) => n.kind === "group_joined");
  /** A tutor of Spanish (UTC) with a group of `seats` seats three days ahead; `locale`: the language they read in. */
  async function spanishGroup(seats: number, locale = "en-US") {
    const tutor = await approvedTutor({ subjects: ["spanish"] });
    await env.DB.prepare("UPDATE users SET name = 'Olivia Bennett', locale = ? WHERE id = ?").bind(locale, tutor.user.id).run();
    const opened = await tutor.client.post("/api/tutors/me/group-sessions", { start: slotAhead(72 * 60), durationMinutes: 60, subject: "spanish", seats }, { "Idempotency-Key": crypto.randomUUID() });
    expect(opened.status).toBe(201);
    return { tutor, id: opened.json.booking.id as string, start: opened.json.booking.start as string };
  }
  const named = async (name: string) => {
    const s = await fundedStudent(600);
    await env.DB.prepare("UPDATE users SET name = ? WHERE id = ?").bind(name, s.user.id).run();
    return s;
  };
  const seat = (client: Client, tutorId: string, start: string, key = crypto.randomUUID()) =>
    client.post("/api/bookings", { tutorId, start, durationMinutes: 60, subject: "spanish", group: true }, { "Idempotency-Key": key });

  it("tells the tutor who joined, which group and how many of its seats are taken (inbox and email), in the tutor's language", async () => {
    const { tutor, id, start } = await spanishGroup(4);
    expect((await seat((await named("Ana Ruiz")).client, tutor.user.id, start)).status).toBe(201);
    expect((await seat((await named("Lucía Pérez")).client, tutor.user.id, start)).status).toBe(201);
    await drained(tutor.user.id);
    const joined = await joinedOf(tutor.client);
    const lucia = joined.find((n) => n.title.startsWith("Lucía Pérez joined your Spanish group, "));
    expect(lucia).toMatchObject({ link: `/sessions/${id}` });
    expect(lucia!.body).toMatch(/^Lucía Pérez took a seat in your Spanish group session of .+\. 2 of 4 seats are taken now\.$/);
    expect(joined.find((n) => n.title.startsWith("Ana Ruiz joined"))!.body).toContain("1 of 4 seats are taken now.");
    // Emailed as a 1:1 booking is (bookings with a tutor always reach them).
    expect((await mailsOf(tutor.user.id)).map((m) => m.subject)).toContain(lucia!.title);

    const es = await spanishGroup(3, "es-ES");
    expect((await seat((await named("Lucía Pérez")).client, es.tutor.user.id, es.start)).status).toBe(201);
    await drained(es.tutor.user.id);
    const [news] = await joinedOf(es.tutor.client);
    expect(news!.title).toMatch(/^Lucía Pérez se unió a tu grupo de Español, /);
    expect(news!.body).toMatch(/^Lucía Pérez reservó una plaza en tu sesión de grupo de Español del .+\. Ahora hay 1 de 3 plazas ocupadas\.$/);
  });

  it("a student who leaves and takes the seat again is told of again; a retry of the same seat is not", async () => {
    const { tutor, id, start } = await spanishGroup(4);
    const maya = await named("Maya Lopez");
    const key = crypto.randomUUID();
    expect((await seat(maya.client, tutor.user.id, start, key)).status).toBe(201);
    expect((await seat(maya.client, tutor.user.id, start, key)).status).toBeLessThan(300);
    await drained(tutor.user.id);
    expect(await joinedOf(tutor.client)).toHaveLength(1);
    expect((await maya.client.post(`/api/bookings/${id}/cancel`, {})).status).toBe(200);
    expect((await seat(maya.client, tutor.user.id, start)).status).toBe(201);
    await drained(tutor.user.id);
    const joined = await joinedOf(tutor.client);
    expect(joined.map((n) => n.title.startsWith("Maya Lopez joined"))).toEqual([true, true]);
  });

  it("a seat taken from the waitlist is told to the tutor like any other", async () => {
    const { tutor, id, start } = await spanishGroup(2);
    const ana = await named("Ana Ruiz");
    const booked = await seat(ana.client, tutor.user.id, start);
    expect(booked.status).toBe(201);
    expect((await seat((await named("Cleo Park")).client, tutor.user.id, start)).status).toBe(201);
    const ben = await named("Ben Okafor");
    expect((await ben.client.post(`/api/group-sessions/${id}/waitlist`, {}, { "Idempotency-Key": crypto.randomUUID() })).status).toBe(201);
    expect((await ana.client.post(`/api/bookings/${booked.json.booking.id}/cancel`, {})).status).toBe(200);
    expect((await seat(ben.client, tutor.user.id, start)).status).toBe(201);
    await drained(tutor.user.id);
    const ben1 = (await joinedOf(tutor.client)).find((n) => n.title.startsWith("Ben Okafor joined your Spanish group"));
    expect(ben1?.body).toContain("2 of 2 seats are taken now.");
  });

  it("a weekly seat in a group is told once for the whole series, not once per week", async () => {
    const tutor = await approvedTutor({ subjects: ["spanish"] });
    const first = slotAhead(72 * 60);
    for (const start of [first, new Date(Date.parse(first) + 7 * 86_400_000).toISOString()]) {
      expect((await tutor.client.post("/api/tutors/me/group-sessions", { start, durationMinutes: 60, subject: "spanish", seats: 4 }, { "Idempotency-Key": crypto.randomUUID() })).status).toBe(201);
    }
    const maya = await named("Maya Lopez");
    const res = await maya.client.post("/api/bookings", { tutorId: tutor.user.id, start: first, durationMinutes: 60, subject: "spanish", group: true, repeat: { weeks: 2 } });
    expect(res.status).toBe(201);
    expect(res.json.series.occurrences).toHaveLength(2);
    await drained(tutor.user.id);
    const aboutMaya = (await tutorNews(tutor.client)).filter((n) => n.title.includes("Maya Lopez"));
    expect(aboutMaya.map((n) => n.kind)).toEqual(["series_booked"]);
  });
});

describe("switches and calendar invitations", () => {
  it("a student with 'Cancellations and changes' on and 'Replacement tutors' off is emailed that the tutor cancelled, with the .ics CANCEL", async () => {
    await approvedTutor({ subjects: ["mathematics"] });
    const tutor = await approvedTutor({ subjects: ["mathematics"] });
    const student = await fundedStudent(600);
    expect((await student.client.put("/api/me/notification-settings", { email: { offers: false } })).json.settings.email).toMatchObject({ cancellations: true, offers: false });
    const res = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(72 * 60), durationMinutes: 60, subject: "mathematics" });
    await drained(tutor.user.id);
    expect((await tutor.client.post(`/api/bookings/${res.json.booking.id}/cancel`, { reason: "I am ill" })).status).toBe(200);
    await drained(tutor.user.id);
    expect((await noticesOf(student.user.id)).map((n) => n.kind)).toContain("tutor_cancelled_offers");
    expect((await mailsOf(student.user.id)).some((m) => /cancelled your Mathematics session/.test(m.subject))).toBe(true);
    expect((await invitesFor(student.user.id, res.json.booking.id)).map((i) => i.method)).toEqual(["REQUEST", "CANCEL"]);
  });
});

describe("marking many notifications read", () => {
  it("marks 100 notifications read in one go (the most one request may name)", async () => {
    const student = await signup("student");
    const ids = Array.from({ length: 100 }, () => crypto.randomUUID());
    const at = new Date().toISOString();
    await env.DB.batch(ids.map((id) => env.DB.prepare("INSERT INTO notifications (id, user_id, kind, title, body, created_at) VALUES (?, ?, 'test', 'Hello', 'A notice', ?)").bind(id, student.user.id, at)));
    expect((await student.client.get("/api/notifications")).json.unread).toBe(100);
    const res = await student.client.post("/api/notifications/read", { ids });
    expect(res.status, res.text).toBe(204);
    expect((await student.client.get("/api/notifications")).json.unread).toBe(0);
  });
});
