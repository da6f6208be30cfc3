import { DateTime } from "luxon";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";

/** A browser context in a given zone and locale (en-US keeps formatted times predictable). */
export const contextIn = (browser: Browser, timezoneId: string, width = 1280) =>
  browser.newContext({ timezoneId, locale: "en-US", viewport: { width, height: width > 500 ? 900 : 844 } });

export async function logIn(context: BrowserContext, url: string, email: string, password = "tutorly-demo"): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(/\/(dashboard|admin)$/);
  return page;
}

/** The newest link of `path` (e.g. "verify-email") mailed to `email`, from the local dev mailbox, as path and query. */
export async function mailedLink(url: string, email: string, path: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${url}/api/dev/mailbox`);
    const { emails } = (await res.json()) as { emails: { toEmail: string; links: string[] }[] };
    const link = emails.filter((m) => m.toEmail === email).flatMap((m) => m.links).find((l) => l.includes(`/${path}?token=`));
    if (link) return new URL(link).pathname + new URL(link).search;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no ${path} link for ${email}`);
}

/**
 * Signs a new person up in `context` (its cookie is theirs) and confirms their email from the mailed link, as a
 * newcomer would before booking (students with an unconfirmed email are refused with 403 `email_unverified`).
 */
export async function signUpVerified(
  context: BrowserContext,
  url: string,
  person: { email: string; password: string; name: string; role: "student" | "tutor"; timezone: string },
): Promise<{ id: string }> {
  const signup = await context.request.post(`${url}/api/auth/signup`, { data: person });
  if (signup.status() !== 201) throw new Error(`signup failed: ${signup.status()} ${await signup.text()}`);
  const { user } = (await signup.json()) as { user: { id: string } };
  const token = new URLSearchParams((await mailedLink(url, person.email, "verify-email")).split("?")[1]).get("token");
  const verified = await context.request.post(`${url}/api/auth/verify-email`, { data: { token } });
  if (verified.status() !== 200) throw new Error(`email confirmation failed: ${verified.status()} ${await verified.text()}`);
  return { id: user.id };
}

/** The id of a seeded tutor, by name, from the public search API. */
export async function tutorId(url: string, name: string): Promise<string> {
  const res = await fetch(`${url}/api/tutors?limit=50`);
  const { tutors } = (await res.json()) as { tutors: { id: string; name: string }[] };
  const t = tutors.find((x) => x.name === name);
  if (!t) throw new Error(`No seeded tutor named ${name}`);
  return t.id;
}

const HOUR = 3_600_000;

/** Waits until the week shown has loaded: its times, or the line saying it has none. */
async function weekLoaded(page: Page) {
  await page.locator(".week").first().waitFor();
  await page.locator('.week[aria-busy="true"]').waitFor({ state: "detached" });
  await page.waitForFunction(() => document.querySelectorAll(".week .slot-chip[data-start]").length > 0 || document.querySelector(".week-empty"));
}

/**
 * The first bookable slot button starting at least `hoursAhead` from now (and passing `fits`, given the week's free
 * starts), paging forward a few weeks if needed. Slots are identified by their UTC `data-start`, never by wall-clock
 * text.
 */
export async function firstSlotAfter(page: Page, hoursAhead = 48, fits: (start: number, free: Set<number>) => boolean = () => true): Promise<string> {
  const earliest = Date.now() + hoursAhead * HOUR;
  for (let week = 0; week < 4; week++) {
    await weekLoaded(page);
    const starts = await page.locator(".week button.slot-chip[data-start]").evaluateAll((els) => els.map((e) => e.getAttribute("data-start")!));
    const free = new Set(starts.map((s) => Date.parse(s)));
    const hit = starts.find((s) => Date.parse(s) >= earliest && fits(Date.parse(s), free));
    if (hit) return hit;
    await showNextWeek(page);
  }
  throw new Error("No slot found in the next 4 weeks");
}

/**
 * Waits for the week of times shown and, when it has none left (late in the week, past the tutor's last start or
 * notice), moves on to the next week, which must have some.
 */
export async function showWeekWithSlots(page: Page) {
  for (let week = 0; week < 2; week++) {
    await weekLoaded(page);
    if (await page.locator(".week .slot-chip[data-start]").count()) return;
    await showNextWeek(page);
  }
  throw new Error("Neither this week nor the next has a free time");
}

/** `ms` moved by whole weeks at the same wall-clock time in `zone` (a clock change in between moves it in UTC). */
export const weeksFrom = (ms: number, weeks: number, zone: string): number => DateTime.fromMillis(ms, { zone }).plus({ weeks }).toMillis();

/**
 * Clicks "Next week" and waits until that week is the one shown (its times may still be loading, and say so): read
 * any sooner, the previous week's chips would be read again and a whole week skipped.
 */
export async function showNextWeek(page: Page) {
  const shown = await page.locator(".week-range").first().textContent();
  // By its place, not its name: pages in Arabic or Spanish name it in their language.
  await page.locator(".week-nav button").last().click();
  await page.waitForFunction((before) => document.querySelector(".week-range")?.textContent !== before, shown);
}

/**
 * How many weekly lessons from `start`, kept at its wall-clock time in `zone`, reach a week past `zone`'s next clock
 * change (at least `atLeast`): a series that long has weeks the change moves, whatever the date today.
 */
export function weeksPastClockChange(start: string, zone: string, atLeast = 1): number {
  const first = DateTime.fromISO(start, { zone });
  for (let week = 1; week < 52; week++) if (first.plus({ weeks: week }).offset !== first.offset) return Math.max(atLeast, week + 2);
  throw new Error(`${zone} changes its clocks in no week of the year from ${start}`);
}

/** Chooses `lang` in the footer's language switcher. */
export const chooseLanguage = (page: Page, lang: "en" | "es" | "ar") => page.locator(".language-switcher select").selectOption(lang);

/** Chooses `lang` in the footer while signed in, and waits until the account has saved it (a visit could cut it short). */
export async function chooseLanguageOnAccount(page: Page, lang: "en" | "es" | "ar") {
  const saved = page.waitForResponse((r) => r.url().endsWith("/api/me") && r.request().method() === "PATCH");
  await chooseLanguage(page, lang);
  expect((await saved).status()).toBe(200);
}

/** The Monday (YYYY-MM-DD) of the week `iso` falls in, in `zone`: the tutor page's `week`. */
export function mondayIn(iso: string, zone: string): string {
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date(iso));
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 24 * HOUR).toISOString().slice(0, 10);
}

export const slotButton = (page: Page, start: string) => page.locator(`.week button.slot-chip[data-start="${start}"]`);

/** Books the tutor's first free hour (an hour or more ahead) as the signed-in student of `page`, through the API. */
export async function bookFirstHour(page: Page, url: string, tutor: string): Promise<{ id: string; start: string }> {
  const t = (await (await page.request.get(`${url}/api/tutors/${tutor}`)).json()) as { tutor: { subjects: string[] } };
  const range = new URLSearchParams({ from: new Date(Date.now() + HOUR).toISOString(), to: new Date(Date.now() + 14 * 24 * HOUR).toISOString(), duration: "60" });
  const { slots } = (await (await page.request.get(`${url}/api/tutors/${tutor}/slots?${range}`)).json()) as { slots: { start: string }[] };
  if (!slots.length) throw new Error(`No free hour for tutor ${tutor} in the next two weeks`);
  // The tutor's first free hour can be one the student already spends with another tutor (an earlier test booked
  // it): the student is then busy (409 student_busy) and the next free hour is the first one they can take. The
  // first hour can also pass the tutor's notice between listing and booking (409 slot_unavailable).
  for (const slot of slots) {
    const booked = await page.request.post(`${url}/api/bookings`, {
      data: { tutorId: tutor, start: slot.start, durationMinutes: 60, subject: t.tutor.subjects[0] },
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    if (booked.status() === 201) return ((await booked.json()) as { booking: { id: string; start: string } }).booking;
    const body = await booked.text();
    if (booked.status() !== 409 || !/"(student_busy|slot_unavailable)"/.test(body)) throw new Error(`Booking failed: ${booked.status()} ${body}`);
  }
  throw new Error(`No hour of tutor ${tutor} in the next two weeks is free for this student`);
}

/**
 * Puts a booking in progress (started a minute ago, an hour long) through the development-only route: bookings
 * respect the tutor's notice, so a session can't be booked for now.
 */
export async function moveToNow(page: Page, url: string, bookingId: string) {
  const start = Date.now() - 60_000;
  const moved = await page.request.post(`${url}/api/dev/bookings/${bookingId}/move`, { data: { start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString() } });
  if (moved.status() !== 200) throw new Error(`Moving the booking failed: ${moved.status()} ${await moved.text()}`);
}

/**
 * A lesson the student of `student` had with the tutor of `tutor` that is over: booked through the API, moved to
 * now (development route), ended by the tutor, then moved to `start` in the past.
 */
export async function pastLesson(student: Page, tutor: Page, url: string, tutorUserId: string, start: number): Promise<string> {
  const booking = await bookFirstHour(student, url, tutorUserId);
  await moveToNow(student, url, booking.id);
  const ended = await tutor.request.post(`${url}/api/bookings/${booking.id}/end`);
  if (ended.status() !== 200) throw new Error(`Ending the lesson failed: ${ended.status()} ${await ended.text()}`);
  const moved = await student.request.post(`${url}/api/dev/bookings/${booking.id}/move`, { data: { start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString() } });
  if (moved.status() !== 200) throw new Error(`Moving the lesson failed: ${moved.status()} ${await moved.text()}`);
  return booking.id;
}
