import type { Browser, BrowserContext, Page } from "playwright-core";

/** A browser context in a given zone and locale (en-US keeps formatted times predictable). */
export const contextIn = (browser: Browser, timezoneId: string, width = 1280) =>
  browser.newContext({ timezoneId, locale: "en-US", viewport: { width, height: width > 500 ? 900 : 844 } });

export async function logIn(context: BrowserContext, url: string, email: string, password = "tutorly-demo"): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(/\/(dashboard|admin)$/);
  return page;
}

/** The id of a seeded tutor, by name, from the public search API. */
export async function tutorId(url: string, name: string): Promise<string> {
  const res = await fetch(`${url}/api/tutors?limit=50`);
  const { tutors } = (await res.json()) as { tutors: { id: string; name: string }[] };
  const t = tutors.find((x) => x.name === name);
  if (!t) throw new Error(`No seeded tutor named ${name}`);
  return t.id;
}

const HOUR = 3_600_000;

/**
 * The first bookable slot button starting at least `hoursAhead` from now, paging forward a few weeks if needed.
 * Slots are identified by their UTC `data-start`, never by wall-clock text.
 */
export async function firstSlotAfter(page: Page, hoursAhead = 48): Promise<string> {
  const earliest = Date.now() + hoursAhead * HOUR;
  for (let week = 0; week < 4; week++) {
    await page.locator(".week").waitFor();
    await page.locator('.week[aria-busy="true"]').waitFor({ state: "detached" });
    await page.waitForFunction(() => document.querySelectorAll(".week .slot-chip[data-start]").length > 0 || document.querySelector(".week-empty"));
    const starts = await page.locator(".week button.slot-chip[data-start]").evaluateAll((els) => els.map((e) => e.getAttribute("data-start")!));
    const hit = starts.find((s) => Date.parse(s) >= earliest);
    if (hit) return hit;
    await page.getByRole("button", { name: "Next week" }).click();
  }
  throw new Error("No slot found in the next 4 weeks");
}

export const slotButton = (page: Page, start: string) => page.locator(`.week button.slot-chip[data-start="${start}"]`);
