import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { formatDuration } from "../../domain/format/amounts";
import { shot } from "./browser";
import { contextIn, logIn, tutorId } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

const HOUR = 3_600_000;

/** Free 60-minute starts of a tutor (UTC ISO) in the two weeks after 48 hours from now. */
async function freeStarts(url: string, id: string): Promise<string[]> {
  const from = new Date(Date.now() + 48 * HOUR).toISOString();
  const to = new Date(Date.now() + (48 + 14 * 24) * HOUR).toISOString();
  const res = await fetch(`${url}/api/tutors/${id}/slots?${new URLSearchParams({ from, to, duration: "60" })}`);
  return ((await res.json()) as { slots: { start: string }[] }).slots.map((s) => s.start);
}

/** A tutor's price (credit-minutes) for a 60-minute lesson starting at `start`. */
async function priceAt(url: string, id: string, start: string): Promise<number> {
  const res = await fetch(`${url}/api/tutors/${id}/slots?${new URLSearchParams({ from: start, to: new Date(Date.parse(start) + HOUR).toISOString(), duration: "60" })}`);
  return ((await res.json()) as { price: { creditMinutes: number } }).price.creditMinutes;
}

/** Books through the API as the signed-in student of `page` (same origin, so the CSRF check passes). */
async function book(page: Page, body: { tutorId: string; start: string; subject: string }): Promise<{ id: string; price: { creditMinutes: number } }> {
  const res = await page.evaluate(async (b) => {
    const r = await fetch("/api/bookings", { method: "POST", headers: { "content-type": "application/json", "Idempotency-Key": crypto.randomUUID() }, body: JSON.stringify({ ...b, durationMinutes: 60 }) });
    return { status: r.status, body: await r.json() };
  }, body);
  if (res.status !== 201) throw new Error(`booking failed: ${JSON.stringify(res)}`);
  return res.body.booking;
}

describe("a tutor cancels and the student picks a replacement", () => {
  it("the student, already on My sessions, sees the offer appear live, accepts another tutor and keeps the same time, at that tutor's own price", async () => {
    const sophie = await tutorId(server.url, "Sophie Martin");
    const fatima = await tutorId(server.url, "Fatima Al-Sayed");
    // English at a time both teach: Sophie's booking, with Fatima free to take over.
    const fatimaFree = new Set((await freeStarts(server.url, fatima)).map((s) => Date.parse(s)));
    const start = (await freeStarts(server.url, sophie)).find((s) => fatimaFree.has(Date.parse(s)));
    if (!start) throw new Error("No hour where Sophie and Fatima are both free in the next two weeks");

    // The student on a phone (the desktop layout is covered by the other suites).
    const rome = await contextIn(browser, "Europe/Rome", 390);
    const leo = await logIn(rome, server.url, "leo@tutorly.dev");
    // What the session costs depends on the tutor's rate: the balance shown is the one before, less that price.
    const balanceBefore = await leo.evaluate(async () => ((await (await fetch("/api/billing/credits")).json()) as { balanceMinutes: number }).balanceMinutes);
    const booking = await book(leo, { tutorId: sophie, start, subject: "english" });
    const afterBooking = formatDuration(balanceBefore - booking.price.creditMinutes);
    // Fatima's own price for that hour is what the replacement costs (she is cheaper: the difference comes back).
    const fatimaPrice = await priceAt(server.url, fatima, start);
    expect(fatimaPrice).toBeLessThanOrEqual(booking.price.creditMinutes);
    const afterReplacement = formatDuration(balanceBefore - fatimaPrice);

    await leo.goto(`${server.url}/sessions`);
    const original = leo.locator(`.session[data-booking="${booking.id}"]`);
    await original.getByText("Sophie Martin").waitFor();
    const balance = leo.getByTestId("credit-balance");
    await balance.getByText(afterBooking, { exact: true }).waitFor();
    await leo.evaluate(() => ((window as { marker?: string }).marker = "no reload"));

    // Sophie cancels from her own sessions page, more than two hours ahead.
    const paris = await contextIn(browser, "Europe/Paris");
    const tutor = await logIn(paris, server.url, "sophie@tutorly.dev");
    await tutor.goto(`${server.url}/sessions`);
    const hers = tutor.locator(`.session[data-booking="${booking.id}"]`);
    await hers.getByRole("button", { name: /^Cancel/ }).click();
    const dialog = tutor.getByRole("dialog", { name: "Cancel this session?" });
    await dialog.getByRole("button", { name: "Cancel session" }).click();
    await tutor.getByText("Session cancelled.").waitFor();

    // The offer reaches Leo's open page live.
    const offer = leo.locator(".offer-card");
    await offer.getByRole("heading", { name: "Your tutor cancelled — pick a replacement at no extra cost" }).waitFor();
    await offer.getByTestId("offer-countdown").getByText("Choose within").waitFor();
    const candidate = offer.locator(`.candidate[data-tutor="${fatima}"]`);
    await candidate.getByText("Fatima Al-Sayed").waitFor();
    await leo.getByTestId("unread-count").waitFor();
    await shot(leo, "offer-phone");

    // The bell's list is fetched again after each live notice and when the bell opens; on a busy machine such a fetch
    // can still be on its way when Leo marks all read. From here on, each list is read from the server at once but
    // answered only after marking all read is done.
    let marked!: () => void;
    const markedAll = new Promise<void>((done) => (marked = done));
    const late: Promise<unknown>[] = [];
    leo.on("requestfinished", (r) => void (r.url().endsWith("/api/notifications/read") && marked()));
    await leo.route("**/api/notifications", async (route) => {
      if (route.request().method() !== "GET") return route.fallback();
      const answer = await route.fetch();
      await markedAll;
      late.push(route.request().response().then((r) => r?.finished()));
      await route.fulfill({ response: answer });
    });

    await candidate.getByRole("button", { name: "Accept Fatima Al-Sayed" }).click();
    await leo.getByText("Rebooked with Fatima Al-Sayed: same time, no extra credits.").waitFor();
    await offer.waitFor({ state: "detached" });
    const rebooked = leo.locator('.session[data-status="confirmed"]', { hasText: "Fatima Al-Sayed" });
    await rebooked.waitFor();
    expect(Date.parse((await rebooked.getAttribute("data-start"))!)).toBe(Date.parse(start));
    await leo.locator(`.session[data-booking="${booking.id}"][data-status="cancelled"]`).waitFor();
    await balance.getByText(afterReplacement, { exact: true }).waitFor();
    expect(await leo.evaluate(() => (window as { marker?: string }).marker)).toBe("no reload");
    await shot(leo, "offer-accepted");

    // The bell lists what happened; its links lead back here, and marking all read clears the count.
    await leo.getByRole("button", { name: /^Notifications, \d+ unread/ }).click();
    const panel = leo.getByRole("region", { name: "Notifications" });
    await panel.locator(".notice.unread", { hasText: "Rebooked with Fatima Al-Sayed" }).waitFor();
    await shot(leo, "notifications-panel-phone");
    await panel.getByRole("button", { name: "Mark all read" }).click();
    await leo.getByTestId("unread-count").waitFor({ state: "detached" });
    // The lists read before marking arrive after it (and the page has a moment to show them): the count stays cleared.
    await markedAll;
    await Promise.all(late);
    await leo.waitForTimeout(500);
    await leo.getByTestId("unread-count").waitFor({ state: "detached", timeout: 5000 });
    await panel.getByRole("link", { name: "See all notifications" }).click();
    await leo.getByRole("heading", { name: "Notifications", level: 1 }).waitFor();
    await leo.locator(".notice", { hasText: "Sophie Martin cancelled your english session" }).waitFor();

    // Local development's mailbox shows the email that would have gone out: the "rebooked" notice stays in the inbox,
    // and the new booking's confirmation (with its calendar invitation) says it was paid by the cancelled session.
    await leo.getByRole("link", { name: "dev mailbox" }).click();
    const mail = leo.locator(".mail", { hasText: /You're booked: .* with Fatima Al-Sayed/ }).filter({ hasText: "leo@tutorly.dev" });
    await mail.getByRole("button").click();
    await mail.locator(".mail-text").getByText("Hi Leo").waitFor();
    await mail.locator(".mail-text").getByText(/paid with the credits of your cancelled session/).waitFor();
    await shot(leo, "dev-mailbox-phone");
    await rome.close();
    await paris.close();
  });
});
