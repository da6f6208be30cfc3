import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { chargeAt, releaseAt } from "../../domain/series";
import { AttachmentsSchema } from "../../platform/integrations/email/sender";
import { calendarOf } from "../../worker/lib/stubs";
import { Client, approvedTutor, drained, fund, fundedStudent, signup, slotAhead, uniqueEmail } from "./helpers";
import { subscribed } from "./stripeHelpers";

/**
 * Issue 16.2: the server writes to each person in their own language — the one their account stores, chosen at
 * signup from what their browser asks for (Accept-Language) and changed in their settings.
 */
type Mail = { subject: string; text: string; attachments: string | null };
const mailsTo = async (userId: string) =>
  (await env.DB.prepare("SELECT subject, text, attachments FROM email_outbox WHERE user_id = ? ORDER BY created_at, rowid").bind(userId).all<Mail>()).results;
const mailsToAddress = async (email: string) =>
  (await env.DB.prepare("SELECT subject, text FROM email_outbox WHERE to_email = ? ORDER BY created_at, rowid").bind(email).all<Mail>()).results;

/** A student who speaks `locale` (set in their account settings) with one 1:1 mathematics session booked 3 days ahead. */
async function bookedIn(locale: string) {
  const tutor = await approvedTutor({ subjects: ["mathematics"] });
  await env.DB.prepare("UPDATE users SET name = 'Olivia Bennett' WHERE id = ?").bind(tutor.user.id).run();
  const student = await signup("student", { name: "Maya Lopez" });
  expect((await student.client.request("PATCH", "/api/me", { locale })).status).toBe(200);
  await fund(student.user.id, 600);
  const res = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(72 * 60), durationMinutes: 60, subject: "mathematics" });
  expect(res.status).toBe(201);
  await calendarOf(env, tutor.user.id).settle();
  const confirmation = (await mailsTo(student.user.id)).find((m) => m.attachments);
  expect(confirmation).toBeDefined();
  return { tutor, student, confirmation: confirmation!, booking: res.json.booking as { id: string; start: string } };
}

describe("a new account's language", () => {
  it("comes from Accept-Language when the signup form does not say, and the first email is in it", async () => {
    const email = uniqueEmail("student");
    const res = await new Client().post(
      "/api/auth/signup",
      { email, password: "correct horse battery", name: "Lucía Gómez", role: "student", timezone: "America/Mexico_City" },
      { "Accept-Language": "fr-CA,fr;q=0.9,es-MX;q=0.8,en;q=0.5" },
    );
    expect(res.status).toBe(201);
    expect(res.json.user).toMatchObject({ locale: "es-MX" });
    const [verify] = await mailsToAddress(email);
    expect(verify).toMatchObject({ subject: "Confirma tu dirección de correo" });
    // The link goes to an address nobody has confirmed yet: it greets no name a stranger may have typed.
    expect(verify!.text.startsWith("Hola:\n")).toBe(true);
    expect(verify!.text).toContain("El enlace funciona hasta el");
  });

  it("is the one the form sends (the language the visitor switched to), over the browser's", async () => {
    const res = await new Client().post(
      "/api/auth/signup",
      { email: uniqueEmail("student"), password: "correct horse battery", name: "Omar", role: "student", timezone: "Asia/Riyadh", locale: "ar" },
      { "Accept-Language": "en-US" },
    );
    expect(res.json.user).toMatchObject({ locale: "ar" });
  });

  it("is English when the browser asks for none we ship", async () => {
    const res = await new Client().post("/api/auth/signup", { email: uniqueEmail("student"), password: "correct horse battery", name: "Jonas", role: "student", timezone: "Europe/Berlin" }, { "Accept-Language": "de-DE" });
    expect(res.json.user).toMatchObject({ locale: "en" });
  });
});

describe("booking emails in the reader's language", () => {
  it("confirms a Spanish speaker's booking in Spanish: subject, greeting, subject name, credit and a 24-hour time", async () => {
    const { confirmation, booking } = await bookedIn("es-ES");
    expect(confirmation.subject).toMatch(/^Reserva hecha: Matemáticas con Olivia Bennett, /);
    expect(confirmation.text.startsWith("Hola, Maya:\n")).toBe(true);
    expect(confirmation.text).toContain("Tu sesión de Matemáticas con Olivia Bennett está confirmada para el");
    expect(confirmation.text).toContain("Costó 1 h de crédito.");
    expect(confirmation.text).toContain("Añádela a tu calendario:");
    // Berlin is the student's zone; Spanish writes the time on a 24-hour clock, its own short way (9:00, 0:00).
    const hhmm = new Intl.DateTimeFormat("es-ES", { timeZone: "Europe/Berlin", timeStyle: "short" }).format(Date.parse(booking.start));
    expect(confirmation.subject).toContain(hhmm);
    expect(confirmation.subject).not.toMatch(/AM|PM/);
    expect(confirmation.text).toMatch(/— El equipo de Tutorly$/);
  });

  it("puts an Arabic calendar event (summary, description, LANGUAGE=ar) in an Arabic speaker's invitation, and tells the English-speaking tutor in English", async () => {
    const { confirmation, tutor } = await bookedIn("ar");
    expect(confirmation.subject).toMatch(/^تم الحجز: الرياضيات مع \u2068Olivia Bennett\u2069، /);
    const [file] = AttachmentsSchema.parse(JSON.parse(confirmation.attachments ?? "[]"));
    const event = new ICAL.Component(ICAL.parse(file!.content)).getFirstSubcomponent("vevent")!;
    const summary = event.getFirstProperty("summary")!;
    expect(summary.getFirstValue()).toBe("الرياضيات مع \u2068Olivia Bennett\u2069");
    expect(summary.getParameter("language")).toBe("ar");
    expect(String(event.getFirstPropertyValue("description"))).toMatch(/^جلستك على Tutorly مع \u2068Olivia Bennett\u2069\. انضم من /);
    const news = (await tutor.client.get("/api/notifications")).json.notifications as { title: string }[];
    expect(news[0]!.title).toBe("New Mathematics session with Maya Lopez");
  });

  it("writes a cancellation's calendar CANCEL in the reader's language too", async () => {
    const { student, booking, tutor } = await bookedIn("es");
    expect((await student.client.post(`/api/bookings/${booking.id}/cancel`, {})).status).toBe(200);
    await calendarOf(env, tutor.user.id).settle();
    const mails = (await mailsTo(student.user.id)).filter((m) => m.attachments);
    const cancel = mails.at(-1)!;
    expect(cancel.subject).toMatch(/^Cancelaste Matemáticas con Olivia Bennett, /);
    const [file] = AttachmentsSchema.parse(JSON.parse(cancel.attachments ?? "[]"));
    const event = new ICAL.Component(ICAL.parse(file!.content)).getFirstSubcomponent("vevent")!;
    expect(event.getFirstPropertyValue("summary")).toBe("Cancelada: Matemáticas con Olivia Bennett");
  });
});

/**
 * A refused request is answered in the asker's language: the signed-in account's, else the browser's
 * (Accept-Language). The schemas name their own words from the error table (domain/schemas/humanErrors.ts), so
 * no English of a schema's own reaches a Spanish or Arabic speaker. Status and code stay as they are.
 */
describe("refusals in the asker's language", () => {
  type Issue = { path: string; message: string };
  const ARABIC = /[\u0600-\u06FF]/;
  const refusedSignup = { email: "nope", password: "short", name: "", role: "teacher", timezone: "Mars/Olympus", locale: "english please" };
  const issuesOf = (res: { status: number; json: any }) => {
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("invalid_request");
    return Object.fromEntries((res.json.error.issues as Issue[]).map((i) => [i.path, i.message]));
  };
  const signupIn = async (acceptLanguage: string) => issuesOf(await new Client().post("/api/auth/signup", refusedSignup, { "Accept-Language": acceptLanguage }));

  it("refuses a Spanish speaker's signup in Spanish, field by field", async () => {
    const said = await signupIn("es-MX,es;q=0.9");
    const english = await signupIn("en-US");
    expect(Object.keys(said).sort()).toEqual(["email", "locale", "name", "password", "role", "timezone"]);
    for (const [path, message] of Object.entries(said)) expect(message, path).not.toBe(english[path]);
    expect(said).toMatchObject({
      name: "Dinos tu nombre.",
      password: "Usa al menos 8 caracteres.",
      role: "Elige si eres estudiante o tutor.",
      email: "Escribe un correo como nombre@ejemplo.com.",
    });
    expect(english).toMatchObject({ name: "Tell us your name.", role: "Choose student or tutor." });
  });

  it("refuses an Arabic speaker's signup in Arabic", async () => {
    const said = await signupIn("ar-EG,ar;q=0.9,en;q=0.5");
    expect(Object.keys(said).length).toBe(6);
    for (const [path, message] of Object.entries(said)) expect(message, path).toMatch(ARABIC);
    expect(said.name).toBe("أخبرنا باسمك.");
  });

  it("refuses a password reset with a broken link and a short password in the reader's language", async () => {
    const body = { token: "not-a-token", password: "short" };
    const es = issuesOf(await new Client().post("/api/auth/password-reset/confirm", body, { "Accept-Language": "es" }));
    expect(es).toEqual({ token: "Este enlace no es válido.", password: "Usa al menos 8 caracteres." });
    const ar = issuesOf(await new Client().post("/api/auth/password-reset/confirm", body, { "Accept-Language": "ar" }));
    expect(ar).toEqual({ token: "هذا الرابط غير صالح.", password: "استخدم 8 أحرف على الأقل." });
  });

  it("speaks a signed-in person's own language (their account's), whatever the browser asks for", async () => {
    const { client } = await signup("student");
    expect((await client.request("PATCH", "/api/me", { locale: "es-ES" })).status).toBe(200);
    const res = await client.request("PATCH", "/api/me", {}, { "Accept-Language": "en-US" });
    expect(issuesOf(res)).toEqual({ "": "Cambia al menos un campo." });
  });
});

/**
 * Weekly lessons' notices (booked, top up, released, a pause's skipped weeks) and a group's reminder are written
 * in the reader's language, reasons and counts included: nothing of the English wording reaches them.
 */
describe("weekly lessons' emails in the reader's language", () => {
  const english = /\b(Weekly|Top up|released|with you every week|Add credits before|Your plan is paused|The student paused|was not paid in time|students)\b/;
  const speak = (userId: string, locale: string, timezone?: string) =>
    timezone
      ? env.DB.prepare("UPDATE users SET locale = ?, timezone = ? WHERE id = ?").bind(locale, timezone, userId).run()
      : env.DB.prepare("UPDATE users SET locale = ? WHERE id = ?").bind(locale, userId).run();
  const told = async (...userIds: string[]) => (await Promise.all(userIds.map(mailsTo))).flat().filter((m) => !m.subject.startsWith("Confirm your email"));

  it("series booked (tutor, es), top up and released (student, ar + Asia/Tokyo)", async () => {
    const tutor = await approvedTutor();
    await speak(tutor.user.id, "es");
    const student = await fundedStudent(60);
    await speak(student.user.id, "ar", "Asia/Tokyo");
    const res = await student.client.post("/api/bookings", { tutorId: tutor.user.id, subject: "mathematics", durationMinutes: 60, start: slotAhead(2 * 24 * 60), repeat: { weeks: 2 } });
    expect(res.status).toBe(201);
    await drained(tutor.user.id);
    const second = Date.parse(res.json.series.occurrences[1].start);
    for (const at of [chargeAt(second), releaseAt(second)]) {
      await calendarOf(env, tutor.user.id).chargeDueSeries(at);
      await drained(tutor.user.id);
    }
    const mails = await told(tutor.user.id, student.user.id);
    expect(mails.length).toBeGreaterThanOrEqual(4);
    for (const m of mails) expect.soft(`${m.subject}\n${m.text}`).not.toMatch(english);
  });

  it("a plan's pause: the reason given to a Spanish student and an Arabic tutor", async () => {
    const tutor = await approvedTutor();
    await speak(tutor.user.id, "ar");
    const s = await subscribed("starter");
    await speak(s.user.id, "es", "America/New_York");
    await fund(s.user.id, 600);
    expect((await s.client.post("/api/bookings", { tutorId: tutor.user.id, subject: "mathematics", durationMinutes: 60, start: slotAhead(2 * 24 * 60), repeat: { weeks: 4 } })).status).toBe(201);
    await drained(tutor.user.id);
    expect((await s.client.post("/api/billing/pause", { weeks: 2 })).status).toBe(200);
    await drained(tutor.user.id);
    const mails = await told(s.user.id, tutor.user.id);
    expect(mails.filter((m) => /plan|خطت/.test(m.text)).length).toBeGreaterThanOrEqual(2);
    for (const m of mails) expect.soft(`${m.subject}\n${m.text}`).not.toMatch(english);
  });

  it("a Spanish tutor's reminder of a group session", async () => {
    const tutor = await approvedTutor();
    await speak(tutor.user.id, "es");
    const opened = await tutor.client.post("/api/tutors/me/group-sessions", { start: slotAhead(80 * 60), durationMinutes: 60, subject: "mathematics", seats: 4 }, { "Idempotency-Key": crypto.randomUUID() });
    const id = opened.json.booking.id;
    for (let i = 0; i < 2; i++) {
      const st = await fundedStudent(600);
      expect((await st.client.post("/api/bookings", { tutorId: tutor.user.id, start: opened.json.booking.start, durationMinutes: 60, subject: "mathematics", group: true })).status).toBe(201);
    }
    await drained(tutor.user.id);
    const start = Date.now() + 50 * 60_000;
    const stub = calendarOf(env, tutor.user.id);
    await runInDurableObject(stub, async (_, state) => {
      state.storage.sql.exec("UPDATE sessions SET start_ms = ?, end_ms = ?, created_ms = ? WHERE id = ?", start, start + 3_600_000, Date.now() - 30 * 86_400_000, id);
    });
    await runInDurableObject(stub, (_, state) => state.storage.setAlarm(Date.now() + 60_000));
    await runDurableObjectAlarm(stub);
    await stub.settle();
    const reminder = (await mailsTo(tutor.user.id)).find((m) => m.subject.startsWith("Dentro de una hora"))!;
    expect(`${reminder.subject}\n${reminder.text}`).not.toMatch(english);
    expect(reminder.subject).toContain("2 estudiantes");
  });
});
