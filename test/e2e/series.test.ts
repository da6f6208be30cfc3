import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { contextIn, firstSlotAfter, logIn, slotButton } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

describe("weekly lessons", () => {
  it("a student in Tokyo books a New York tutor every week, sees the weeks the March clock change moves flagged, cancels one week and then the rest", async () => {
    const context = await contextIn(browser, "Asia/Tokyo");
    const page = await logIn(context, server.url, "aiko@tutorly.dev");
    await page.goto(`${server.url}/tutors`);
    await page.locator(".tutor-card", { hasText: "Olivia" }).getByRole("link").first().click();
    await page.getByRole("heading", { name: /Olivia/, level: 1 }).waitFor();
    const start = await firstSlotAfter(page, 48);
    await slotButton(page, start).click();
    const dialog = page.getByRole("dialog", { name: "Confirm your booking" });
    await dialog.waitFor();

    // Repeat it for 17 weeks: New York moves its clocks on March 14, Tokyo does not, so the later weeks are an
    // hour earlier for the student — flagged before booking.
    await dialog.getByTestId("repeat-weekly").check();
    await dialog.getByLabel("Number of weeks").fill("17");
    await dialog.getByTestId("week-shifted").first().waitFor();
    expect(await dialog.getByTestId("week").count()).toBeGreaterThan(0);
    await dialog.getByText("credits are taken 7 days before it").waitFor();
    await shot(page, "series-dialog");
    await dialog.getByRole("button", { name: "Book 17 weekly lessons" }).click();
    await dialog.getByText("You're booked!").waitFor();
    await dialog.getByRole("link", { name: "See the weekly lessons" }).click();

    await page.getByRole("heading", { name: /^Weekly/ }).waitFor();
    const weeks = page.getByTestId("series-week");
    await expect.poll(() => weeks.count()).toBeGreaterThan(10);
    await page.getByTestId("dst-shifted").first().waitFor();
    // The first lesson is within 7 days: paid; the second is paid 7 days before it.
    await weeks.nth(0).getByText("Paid").waitFor();
    await weeks.nth(1).getByText(/^Credits taken/).waitFor();
    await shot(page, "series-desktop");

    // Cancel the second week alone.
    await weeks.nth(1).getByRole("button", { name: /^Cancel this week/ }).click();
    const one = page.getByRole("dialog", { name: "Cancel this week?" });
    await one.getByRole("button", { name: "Cancel session" }).click();
    await page.locator("[data-testid='series-week'][data-status='cancelled']").first().waitFor();
    expect(await weeks.nth(0).getAttribute("data-status")).toBe("confirmed");
    expect(await weeks.nth(2).getAttribute("data-status")).toBe("confirmed");

    // Then the rest.
    await page.getByTestId("cancel-rest").click();
    await page.getByTestId("confirm-cancel-rest").click();
    await page.getByText("This series is cancelled.").waitFor();
    expect(await page.locator("[data-testid='series-week'][data-status='confirmed']").count()).toBe(0);

    // My sessions marks the weeks of a series.
    await page.goto(`${server.url}/sessions`);
    await page.getByRole("heading", { name: "My sessions" }).waitFor();
    await context.close();
  });

  it("the series page reads well on a phone", async () => {
    const context = await contextIn(browser, "America/Chicago", 390);
    const page = await logIn(context, server.url, "maya@tutorly.dev");
    await page.goto(`${server.url}/tutors`);
    await page.locator(".tutor-card", { hasText: "Lucas" }).getByRole("link").first().click();
    await page.getByRole("heading", { name: /Lucas/, level: 1 }).waitFor();
    const start = await firstSlotAfter(page, 48);
    await slotButton(page, start).click();
    const dialog = page.getByRole("dialog", { name: "Confirm your booking" });
    await dialog.getByTestId("repeat-weekly").check();
    await dialog.getByLabel("Number of weeks").fill("4");
    await shot(page, "series-dialog-phone");
    await dialog.getByRole("button", { name: "Book 4 weekly lessons" }).click();
    await dialog.getByRole("link", { name: "See the weekly lessons" }).click();
    await page.getByRole("heading", { name: /^Weekly/ }).waitFor();
    await expect.poll(() => page.getByTestId("series-week").count()).toBe(4);
    await shot(page, "series-phone");
    await context.close();
  });
});
