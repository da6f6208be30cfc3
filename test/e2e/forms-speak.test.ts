import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { seatPrice } from "../../domain/credits/pricing";
import { formatCredits } from "../../domain/format/amounts";
import { contextIn, logIn, tutorId } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;
useApp((s, b) => ((server = s), (browser = b)));

const JARGON = /expected|received|NaN|Invalid input|Too (small|big)|>=|<=|undefined/;

/** Every error on screen: field errors and alerts. */
const errorsOn = (page: Page) => page.locator(".field-error, .alert.error, [role='alert']").allInnerTexts();

async function submitEmpty(form: ReturnType<Page["locator"]>) {
  for (const input of await form.locator("input:not([type=radio]):not([type=checkbox]):not([type=hidden]), textarea").all()) await input.fill("");
  await form.locator("button[type=submit]").click();
  await form.locator(".field-error").first().waitFor();
}

describe("forms that speak human", () => {
  it("every account form, submitted empty, says what to do in words (no zod wording)", async () => {
    const context = await contextIn(browser, "Europe/London", 390);
    const page = await context.newPage();
    const seen: string[] = [];
    for (const path of ["/signup", "/login", "/forgot-password"]) {
      await page.goto(`${server.url}${path}`);
      await submitEmpty(page.locator("main form").first());
      seen.push(...(await errorsOn(page)));
    }
    const maya = await logIn(await contextIn(browser, "Europe/London", 390), server.url, "maya@tutorly.dev");
    await maya.goto(`${server.url}/account`);
    // The account page's four forms: profile, email, password, and deleting the account.
    await maya.locator("main form").nth(3).waitFor();
    const forms = await maya.locator("main form").all();
    expect(forms).toHaveLength(4);
    for (const form of forms) {
      await submitEmpty(form);
      seen.push(...(await errorsOn(maya)));
    }
    await shot(maya, "forms-account-errors");
    expect(seen.length).toBeGreaterThan(5);
    for (const text of seen) expect(text).not.toMatch(JARGON);
    await context.close();
  });

  it("a tutor's rate is checked in dollars, as typed, including an empty box", async () => {
    const page = await logIn(await contextIn(browser, "Asia/Kathmandu", 1280), server.url, "anish@tutorly.dev");
    const rate = page.getByLabel("Hourly rate (USD)");
    const save = page.getByRole("button", { name: "Save profile" });
    const error = page.locator("#f-hourlyRateCents-err");
    await rate.fill("");
    await save.click();
    expect(await error.innerText()).toBe("Enter your hourly rate in dollars, e.g. 40.");
    await rate.fill("2000");
    await save.click();
    expect(await error.innerText()).toBe("The hourly rate is at most $1,000.");
    await rate.fill("3");
    await save.click();
    expect(await error.innerText()).toBe("The hourly rate is at least $5.");
    await shot(page, "forms-rate-error");

    // The tutor alone sees what they keep of their rate; students see what a session costs them.
    await rate.fill("45");
    expect(await page.locator("#f-hourlyRateCents-hint").innerText()).toContain("you earn $36 of each hour after the platform's 20% commission");
    const visitor = await browser.newPage();
    await visitor.goto(`${server.url}/tutors/${await tutorId(server.url, "Anish Shrestha")}`);
    await visitor.getByRole("heading", { name: "Anish Shrestha", level: 1 }).waitFor();
    expect(await visitor.locator("main").innerText()).not.toMatch(/commission|you earn/i);
    await visitor.close();
  });

  it("the group seats box takes what is typed and checks it when left", async () => {
    const page = await logIn(await contextIn(browser, "Asia/Kathmandu", 390), server.url, "anish@tutorly.dev");
    await page.goto(`${server.url}/sessions`);
    await page.getByRole("button", { name: "Choose a time…" }).click();
    const seats = page.getByLabel("Seats");
    await seats.fill("");
    await seats.pressSequentially("6");
    expect(await seats.inputValue()).toBe("6");
    await expect.poll(() => page.locator("#group-seats-hint").innerText()).toMatch(/^Each student pays .+ of credit for this session\.$/);
    await seats.fill("12");
    await seats.blur();
    expect(await page.locator("#group-seats-error").innerText()).toBe("Enter a number of seats from 2 to 8.");
    await seats.fill("");
    await seats.blur();
    expect(await page.locator("#group-seats-error").innerText()).toBe("Enter a number of seats from 2 to 8.");
    await seats.fill("3");
    await seats.blur();
    await page.locator("#group-seats-error").waitFor({ state: "detached" });
  });

  it("the per-seat price follows the seats and length chosen, and is what the server charges", async () => {
    const page = await logIn(await contextIn(browser, "America/New_York"), server.url, "olivia@tutorly.dev");
    const { tutor } = (await (await page.request.get(`${server.url}/api/tutors/${await tutorId(server.url, "Olivia Bennett")}`)).json()) as { tutor: { hourlyRateCents: number } };
    const pays = (seats: number, durationMinutes: number) =>
      `Each student pays ${formatCredits(seatPrice({ kind: "group", hourlyRateCents: tutor.hourlyRateCents, durationMinutes, seats }), "en")} for this session.`;
    await page.goto(`${server.url}/sessions`);
    await page.getByRole("button", { name: "Choose a time…" }).click();
    const hint = page.locator("#group-seats-hint");
    await expect.poll(() => hint.innerText()).toBe(pays(4, 60));
    await page.locator("#group-seats").fill("2");
    await expect.poll(() => hint.innerText()).toBe(pays(2, 60));
    await page.locator('input[name=group-duration][value="30"]').check();
    await expect.poll(() => hint.innerText()).toBe(pays(2, 30));
    expect(pays(2, 30)).not.toBe(pays(4, 60));
  });
});
