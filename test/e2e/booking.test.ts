import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { contextIn, firstSlotAfter, logIn, slotButton } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

describe("booking a tutor", () => {
  it("a student searches, books a slot two days out, sees it in My sessions with credits spent, reschedules it, cancels and gets them back", async () => {
    const context = await contextIn(browser, "America/Chicago");
    const page = await logIn(context, server.url, "maya@tutorly.dev");
    await page.getByRole("link", { name: "Find a tutor" }).first().click();
    await page.getByRole("heading", { name: "Find a tutor" }).waitFor();

    // Filters go to the URL; results show overlap with the student's hours in her zone.
    expect(await page.getByLabel("My time zone").inputValue()).toBe("America/Chicago");
    await page.getByLabel("Subject or tutor").fill("chemistry");
    await page.getByLabel("From", { exact: true }).fill("08:00");
    await page.getByLabel("To", { exact: true }).fill("22:00");
    await page.waitForURL(/[?&]q=chemistry/);
    await page.waitForURL(/from=08%3A00|from=08:00/);
    const card = page.locator(".tutor-card", { hasText: "Anish Shrestha" });
    await card.waitFor();
    await card.getByText("in your hours over the next 7 days").waitFor();
    await shot(page, "search-desktop");

    await card.getByRole("link", { name: "Anish Shrestha" }).click();
    await page.getByRole("heading", { name: "Anish Shrestha", level: 1 }).waitFor();
    await page.getByText("Shown in America/Chicago").waitFor();
    await page.locator(".live-badge", { hasText: "Live" }).waitFor();
    const start = await firstSlotAfter(page, 48);
    await shot(page, "tutor-page-desktop");

    await slotButton(page, start).click();
    const dialog = page.getByRole("dialog", { name: "Confirm your booking" });
    await dialog.waitFor();
    // Subject carried over from the search, both zones, cost, balance and the refund rule.
    expect(await dialog.getByLabel("Subject").inputValue()).toBe("chemistry");
    await dialog.getByText("Asia/Kathmandu").waitFor();
    await dialog.getByTestId("balance").getByText("4 h").waitFor();
    await dialog.getByText("Cancel at least 24 hours before the start").waitFor();
    await shot(page, "booking-dialog");
    // Esc closes it and gives focus back to the slot.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await slotButton(page, start).evaluate((el) => el === document.activeElement)).toBe(true);

    // Anish charges $20 an hour; a credit-minute is worth 50¢, so his hour costs 40 min of the 4 h of credit.
    await slotButton(page, start).click();
    await dialog.getByRole("button", { name: "Book for 40 min" }).click();
    await dialog.getByText("You're booked!").waitFor();
    await slotButton(page, start).waitFor({ state: "detached" });
    await dialog.getByRole("link", { name: "See my sessions" }).click();

    await page.getByRole("heading", { name: "My sessions" }).waitFor();
    const item = page.locator(".session[data-status='confirmed']", { hasText: "Chemistry" });
    await item.waitFor();
    await item.getByText("Anish Shrestha").waitFor();
    await page.getByTestId("credit-balance").getByText("3 h 20 min", { exact: true }).waitFor();
    await shot(page, "sessions-desktop");

    // Move it to another free time of the same tutor.
    const before = await item.locator(".session-main").textContent();
    await item.getByRole("button", { name: /^Reschedule/ }).click();
    const move = page.getByRole("dialog", { name: "Reschedule" });
    await move.waitFor();
    const next = await firstSlotAfter(page, 48);
    expect(next).not.toBe(start);
    await slotButton(page, next).click();
    await move.getByRole("button", { name: "Move session" }).click();
    await page.getByText("Session moved.").waitFor();
    await expect.poll(() => item.locator(".session-main").textContent()).not.toBe(before);
    await page.getByTestId("credit-balance").getByText("3 h 20 min", { exact: true }).waitFor();

    await item.getByRole("button", { name: /^Cancel/ }).click();
    const cancel = page.getByRole("dialog", { name: "Cancel this session?" });
    await cancel.locator('[data-refund="full"]').getByText("40 min of credit comes back").waitFor();
    await shot(page, "cancel-dialog");
    await cancel.getByRole("button", { name: "Cancel session" }).click();
    await page.getByText("Session cancelled.").waitFor();
    await page.locator(".session[data-status='cancelled']", { hasText: "Chemistry" }).waitFor();
    await page.getByTestId("credit-balance").getByText("4 h", { exact: true }).waitFor();
    expect(await page.locator(".session[data-status='confirmed']").count()).toBe(0);
    await context.close();
  });

  it("a signed-out visitor who picks a slot is offered to sign up, logs in instead and comes back to its confirmation", async () => {
    const context = await contextIn(browser, "Europe/Rome", 390);
    const page = await context.newPage();
    await page.goto(`${server.url}/tutors`);
    await page.locator(".tutor-card", { hasText: "Sophie Martin" }).getByRole("link").click();
    await page.getByRole("heading", { name: "Sophie Martin", level: 1 }).waitFor();
    const start = await firstSlotAfter(page, 48);
    await slotButton(page, start).click();

    // Newcomers land on signing up; the way to log in keeps the slot too.
    await page.getByRole("heading", { name: "Create your account" }).waitFor();
    await page.getByRole("main").getByRole("link", { name: "Log in" }).click();
    await page.getByRole("heading", { name: "Log in" }).waitFor();
    await page.getByLabel("Email").fill("leo@tutorly.dev");
    await page.getByLabel("Password").fill("tutorly-demo");
    await page.getByRole("button", { name: "Log in" }).click();

    const dialog = page.getByRole("dialog", { name: "Confirm your booking" });
    await dialog.waitFor();
    await dialog.getByText("Europe/Rome").waitFor();
    await dialog.getByText("Europe/Paris").waitFor();
    await shot(page, "booking-dialog-phone");
    await dialog.getByRole("button", { name: "Cancel", exact: true }).click();
    await dialog.waitFor({ state: "hidden" });
    await context.close();
  });
});
