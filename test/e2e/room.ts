import { expect } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { bookFirstHour, contextIn, logIn, moveToNow } from "./helpers";

const MINUTE = 60_000;

/** Books the tutor's first free hour as the signed-in student of `page`, then moves it to have started a minute ago. */
export async function sessionStartingNow(page: Page, url: string, tutor: string): Promise<string> {
  const { id } = await bookFirstHour(page, url, tutor);
  await moveToNow(page, url, id);
  return id;
}

/** The tutor of `page` opens a group session on their first free hour; each student takes a seat; it is moved to now. */
export async function groupStartingNow(tutorPage: Page, url: string, tutor: string, students: Page[], seats = 4): Promise<string> {
  const api = (path: string) => `${url}/api${path}`;
  const t = (await (await tutorPage.request.get(api(`/tutors/${tutor}`))).json()) as { tutor: { subjects: string[] } };
  const from = new Date(Date.now() + 60 * MINUTE).toISOString();
  const to = new Date(Date.now() + 14 * 24 * 60 * MINUTE).toISOString();
  const { slots } = (await (await tutorPage.request.get(api(`/tutors/${tutor}/slots?from=${from}&to=${to}&duration=60`))).json()) as { slots: { start: string }[] };
  const subject = t.tutor.subjects[0]!;
  // A student can already be busy at the tutor's first free hour (an earlier test's session there was moved to now,
  // but its time stays claimed): the tutor then cancels that group and opens the next free hour.
  for (const slot of slots) {
    const opened = await tutorPage.request.post(api("/tutors/me/group-sessions"), {
      data: { start: slot.start, durationMinutes: 60, subject, seats },
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    expect(opened.status()).toBe(201);
    const { booking } = (await opened.json()) as { booking: { id: string } };
    let busy = false;
    for (const page of students) {
      const seat = await page.request.post(api("/bookings"), {
        data: { tutorId: tutor, start: slot.start, durationMinutes: 60, subject, group: true },
        headers: { "Idempotency-Key": crypto.randomUUID() },
      });
      busy = seat.status() === 409 && (await seat.text()).includes('"student_busy"');
      if (busy) break;
      expect(seat.status()).toBe(201);
    }
    if (busy) {
      expect((await tutorPage.request.post(api(`/bookings/${booking.id}/cancel`), { data: {} })).status()).toBe(200);
      continue;
    }
    await moveToNow(tutorPage, url, booking.id);
    return booking.id;
  }
  throw new Error(`No free hour of tutor ${tutor} in the next two weeks suits every student`);
}

/** Opens the room's device check and waits for the fake camera's preview. */
export async function passDeviceCheck(page: Page, url: string, bookingId: string) {
  await page.goto(`${url}/sessions/${bookingId}/room`);
  await page.getByRole("heading", { name: "Check your camera and microphone" }).waitFor();
  // The fake camera's preview plays before joining.
  await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>(".preview video")?.videoWidth ?? 0) > 0);
  await page.getByLabel("Camera", { exact: true }).locator("option").first().waitFor({ state: "attached" });
}

/** Passes the device check and joins (camera and microphone on unless said otherwise); resolves once connected. */
export async function enterRoom(page: Page, url: string, bookingId: string, start: { camera?: boolean; mic?: boolean } = {}) {
  await passDeviceCheck(page, url, bookingId);
  if (start.camera === false) await page.getByLabel("Camera on").uncheck();
  if (start.mic === false) await page.getByLabel("Microphone on").uncheck();
  await page.getByRole("button", { name: "Join session" }).click();
  await page.getByTestId("room-status").getByText("Connected").waitFor();
}

/** At least `count` remote tiles whose <video> is playing real frames. */
export const remoteVideoPlaying = (page: Page, count = 1, timeout = 60_000) =>
  page.waitForFunction(
    (n) =>
      Array.from(document.querySelectorAll<HTMLVideoElement>(".tile[data-remote] video")).filter((v) => !v.paused && v.readyState >= 2 && v.videoWidth > 0 && v.currentTime > 0).length >= n,
    count,
    { timeout },
  );

/** Frames keep arriving from every remote tile: each one's playback time moves on. */
export async function remoteVideoAdvancing(page: Page, timeout = 60_000) {
  const before = await page.locator(".tile[data-remote] video").evaluateAll((vs) => (vs as HTMLVideoElement[]).map((v) => v.currentTime));
  await page.waitForFunction(
    (t0) => Array.from(document.querySelectorAll<HTMLVideoElement>(".tile[data-remote] video")).every((v, i) => v.readyState >= 2 && v.currentTime > (t0[i] ?? 0) + 0.5),
    before,
    { timeout },
  );
}

/** Each person signed in in a browser context of their own zone, at once: `[email, zone]` pairs, in order. */
export async function signedIn(browser: Browser, url: string, people: [email: string, zone: string][]): Promise<{ pages: Page[]; contexts: BrowserContext[] }> {
  const contexts = await Promise.all(people.map(([, zone]) => contextIn(browser, zone)));
  const pages = await Promise.all(people.map(([email], i) => logIn(contexts[i]!, url, email)));
  return { pages, contexts };
}
