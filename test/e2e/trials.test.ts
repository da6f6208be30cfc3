import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { contextIn, firstSlotAfter, logIn, signUpVerified, slotButton, tutorId, weeksFrom } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

/** The first 30-minute slot at least `hoursAhead` away whose next half hour is free too (so an hour fits there later). */
const firstHourStart = (page: Page, hoursAhead: number) => firstSlotAfter(page, hoursAhead, (start, free) => free.has(start + 30 * 60_000));

describe("trial lessons", () => {
  it("a student on the free plan books a 30-minute trial with a tutor who offers them (free: the plan's trial this month), then continues weekly at the same time", async () => {
    const context = await contextIn(browser, "America/Chicago");
    const page = await logIn(context, server.url, "leo@tutorly.dev");

    // Search results and the tutor's page say she offers a trial, and what it costs ($45/h: 45 for 30 minutes, half: 23).
    await page.goto(`${server.url}/tutors`);
    const card = page.locator(".tutor-card", { hasText: "Olivia" });
    await card.getByTestId("trial-offer").getByText("Trial lesson for new students: 30 min for 23").waitFor();
    await card.getByRole("link").first().click();
    await page.getByRole("heading", { name: /Olivia/, level: 1 }).waitFor();
    await page.getByTestId("trial-offer").waitFor();
    await page.getByTestId("trial-mode").check();
    const start = await firstHourStart(page, 48);
    await slotButton(page, start).click();
    const dialog = page.getByRole("dialog", { name: "Confirm your booking" });
    await dialog.getByTestId("trial-terms").getByText("at 50% of the price").waitFor();
    // A trial is one lesson: no weekly repeat offered.
    expect(await dialog.getByTestId("repeat-weekly").count()).toBe(0);
    // Leo has no plan: this month's trial is the free plan's, so nothing is charged.
    await dialog.getByTestId("cost").getByText("Free").waitFor();
    await dialog.getByText("the free plan's trial lesson this month").waitFor();
    await shot(page, "trial-dialog");
    await dialog.getByRole("button", { name: "Book the free trial" }).click();
    await dialog.getByText("You're booked!").waitFor();
    const trial = ((await (await page.request.get(`${server.url}/api/bookings`)).json()) as { bookings: { id: string; start: string; trial?: boolean }[] }).bookings.find((b) => b.start === start)!;
    expect(trial.trial).toBe(true);
    await dialog.getByRole("button", { name: "Done" }).click();

    // Booked, not yet had, the trial is no longer Leo's: her page stops offering it, at once and on a later visit.
    await expect.poll(() => page.getByTestId("trial-mode").count()).toBe(0);
    expect(await page.getByTestId("trial-offer").count()).toBe(0);
    await page.reload();
    await page.getByRole("heading", { name: /Olivia/, level: 1 }).waitFor();
    expect(await page.getByTestId("trial-offer").count()).toBe(0);
    expect(await page.getByTestId("trial-mode").count()).toBe(0);
    await shot(page, "trial-taken");

    // A second trial with her is refused: the first was the one.
    const again = await page.request.post(`${server.url}/api/bookings`, {
      data: { tutorId: (await (await page.request.get(`${server.url}/api/bookings/${trial.id}`)).json()).booking.tutorId, start: new Date(Date.parse(start) + WEEK).toISOString(), durationMinutes: 30, subject: "mathematics", trial: true },
    });
    expect(again.status()).toBe(409);

    // The trial takes place: moved (development route) whole weeks back to the same wall-clock time in Olivia's zone
    // (the one "continue weekly" keeps), and ended by Olivia.
    const weeksBack = Math.ceil((Date.parse(start) - Date.now()) / WEEK) + 1;
    const past = weeksFrom(Date.parse(start), -weeksBack, "America/New_York");
    const moved = await page.request.post(`${server.url}/api/dev/bookings/${trial.id}/move`, { data: { start: new Date(past).toISOString(), end: new Date(past + 30 * 60_000).toISOString() } });
    expect(moved.status()).toBe(200);
    const olivia = await logIn(await contextIn(browser, "America/New_York"), server.url, "olivia@tutorly.dev");
    expect((await olivia.request.post(`${server.url}/api/bookings/${trial.id}/end`)).status()).toBe(200);
    await olivia.context().close();

    // The session page offers to continue weekly; it opens the booking at the same time next week on, weekly chosen.
    await page.goto(`${server.url}/sessions/${trial.id}`);
    await page.getByText("Trial lesson").first().waitFor();
    await shot(page, "trial-continue");
    await page.getByTestId("continue-weekly").click();
    const weekly = page.getByRole("dialog", { name: "Confirm your booking" });
    await weekly.waitFor();
    await expect.poll(() => weekly.getByTestId("repeat-weekly").isChecked()).toBe(true);
    await weekly.getByLabel("Number of weeks").fill("4");
    await weekly.getByRole("button", { name: "Book 4 weekly lessons" }).click();
    await weekly.getByText("You're booked!").waitFor();
    await weekly.getByRole("link", { name: "See the weekly lessons" }).click();
    await page.getByRole("heading", { name: /^Weekly/ }).waitFor();
    const weeks = page.getByTestId("series-week");
    await expect.poll(() => weeks.count()).toBe(4);
    // The first weekly lesson is at the trial's time, in the first week still ahead: where the trial was booked.
    const mine = ((await (await page.request.get(`${server.url}/api/bookings`)).json()) as { bookings: { start: string; status: string; trial?: boolean }[] }).bookings;
    expect(mine.filter((b) => b.status === "confirmed" && !b.trial).map((b) => b.start).sort()[0]).toBe(start);
    await context.close();
  });

  it("a free trial cancelled in time comes back as the trial, not as credit, and every page says so", async () => {
    const context = await contextIn(browser, "America/Chicago");
    await signUpVerified(context, server.url, { email: `ftrial-${Date.now()}@example.com`, password: "a long enough password", name: "Walt Walker", role: "student", timezone: "America/Chicago" });
    const page = await context.newPage();
    const olivia = await tutorId(server.url, "Olivia Bennett");
    const bookFreeTrial = async () => {
      await page.goto(`${server.url}/tutors/${olivia}?trial=1`);
      const start = await firstSlotAfter(page, 48);
      await slotButton(page, start).click();
      const dialog = page.getByRole("dialog", { name: "Confirm your booking" });
      await dialog.getByTestId("cost").getByText("Free").waitFor();
      await dialog.getByRole("button", { name: "Book the free trial" }).click();
      await dialog.getByText("You're booked!").waitFor();
      return start;
    };
    const start = await bookFreeTrial();
    const trial = ((await (await page.request.get(`${server.url}/api/bookings`)).json()) as { bookings: { id: string; start: string; freeTrial?: boolean }[] }).bookings.find((b) => b.start === start)!;
    expect(trial.freeTrial).toBe(true);
    // My sessions calls it what it cost: nothing.
    await page.goto(`${server.url}/sessions`);
    await expect.poll(() => page.locator(`li.session[data-booking="${trial.id}"] [data-testid="session-cost"]`).textContent()).toBe("Free trial");

    await page.goto(`${server.url}/sessions/${trial.id}`);
    await page.getByTestId("receipt").getByText("Nothing: this month's free trial lesson").waitFor();
    await page.getByRole("button", { name: "Cancel session" }).click();
    const cancel = page.getByRole("dialog", { name: /Cancel/ });
    await cancel.getByText("your free trial comes back, to book again this month").waitFor();
    expect(await cancel.getByText(/min of credit comes back/).count()).toBe(0);
    await shot(page, "free-trial-cancel");
    await cancel.getByRole("button", { name: "Cancel session" }).click();
    await cancel.waitFor({ state: "hidden" });
    await page.getByTestId("receipt").getByText("Your free trial is back: you can book another trial this month").waitFor();
    expect(await page.getByTestId("receipt").getByText(/back in your balance/).count()).toBe(0);

    // Nothing to spend, and the trial is free again.
    const wallet = (await (await page.request.get(`${server.url}/api/billing/credits`)).json()) as { balanceMinutes: number; freeTrial: { available: boolean } };
    expect(wallet).toMatchObject({ balanceMinutes: 0, freeTrial: { available: true } });
    await bookFreeTrial();
    await context.close();
  });

  it("a free trial its tutor cancels, with a cheaper tutor free then, is offered again as the free trial: the home page and the offer card say so, not credits", async () => {
    const olivia = await tutorId(server.url, "Olivia Bennett");
    // Anish teaches mathematics at $20/h: a 30-minute lesson with him (20) costs no more than Olivia's trial (23).
    const anish = await tutorId(server.url, "Anish Shrestha");
    const free = async (id: string) => {
      const from = new Date(Date.now() + 48 * HOUR).toISOString();
      const to = new Date(Date.now() + (48 + 14 * 24) * HOUR).toISOString();
      const res = await fetch(`${server.url}/api/tutors/${id}/slots?${new URLSearchParams({ from, to, duration: "30" })}`);
      return ((await res.json()) as { slots: { start: string }[] }).slots.map((x) => x.start);
    };
    // His half hours start at a quarter past in UTC (Kathmandu is 5:45 ahead); starting his mornings at 05:45 puts them
    // on Olivia's grid, so his evenings' first hour meets hers.
    const anishPage = await logIn(await contextIn(browser, "Asia/Kathmandu"), server.url, "anish@tutorly.dev");
    const { availability } = (await (await anishPage.request.get(`${server.url}/api/tutors/me/availability`)).json()) as { availability: { weekly: { weekday: number; start: string; end: string }[] } };
    const weekly = availability.weekly.map((w) => (w.start === "06:00" ? { ...w, start: "05:45" } : w));
    expect((await anishPage.request.put(`${server.url}/api/tutors/me/availability`, { data: { ...availability, weekly } })).status()).toBe(200);
    await anishPage.context().close();
    const anishFree = new Set((await free(anish)).map((x) => Date.parse(x)));
    const start = (await free(olivia)).find((x) => anishFree.has(Date.parse(x)));
    if (!start) throw new Error("No half hour where Olivia and Anish are both free in the next two weeks");

    const context = await contextIn(browser, "America/Chicago");
    await signUpVerified(context, server.url, { email: `otrial-${Date.now()}@example.com`, password: "a long enough password", name: "Tess Turner", role: "student", timezone: "America/Chicago" });
    const page = await context.newPage();
    const booked = await page.request.post(`${server.url}/api/bookings`, {
      headers: { "Idempotency-Key": crypto.randomUUID() },
      data: { tutorId: olivia, start, durationMinutes: 30, subject: "mathematics", trial: true },
    });
    expect(booked.status()).toBe(201);
    const trial = ((await booked.json()) as { booking: { id: string; freeTrial?: boolean } }).booking;
    expect(trial.freeTrial).toBe(true);

    const tutor = await logIn(await contextIn(browser, "America/New_York"), server.url, "olivia@tutorly.dev");
    expect((await tutor.request.post(`${server.url}/api/bookings/${trial.id}/cancel`, { data: { reason: "I am ill that day" } })).status()).toBe(200);
    await tutor.context().close();

    // The home page: her free trial, not credits, is what a replacement keeps or what comes back.
    await page.goto(`${server.url}/dashboard`);
    const alert = page.getByTestId("offer-alert");
    await alert.getByText("Pick a replacement tutor, still as your free trial, or take your free trial back.").waitFor();
    expect(await alert.getByText(/credit/i).count()).toBe(0);
    await shot(page, "free-trial-offer-home");
    await alert.getByRole("link", { name: "See the offer" }).click();
    const card = page.locator(".offer-card");
    await card.locator(`.candidate[data-tutor="${anish}"]`).getByText("Anish Shrestha").waitFor();
    expect(await card.getByText(/back to your balance/).count()).toBe(0);
    await shot(page, "free-trial-offer-card");
    await context.close();
  });

  it("the Free plan's card says what it gives: a free 30-minute trial lesson a month, packs any time, and what each plan adds", async () => {
    const context = await contextIn(browser, "America/Chicago");
    const page = await logIn(context, server.url, "aiko@tutorly.dev");
    await page.goto(`${server.url}/billing`);
    const free = page.locator(".plan-card[data-plan='free']").getByTestId("free-plan-terms");
    await free.getByText("One free 30 min trial lesson a month with any tutor who offers trials").waitFor();
    await free.getByText("Buy packs of extra hours any time").waitFor();
    for (const [plan, hours] of [["Starter", "4 h"], ["Standard", "8 h"], ["Intensive", "16 h"]]) await free.getByText(`${plan} adds ${hours} of tutoring a month`, { exact: false }).waitFor();
    await shot(page, "billing-free-plan");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "billing-free-plan-phone");
    await context.close();
  });

  it("the trial offer and the trial booking read well on a phone", async () => {
    const context = await contextIn(browser, "Europe/Rome", 390);
    const page = await logIn(context, server.url, "maya@tutorly.dev");
    await page.goto(`${server.url}/tutors`);
    await page.locator(".tutor-card", { hasText: "Lucas" }).getByRole("link").first().click();
    await page.getByRole("heading", { name: /Lucas/, level: 1 }).waitFor();
    await page.getByTestId("trial-mode").check();
    const start = await firstHourStart(page, 48);
    await slotButton(page, start).click();
    await page.getByRole("dialog", { name: "Confirm your booking" }).getByTestId("trial-terms").waitFor();
    await shot(page, "trial-dialog-phone");
    await context.close();
  });
});
