import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { bookFirstHour, contextIn, logIn, tutorId } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;
useApp((s, b) => ((server = s), (browser = b)));

/** Console errors, uncaught exceptions and WebSockets a page opens from now on. */
function watch(page: Page) {
  const errors: string[] = [];
  const sockets: string[] = [];
  page.on("console", (m) => m.type() === "error" && !/Failed to load resource: .* 404/.test(m.text()) && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
  page.on("websocket", (ws) => sockets.push(new URL(ws.url()).pathname));
  return { errors, sockets };
}

/** Enters a booking's room as the signed-in user of `page` the way the room page does: join, then its socket (kept open). */
async function inRoomSocket(page: Page, bookingId: string) {
  await page.goto(`${server.url}/sessions/${bookingId}`);
  const joined = await page.request.post(`${server.url}/api/bookings/${bookingId}/join`);
  expect(joined.status()).toBe(200);
  const { room } = (await joined.json()) as { room: { path: string; ticket: string } };
  const welcomed = await page.evaluate(
    ({ path, ticket }) =>
      new Promise<boolean>((resolve) => {
        const ws = new WebSocket(`${location.origin.replace(/^http/, "ws")}${path}?ticket=${encodeURIComponent(ticket)}`);
        (window as unknown as { roomSocket: WebSocket }).roomSocket = ws;
        ws.onmessage = (e) => JSON.parse(String(e.data)).type === "welcome" && resolve(true);
        ws.onclose = () => resolve(false);
      }),
    room,
  );
  expect(welcomed).toBe(true);
}

describe("/sessions/:id: the page links lead to", () => {
  it("shows a student their session — when in their zone, who, status, receipt — and the tutor sees the student by name", async () => {
    const maya = await logIn(await contextIn(browser, "America/Chicago"), server.url, "maya@tutorly.dev");
    const booking = await bookFirstHour(maya, server.url, await tutorId(server.url, "Olivia Bennett"));
    await maya.goto(`${server.url}/sessions/${booking.id}`);
    await maya.getByRole("heading", { level: 1, name: /with Olivia Bennett$/ }).waitFor();
    const when = maya.locator("section", { has: maya.getByRole("heading", { name: "When" }) });
    await expect.poll(() => when.innerText()).toContain("America/Chicago");
    expect(await maya.locator('[data-status="confirmed"] .badge').first().innerText()).toBe("Confirmed");
    expect(await maya.getByTestId("receipt").innerText()).toMatch(/\d+ (h|min)( \d+ min)? of credit/); // the tutor's price (prices per tutor)
    expect(await maya.getByRole("link", { name: "Google Calendar" }).getAttribute("href")).toMatch(/^https:\/\/calendar\.google\.com\//);
    await shot(maya, "session-page-student");

    const olivia = await logIn(await contextIn(browser, "America/New_York"), server.url, "olivia@tutorly.dev");
    await olivia.goto(`${server.url}/sessions/${booking.id}`);
    await olivia.getByTestId("students").waitFor();
    expect(await olivia.getByTestId("students").innerText()).toBe("Maya Johnson");
    await shot(olivia, "session-page-tutor");
  });

  it("a session nobody joined, and a cancelled one, tell the tutor they earn nothing, not that they will earn later", async () => {
    const maya = await logIn(await contextIn(browser, "America/Chicago"), server.url, "maya@tutorly.dev");
    const amelia = await logIn(await contextIn(browser, "America/New_York"), server.url, "amelia@tutorly.dev");
    const ameliaId = await tutorId(server.url, "Amelia Clarke");
    // Nobody joined: moved into the past, then ended by the tutor without having joined.
    const missed = await bookFirstHour(maya, server.url, ameliaId);
    const past = Date.now() - 3 * 3_600_000;
    expect((await maya.request.post(`${server.url}/api/dev/bookings/${missed.id}/move`, { data: { start: new Date(past).toISOString(), end: new Date(past + 3_600_000).toISOString() } })).status()).toBe(200);
    expect((await amelia.request.post(`${server.url}/api/bookings/${missed.id}/end`)).status()).toBe(200);
    await amelia.goto(`${server.url}/sessions/${missed.id}`);
    await amelia.getByTestId("receipt").waitFor();
    const notes = amelia.locator("section", { has: amelia.getByRole("heading", { name: "Notes" }) });
    expect(await notes.innerText()).toContain("Nobody joined: refunded, nothing earned");
    expect(await notes.innerText()).not.toContain("This session took place.");
    expect(await amelia.getByTestId("receipt").innerText()).toBe("Nothing earned for this session.");

    // Cancelled: nothing is earned later either.
    const cancelled = await bookFirstHour(maya, server.url, ameliaId);
    expect((await amelia.request.post(`${server.url}/api/bookings/${cancelled.id}/cancel`, { data: { reason: "Ill" } })).status()).toBe(200);
    await amelia.goto(`${server.url}/sessions/${cancelled.id}`);
    await amelia.getByTestId("cancellation").waitFor();
    // Her own cancellation is hers ("You"), not told to her by her own name.
    expect(await amelia.getByTestId("cancellation").innerText()).toMatch(/^You cancelled it on .*Reason given: “Ill”\.$/);
    expect(await amelia.getByTestId("receipt").innerText()).toBe("Nothing earned for this session.");
    await shot(amelia, "session-page-tutor-cancelled");
  });

  it("a lesson its tutor ended inside its first minute, with the student there, reads as settled: nothing earned, all refunded", async () => {
    const maya = await logIn(await contextIn(browser, "America/Chicago"), server.url, "maya@tutorly.dev");
    const amelia = await logIn(await contextIn(browser, "America/New_York"), server.url, "amelia@tutorly.dev");
    const booking = await bookFirstHour(maya, server.url, await tutorId(server.url, "Amelia Clarke"));
    const start = Date.now() - 20_000;
    expect((await maya.request.post(`${server.url}/api/dev/bookings/${booking.id}/move`, { data: { start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString() } })).status()).toBe(200);
    // Both come into the room (its socket is what attendance records), then the tutor ends the lesson at once.
    for (const page of [maya, amelia]) await inRoomSocket(page, booking.id);
    expect((await amelia.request.post(`${server.url}/api/bookings/${booking.id}/end`)).status()).toBe(200);
    const notes = (page: Page) => page.locator("section", { has: page.getByRole("heading", { name: "Notes" }) });
    // Settled just after the answer: the page reads the outcome once it is there.
    await amelia.goto(`${server.url}/sessions/${booking.id}`);
    await expect
      .poll(async () => {
        await amelia.reload();
        await amelia.getByTestId("receipt").waitFor();
        return notes(amelia).innerText();
      })
      .toContain("Ended within its first minute: fully refunded, nothing earned");
    expect(await amelia.getByTestId("receipt").innerText()).toBe("Nothing earned for this session.");
    expect(await notes(amelia).innerText()).not.toContain("0 min");
    await shot(amelia, "session-page-tutor-ended-at-once");
    await maya.goto(`${server.url}/sessions/${booking.id}`);
    await maya.getByTestId("receipt").waitFor();
    // A student is not shown the tutor's minutes: hers says the untaught share came back, which here is all of it.
    expect(await notes(maya).innerText()).toContain("Ended early: the untaught share was refunded");
    await expect
      .poll(async () => {
        await maya.reload();
        await maya.getByTestId("receipt").waitFor();
        return maya.getByTestId("receipt").innerText();
      })
      .toMatch(/refunded/i); // (its labels are set in capitals)
    const receipt = await maya.getByTestId("receipt").innerText();
    const paid = receipt.match(/paid\s+(.+)/i)?.[1]?.trim();
    expect(paid).toBeTruthy();
    expect(receipt).toContain(`${paid}, back in your balance`);
  });

  it("a sessions list that crosses a clock change does not label every time with today's abbreviation", async () => {
    const aiko = await logIn(await contextIn(browser, "Asia/Tokyo"), server.url, "aiko@tutorly.dev");
    const booking = await bookFirstHour(aiko, server.url, await tutorId(server.url, "Olivia Bennett"));
    // The next mid-January or mid-July, whichever New York keeps on the other side of the clock change from today.
    const abbr = (at: number) => new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", timeZoneName: "short" }).formatToParts(at).find((p) => p.type === "timeZoneName")!.value;
    const year = new Date().getUTCFullYear() + 1;
    const later = [Date.UTC(year, 0, 15, 17), Date.UTC(year, 6, 15, 17)].find((at) => abbr(at) !== abbr(Date.now()))!;
    expect((await aiko.request.post(`${server.url}/api/dev/bookings/${booking.id}/move`, { data: { start: new Date(later).toISOString(), end: new Date(later + 3_600_000).toISOString() } })).status()).toBe(200);
    const olivia = await logIn(await contextIn(browser, "America/New_York"), server.url, "olivia@tutorly.dev");
    await olivia.goto(`${server.url}/sessions`);
    await olivia.locator(`[data-booking="${booking.id}"]`).first().waitFor();
    const intro = olivia.locator(".page-head p").first();
    await expect.poll(() => intro.innerText()).toContain("America/New York");
    expect(await intro.innerText()).not.toMatch(/\((EST|EDT)\)/);
    // Its credits go back, for the tests after this one.
    expect((await aiko.request.post(`${server.url}/api/bookings/${booking.id}/cancel`, { data: {} })).status()).toBe(200);
  });

  it("a tutor moving a 1:1 is asked for a new time with the student, not with themself", async () => {
    const leo = await logIn(await contextIn(browser, "Europe/Rome"), server.url, "leo@tutorly.dev");
    const booking = await bookFirstHour(leo, server.url, await tutorId(server.url, "Olivia Bennett"));
    const olivia = await logIn(await contextIn(browser, "America/New_York"), server.url, "olivia@tutorly.dev");
    await olivia.goto(`${server.url}/sessions/${booking.id}`);
    await olivia.getByRole("button", { name: "Reschedule" }).click();
    const dialog = olivia.getByRole("dialog", { name: "Reschedule" });
    const intro = await dialog.getByText(/Pick a new \d+-minute time/).innerText();
    expect(intro).toContain("Pick a new 60-minute time with Leo Rossi.");
    expect(intro).not.toContain("Olivia Bennett");
    await shot(olivia, "reschedule-tutor");
  });

  it("opens from the link in the student's iCal feed", async () => {
    const leo = await logIn(await contextIn(browser, "Europe/Rome"), server.url, "leo@tutorly.dev");
    const booking = await bookFirstHour(leo, server.url, await tutorId(server.url, "Jonas Weber"));
    const { url } = (await (await leo.request.get(`${server.url}/api/me/calendar-feed`)).json()) as { url: string };
    const ics = await (await leo.request.get(url)).text();
    const link = ics.replace(/\r\n /g, "").match(new RegExp(`URL;VALUE=URI:(\\S+/sessions/${booking.id})`))?.[1];
    expect(link).toBeTruthy();
    await leo.goto(link!.replace(/^https?:\/\/[^/]+/, server.url));
    await leo.getByRole("heading", { level: 1, name: /with Jonas Weber$/ }).waitFor();
  });

  it("answers a bad or someone else's session id with a clear page, once: no retries, no uncaught errors", async () => {
    const aiko = await logIn(await contextIn(browser, "Asia/Tokyo"), server.url, "aiko@tutorly.dev");
    const theirs = await bookFirstHour(aiko, server.url, await tutorId(server.url, "Priya Sharma"));
    const maya = await logIn(await contextIn(browser, "America/Chicago"), server.url, "maya@tutorly.dev");
    for (const id of ["no-such-session", theirs.id]) {
      const seen = watch(maya);
      const requests: string[] = [];
      maya.on("request", (r) => r.url().includes(`/api/bookings/${id}`) && requests.push(r.url()));
      await maya.goto(`${server.url}/sessions/${id}`);
      await maya.getByRole("heading", { level: 1, name: "Session not found" }).waitFor();
      await maya.waitForTimeout(3000);
      expect(requests).toHaveLength(1);
      expect(seen.errors).toEqual([]);
    }
  });

  it("a half-written review stays as it was when the sessions list updates live", async () => {
    const aiko = await logIn(await contextIn(browser, "Asia/Tokyo", 390), server.url, "aiko@tutorly.dev");
    const sophie = await logIn(await contextIn(browser, "Europe/Paris"), server.url, "sophie@tutorly.dev");
    const sophieId = await tutorId(server.url, "Sophie Martin");
    const lesson = await bookFirstHour(aiko, server.url, sophieId);
    const start = Date.now() - 10 * 60_000;
    expect((await aiko.request.post(`${server.url}/api/dev/bookings/${lesson.id}/move`, { data: { start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString() } })).status()).toBe(200);
    for (const page of [aiko, sophie]) await inRoomSocket(page, lesson.id);
    expect((await sophie.request.post(`${server.url}/api/bookings/${lesson.id}/end`)).status()).toBe(200);
    const prompt = aiko.locator(`[data-review="${lesson.id}"]`);
    await expect
      .poll(async () => {
        await aiko.goto(`${server.url}/sessions`);
        await aiko.locator(`[data-booking="${lesson.id}"]`).first().waitFor();
        return prompt.count();
      })
      .toBe(1);
    await prompt.getByRole("button", { name: /Rate this session/ }).click();
    await prompt.locator("label.star").nth(3).click();
    const comment = prompt.getByLabel("Comment (optional)");
    await comment.fill("Clear explanations; more practice next time.");
    // Meanwhile she books her next lesson elsewhere: it arrives live and the list is read again.
    const next = await bookFirstHour(aiko, server.url, sophieId);
    await aiko.locator(`[data-booking="${next.id}"]`).first().waitFor();
    expect(await comment.inputValue()).toBe("Clear explanations; more practice next time.");
    expect(await prompt.getByRole("radio", { name: "4 stars, Very good" }).isChecked()).toBe(true);
    await shot(aiko, "sessions-review-kept");
    // Its credits go back, for the tests after this one.
    expect((await aiko.request.post(`${server.url}/api/bookings/${next.id}/cancel`, { data: {} })).status()).toBe(200);
  });

  it("answers a bad tutor id with a clear page and opens no live socket that would retry forever", async () => {
    const visitor = await (await contextIn(browser, "Europe/Rome")).newPage();
    const seen = watch(visitor);
    await visitor.goto(`${server.url}/tutors/no-such-tutor`);
    await visitor.getByRole("heading", { level: 1, name: "Tutor not found" }).waitFor();
    await visitor.waitForTimeout(4000);
    expect(seen.sockets.filter((p) => p.startsWith("/api/tutors/"))).toEqual([]);
    expect(seen.errors).toEqual([]);
  });
});
