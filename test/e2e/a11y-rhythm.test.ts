import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { audit, describeViolations } from "./axe";
import { shot } from "./browser";
import { contextIn, firstSlotAfter, logIn, mondayIn, pastLesson, slotButton, tutorId } from "./helpers";
import { type DevServer, useApp } from "./server";

/**
 * The axe audits of trial lessons, My tutors and waitlists, on an app of their own: they book the demo students'
 * first free hours and free trials, which the audits in a11y.test.ts (run before them on one app) had taken.
 */

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

describe("accessibility of trial lessons (axe-core)", () => {
  it("the trial toggle and the free trial's dialog at phone and desktop sizes, then a finished trial's page offering weekly lessons", async () => {
    // The phone first: the desktop run books the month's free trial.
    for (const width of [390, 1280]) {
      const ctx = await contextIn(browser, "Europe/Rome", width);
      const page = await logIn(ctx, server.url, "leo@tutorly.dev");
      await page.goto(`${server.url}/tutors/${await tutorId(server.url, "Lucas Oliveira")}`);
      await page.getByTestId("trial-mode").check();
      const start = await firstSlotAfter(page, 48 + (width === 390 ? 24 : 0));
      await slotButton(page, start).click();
      const dialog = page.getByRole("dialog", { name: "Confirm your booking" });
      await dialog.getByTestId("trial-terms").waitFor();
      await dialog.getByTestId("cost").getByText("Free").waitFor();
      let violations = await audit(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      if (width === 390) {
        await ctx.close();
        continue;
      }
      await dialog.getByRole("button", { name: "Book the free trial" }).click();
      await dialog.getByText("You're booked!").waitFor();
      const trial = ((await (await page.request.get(`${server.url}/api/bookings`)).json()) as { bookings: { id: string; start: string; trial?: boolean }[] }).bookings.find((b) => b.trial)!;
      const past = Date.parse(trial.start) - Math.ceil((Date.parse(trial.start) - Date.now()) / (7 * 86_400_000) + 1) * 7 * 86_400_000;
      expect((await page.request.post(`${server.url}/api/dev/bookings/${trial.id}/move`, { data: { start: new Date(past).toISOString(), end: new Date(past + 1_800_000).toISOString() } })).status()).toBe(200);
      const lucas = await logIn(await contextIn(browser, "America/Sao_Paulo"), server.url, "lucas@tutorly.dev");
      expect((await lucas.request.post(`${server.url}/api/bookings/${trial.id}/end`)).status()).toBe(200);
      await lucas.context().close();
      await page.goto(`${server.url}/sessions/${trial.id}`);
      await page.getByTestId("continue-weekly").waitFor();
      violations = await audit(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      await ctx.close();
    }
  });
});

describe("accessibility of My tutors (axe-core)", () => {
  it("My tutors and a past lesson's page offering the same time next week, at desktop and phone sizes", async () => {
    for (const [width, student, tutor, name] of [[1280, "leo", "sophie", "Sophie Martin"], [390, "maya", "jonas", "Jonas Weber"]] as const) {
      const ctx = await contextIn(browser, "Europe/Rome", width);
      const page = await logIn(ctx, server.url, `${student}@tutorly.dev`);
      const tutorCtx = await contextIn(browser, "UTC");
      const tutorPage = await logIn(tutorCtx, server.url, `${tutor}@tutorly.dev`);
      const lessonId = await pastLesson(page, tutorPage, server.url, await tutorId(server.url, name), Date.now() - 3 * 86_400_000);
      await page.goto(`${server.url}/my-tutors`);
      await page.locator(".rebook-card").first().waitFor();
      let violations = await audit(page);
      await shot(page, `a11y-my-tutors-${width}`);
      expect(violations, describeViolations(violations)).toEqual([]);
      await page.goto(`${server.url}/sessions/${lessonId}`);
      await page.locator(".rebook-card").first().waitFor();
      violations = await audit(page);
      await shot(page, `a11y-rebook-session-${width}`);
      expect(violations, describeViolations(violations)).toEqual([]);
      await tutorCtx.close();
      await ctx.close();
    }
  });
});

describe("accessibility of a group waitlist (axe-core)", () => {
  it("a full group's waitlist page, joined, at desktop and phone sizes", async () => {
    const jonasId = await tutorId(server.url, "Jonas Weber");
    const jonas = await logIn(await contextIn(browser, "Europe/Berlin"), server.url, "jonas@tutorly.dev");
    const range = new URLSearchParams({ from: new Date(Date.now() + 72 * 3_600_000).toISOString(), to: new Date(Date.now() + 12 * 86_400_000).toISOString(), duration: "60" });
    const { slots } = (await (await jonas.request.get(`${server.url}/api/tutors/${jonasId}/slots?${range}`)).json()) as { slots: { start: string }[] };
    const { tutor } = (await (await jonas.request.get(`${server.url}/api/tutors/${jonasId}`)).json()) as { tutor: { subjects: string[] } };
    const opened = await jonas.request.post(`${server.url}/api/tutors/me/group-sessions`, { data: { start: slots[0]!.start, durationMinutes: 60, subject: tutor.subjects[0], seats: 2 }, headers: { "Idempotency-Key": crypto.randomUUID() } });
    const group = ((await opened.json()) as { booking: { id: string; start: string } }).booking;
    for (const who of ["maya", "aiko"]) {
      const p = await logIn(await contextIn(browser, "UTC"), server.url, `${who}@tutorly.dev`);
      await p.request.post(`${server.url}/api/bookings`, { data: { tutorId: jonasId, start: group.start, durationMinutes: 60, subject: tutor.subjects[0], group: true }, headers: { "Idempotency-Key": crypto.randomUUID() } });
      await p.context().close();
    }
    for (const width of [1280, 390]) {
      const ctx = await contextIn(browser, "Europe/Rome", width);
      const page = await logIn(ctx, server.url, "leo@tutorly.dev");
      await page.goto(`${server.url}/groups/${group.id}`);
      if (width === 1280) await page.getByTestId("join-waitlist").click();
      await page.getByTestId("waitlist-position").waitFor();
      const violations = await audit(page);
      await shot(page, `a11y-waitlist-${width}`);
      expect(violations, describeViolations(violations)).toEqual([]);
      await ctx.close();
    }
    await jonas.context().close();
  });

  it("a group seat's booking dialog with weekly repeat, at desktop and phone sizes", async () => {
    const mateoId = await tutorId(server.url, "Mateo García");
    const mateo = await logIn(await contextIn(browser, "America/Mexico_City"), server.url, "mateo@tutorly.dev");
    const range = new URLSearchParams({ from: new Date(Date.now() + 72 * 3_600_000).toISOString(), to: new Date(Date.now() + 12 * 86_400_000).toISOString(), duration: "60" });
    const { slots } = (await (await mateo.request.get(`${server.url}/api/tutors/${mateoId}/slots?${range}`)).json()) as { slots: { start: string }[] };
    const { tutor } = (await (await mateo.request.get(`${server.url}/api/tutors/${mateoId}`)).json()) as { tutor: { subjects: string[] } };
    const opened = await mateo.request.post(`${server.url}/api/tutors/me/group-sessions`, { data: { start: slots[0]!.start, durationMinutes: 60, subject: tutor.subjects[0], seats: 4 }, headers: { "Idempotency-Key": crypto.randomUUID() } });
    const group = ((await opened.json()) as { booking: { id: string; start: string } }).booking;
    for (const width of [1280, 390]) {
      const ctx = await contextIn(browser, "America/Chicago", width);
      const page = await logIn(ctx, server.url, "maya@tutorly.dev");
      await page.goto(`${server.url}/tutors/${mateoId}?week=${mondayIn(group.start, "America/Chicago")}`);
      await page.locator(`.group-item[data-group="${group.id}"]`).getByRole("button").click();
      const dialog = page.getByRole("dialog", { name: "Join this group session" });
      await dialog.getByTestId("repeat-weekly").check();
      await dialog.getByTestId("group-weekly-hint").waitFor();
      const violations = await audit(page);
      await shot(page, `a11y-group-weekly-${width}`);
      expect(violations, describeViolations(violations)).toEqual([]);
      await ctx.close();
    }
    await mateo.context().close();
  });
});
