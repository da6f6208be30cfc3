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

describe("the last tutor on offer can no longer take the lesson when the student accepts them", () => {
  /** Calls the API as the signed-in person of `page` (same origin, so the CSRF check passes). */
  const call = (page: Page, method: string, path: string, body?: unknown) =>
    page.evaluate(
      async ([m, p, b]) => {
        const r = await fetch(p, { method: m, headers: { "content-type": "application/json", "Idempotency-Key": crypto.randomUUID() }, body: b === undefined ? undefined : JSON.stringify(b) });
        return { status: r.status, body: await r.json() };
      },
      [method, path, body] as const,
    );

  /** Sets the subjects a signed-in tutor teaches, keeping the rest of their profile. */
  async function teach(tutor: Page, subjects: string[]) {
    const { tutor: profile } = (await call(tutor, "GET", "/api/tutors/me/profile")).body as { tutor: { bio: string; hourlyRateCents: number; timezone: string } };
    const saved = await call(tutor, "PUT", "/api/tutors/me/profile", { bio: profile.bio, subjects, hourlyRateCents: profile.hourlyRateCents, timezone: profile.timezone });
    expect(saved).toMatchObject({ status: 200 });
  }

  /**
   * Leo books `cancelling` in `subject` at an hour `other` is free too, opens My sessions, and `cancelling` cancels:
   * the offer on his page has `other` alone on it (nobody else teaching that subject is free then, at that price).
   */
  async function offerWithOnly(cancelling: { name: string; email: string }, other: string, subject: string) {
    const [cancellingId, otherId] = [await tutorId(server.url, cancelling.name), await tutorId(server.url, other)];
    const otherFree = new Set((await freeStarts(server.url, otherId)).map((s) => Date.parse(s)));
    const start = (await freeStarts(server.url, cancellingId)).find((s) => otherFree.has(Date.parse(s)));
    if (!start) throw new Error(`No hour where ${cancelling.name} and ${other} are both free in the next two weeks`);
    const context = await contextIn(browser, "Europe/Rome", 390);
    const leo = await logIn(context, server.url, "leo@tutorly.dev");
    const booking = await book(leo, { tutorId: cancellingId, start, subject });
    await leo.goto(`${server.url}/sessions`);
    await leo.locator(`.session[data-booking="${booking.id}"]`).waitFor();
    const tutor = await logIn(await contextIn(browser, "Europe/Paris"), server.url, cancelling.email);
    expect(await call(tutor, "POST", `/api/bookings/${booking.id}/cancel`, {})).toMatchObject({ status: 200 });
    const offer = leo.locator(".offer-card");
    await offer.locator(`.candidate[data-tutor="${otherId}"]`).waitFor();
    expect(await offer.locator(".candidate").count()).toBe(1);
    return { leo, offer, close: () => Promise.all([context.close(), tutor.context().close()]) };
  }

  it("says the tutor chosen no longer teaches the subject, and that the credits came back, when they dropped it after the offer", async () => {
    // Jonas alone teaches physics; Mateo, free in some of his hours and cheaper, takes it up, then drops it again.
    const mateo = await logIn(await contextIn(browser, "America/Mexico_City"), server.url, "mateo@tutorly.dev");
    await teach(mateo, ["spanish", "physics"]);
    const { leo, offer, close } = await offerWithOnly({ name: "Jonas Weber", email: "jonas@tutorly.dev" }, "Mateo García", "physics");
    await teach(mateo, ["spanish"]);

    await offer.getByRole("button", { name: "Accept Mateo García" }).click();
    await leo.getByText("Mateo García no longer teaches Physics. Nobody else was on offer, so your credits came back.").waitFor();
    await offer.waitFor({ state: "detached" });
    await shot(leo, "offer-subject-dropped-phone");
    await mateo.context().close();
    await close();
  });

  it("says the tutor chosen no longer takes lessons on Tutorly, and that the credits came back, when they left after the offer", async () => {
    // Sophie's English lesson: of its tutors only Fatima is free in Sophie's hours.
    const { leo, offer, close } = await offerWithOnly({ name: "Sophie Martin", email: "sophie@tutorly.dev" }, "Fatima Al-Sayed", "english");
    const admin = await logIn(await contextIn(browser, "UTC"), server.url, "admin@tutorly.dev", "tutorly-admin");
    const fatima = await tutorId(server.url, "Fatima Al-Sayed");
    expect(await call(admin, "POST", `/api/admin/users/${fatima}/suspend`, { reason: "Left the platform" })).toMatchObject({ status: 200 });

    await offer.getByRole("button", { name: "Accept Fatima Al-Sayed" }).click();
    await leo.getByText("Fatima Al-Sayed no longer takes lessons on Tutorly. Nobody else was on offer, so your credits came back.").waitFor();
    await offer.waitFor({ state: "detached" });
    await shot(leo, "offer-tutor-left-phone");
    await admin.context().close();
    await close();
  });
});
