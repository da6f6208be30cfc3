import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { contextIn, logIn, pastLesson, tutorId, weeksFrom } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

const HOUR = 3_600_000;

/** A free hour of the tutor's two days or more ahead: its start, as the API lists it. */
async function freeHour(page: Page, tutor: string): Promise<string> {
  const range = new URLSearchParams({ from: new Date(Date.now() + 48 * HOUR).toISOString(), to: new Date(Date.now() + 6 * 86_400_000).toISOString(), duration: "60" });
  const { slots } = (await (await page.request.get(`${server.url}/api/tutors/${tutor}/slots?${range}`)).json()) as { slots: { start: string }[] };
  return slots[Math.floor(slots.length / 2)]!.start;
}

describe("My tutors: book the same time next week in one click", () => {
  it("a student who had a lesson with Amelia last week books the same time this week from My tutors, and again from the lesson's page", async () => {
    const context = await contextIn(browser, "Europe/Rome");
    const leo = await logIn(context, server.url, "leo@tutorly.dev");
    const tutorContext = await contextIn(browser, "Europe/London");
    const amelia = await logIn(tutorContext, server.url, "amelia@tutorly.dev");
    const ameliaId = await tutorId(server.url, "Amelia Clarke");

    // Last week's lesson was a week before a free hour of hers, at the same time on her clock.
    const next = await freeHour(leo, ameliaId);
    const lessonId = await pastLesson(leo, amelia, server.url, ameliaId, weeksFrom(Date.parse(next), -1, "Europe/London"));

    await leo.getByRole("link", { name: "My tutors" }).click();
    await leo.getByRole("heading", { name: "My tutors", level: 1 }).waitFor();
    const card = leo.locator(`.rebook-card[data-tutor="${ameliaId}"]`);
    await card.getByRole("heading", { name: "Amelia Clarke" }).waitFor();
    await card.getByText("1 lesson together").waitFor();
    // The time, in Leo's zone, with its length and price, before the click.
    const line = card.getByTestId("rebook-next-week");
    await line.waitFor();
    const rome = new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Rome", weekday: "short", month: "short", day: "numeric" }).format(Date.parse(next));
    const romeTime = new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Rome", hour: "numeric", minute: "2-digit", hour12: false }).format(Date.parse(next));
    expect(await line.textContent()).toContain(rome);
    // "10:30 – 11:30 AM": the hour and minutes of the start, in Rome.
    expect(await line.textContent()).toContain(String(Number(romeTime.split(":")[0]) % 12 || 12) + ":" + romeTime.split(":")[1]);
    expect(await line.textContent()).toMatch(/1 h.*credit/);
    expect(await card.getByTestId("rebook-next-free").getByRole("link").count()).toBeGreaterThan(0);
    await shot(leo, "my-tutors-desktop");

    await card.getByRole("button", { name: /^Book the same time next week: Amelia Clarke, / }).click();
    await card.getByTestId("rebook-booked").waitFor();
    await shot(leo, "my-tutors-booked");
    await card.getByRole("link", { name: "See the session" }).click();
    await leo.waitForURL(/\/sessions\//);
    const booked = (await (await leo.request.get(`${server.url}/api/bookings`)).json()) as { bookings: { start: string; status: string; tutorId: string }[] };
    expect(booked.bookings.filter((b) => b.tutorId === ameliaId && b.start === next && b.status === "confirmed")).toHaveLength(1);

    // The past lesson's page offers the same, and already knows that time is booked.
    await leo.goto(`${server.url}/sessions/${lessonId}`);
    const after = leo.locator(`.rebook-card[data-tutor="${ameliaId}"]`);
    await after.getByRole("heading", { name: "Book again with Amelia Clarke" }).waitFor();
    await after.getByTestId("rebook-booked").waitFor();
    // Nobody was in its room (Amelia ended it at once): Leo was not at a lesson he could rate, and none is offered.
    await leo.getByTestId("receipt").waitFor();
    expect(await leo.locator("[data-review]").count()).toBe(0);
    await context.close();
    await tutorContext.close();
  });

  it("reads well on a phone, and a taken time says so with the nearest free times", async () => {
    const context = await contextIn(browser, "America/Chicago", 390);
    const maya = await logIn(context, server.url, "maya@tutorly.dev");
    const tutorContext = await contextIn(browser, "America/Sao_Paulo");
    const lucas = await logIn(tutorContext, server.url, "lucas@tutorly.dev");
    const lucasId = await tutorId(server.url, "Lucas Oliveira");
    const next = await freeHour(maya, lucasId);
    await pastLesson(maya, lucas, server.url, lucasId, weeksFrom(Date.parse(next), -1, "America/Sao_Paulo"));
    // Someone else takes that time.
    const aiko = await logIn(await contextIn(browser, "Asia/Tokyo"), server.url, "aiko@tutorly.dev");
    const t = (await (await aiko.request.get(`${server.url}/api/tutors/${lucasId}`)).json()) as { tutor: { subjects: string[] } };
    const taken = await aiko.request.post(`${server.url}/api/bookings`, { data: { tutorId: lucasId, start: next, durationMinutes: 60, subject: t.tutor.subjects[0] }, headers: { "Idempotency-Key": crypto.randomUUID() } });
    expect(taken.status()).toBe(201);

    await maya.goto(`${server.url}/my-tutors`);
    const card = maya.locator(`.rebook-card[data-tutor="${lucasId}"]`);
    await card.getByTestId("rebook-taken").waitFor();
    const nearest = card.getByTestId("rebook-alternatives").getByRole("link");
    await expect.poll(() => nearest.count()).toBeGreaterThan(0);
    // No horizontal scrolling on a phone.
    expect(await maya.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await shot(maya, "my-tutors-phone");
    // A nearest time opens the tutor's booking dialog on it.
    await nearest.first().click();
    await maya.getByRole("dialog", { name: "Confirm your booking" }).waitFor();
    await context.close();
    await tutorContext.close();
    await aiko.context().close();
  });
});
