import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { audit } from "./axe";
import { shot } from "./browser";
import { formatDateTime } from "../../domain/format/time";
import { contextIn, logIn, tutorId } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

describe("pausing a plan (local payment mode)", () => {
  it("a subscriber pauses for 2 weeks, sees until when and the moved renewal, then resumes early", async () => {
    const context = await contextIn(browser, "America/Chicago");
    const page = await logIn(context, server.url, "maya@tutorly.dev");
    await page.goto(`${server.url}/billing`);
    await page.locator('.plan-card[data-plan="starter"]').getByRole("button", { name: "Choose Starter" }).click();
    await page.waitForURL(/\/billing\/checkout\/cs_local_/);
    await page.getByRole("button", { name: "Pay (test)" }).click();
    await page.waitForURL(/\/billing$/);
    await page.locator('[data-testid="current-plan"][data-plan="starter"]').waitFor();

    // A weekly lesson starting in less than 24 h: the pause keeps it booked (skipping it would be a late refund).
    const kept = await weeklyLessonSoon(page);

    const plan = page.getByTestId("current-plan");
    const renewsBefore = await plan.getByText(/^Renews on/).textContent();
    const card = page.getByTestId("pause-plan");
    await card.getByText("Pause for 1 to 4 weeks, once per billing period", { exact: false }).waitFor();
    await card.getByLabel("Pause for").selectOption("2");
    await shot(page, "pause-before");
    await card.getByRole("button", { name: "Pause plan" }).click();

    const until = card.getByTestId("paused-until");
    await until.getByText(/^Paused until .+\(C[SD]T\)\.$/).waitFor();
    await until.getByText(/Your plan renews on/).waitFor();
    await card.getByText(/^Paused until .+ Your plan now renews on /).waitFor();
    // The lesson that stays booked is named, at its time in the student's zone, with a link to its page.
    const keptNote = card.getByTestId("pause-kept");
    await keptNote.getByText(/stays booked: it starts within 24 hours/).waitFor();
    await keptNote.getByText(/You can still cancel it on its page/).waitFor();
    const link = keptNote.locator(`a[href="/sessions/${kept.id}"]`);
    expect(await link.textContent()).toContain(formatDateTime(kept.start, "America/Chicago", "en-US"));
    const renewsAfter = await plan.getByText(/^Renews on/).textContent();
    expect(renewsAfter).not.toBe(renewsBefore);
    await shot(page, "pause-paused");
    expect((await audit(page)).map((v) => v.id)).toEqual([]);

    // A reload shows the same pause (it is the server's, not the page's).
    await page.reload();
    await page.getByTestId("paused-until").waitFor();

    await page.getByTestId("pause-plan").getByRole("button", { name: "Resume now" }).click();
    await page.getByTestId("pause-plan").getByText(/^Welcome back\. Your plan renews on /).waitFor();
    // Paused once this period: the card says so instead of offering another pause.
    await page.getByTestId("pause-unavailable").getByText(/You paused this billing period already/).waitFor();
    expect(await plan.getByText(/^Renews on/).textContent()).toBe(renewsBefore);
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "pause-resumed-phone");
    await context.close();
  });
});

const HOUR = 3_600_000;

/**
 * Books, as the student of `page`, two weekly lessons with Olivia whose first starts within the next 24 hours: her
 * hours are opened to every day with an hour's notice first (as Olivia, in another browser context).
 */
async function weeklyLessonSoon(page: Page): Promise<{ id: string; start: string }> {
  const olivia = await tutorId(server.url, "Olivia Bennett");
  const tutor = await browser.newContext();
  const login = await tutor.request.post(`${server.url}/api/auth/login`, { data: { email: "olivia@tutorly.dev", password: "tutorly-demo" }, headers: { Origin: server.url } });
  expect(login.status()).toBe(200);
  const { availability } = (await (await tutor.request.get(`${server.url}/api/tutors/me/availability`)).json()) as { availability: Record<string, unknown> };
  const everyDay = Array.from({ length: 7 }, (_, i) => ({ weekday: i + 1, start: "00:00", end: "23:30" }));
  const opened = await tutor.request.put(`${server.url}/api/tutors/me/availability`, {
    data: { ...availability, timezone: "UTC", weekly: everyDay, overrides: [], minNoticeMinutes: 60 },
    headers: { Origin: server.url },
  });
  expect(opened.status()).toBe(200);
  await tutor.close();

  const { tutor: facts } = (await (await page.request.get(`${server.url}/api/tutors/${olivia}`)).json()) as { tutor: { subjects: string[] } };
  const range = new URLSearchParams({ from: new Date(Date.now() + 2 * HOUR).toISOString(), to: new Date(Date.now() + 20 * HOUR).toISOString(), duration: "60" });
  const { slots } = (await (await page.request.get(`${server.url}/api/tutors/${olivia}/slots?${range}`)).json()) as { slots: { start: string }[] };
  for (const slot of slots) {
    const booked = await page.request.post(`${server.url}/api/bookings`, {
      data: { tutorId: olivia, start: slot.start, durationMinutes: 60, subject: facts.subjects[0], repeat: { weeks: 2 } },
      headers: { "Idempotency-Key": crypto.randomUUID(), Origin: server.url },
    });
    if (booked.status() === 201) {
      const { series } = (await booked.json()) as { series: { occurrences: { id: string; start: string }[] } };
      return series.occurrences[0]!;
    }
  }
  throw new Error("No weekly hour with Olivia in the next 20 hours could be booked");
}
