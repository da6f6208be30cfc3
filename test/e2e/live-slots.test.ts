import type { Browser, Page, Route } from "playwright-core";
import { describe, expect, it } from "vitest";
import { dayOf } from "../../web/src/lib/time";
import { shot } from "./browser";
import { contextIn, firstSlotAfter, logIn, mondayIn, slotButton, tutorId } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

describe("live slots on a tutor's page", () => {
  it("a slot booked by one student vanishes for another viewer in another zone, without a reload", async () => {
    const id = await tutorId(server.url, "Olivia Bennett");
    const rome = await contextIn(browser, "Europe/Rome");
    const tokyo = await contextIn(browser, "Asia/Tokyo", 390);
    const leo = await logIn(rome, server.url, "leo@tutorly.dev");
    const aiko = await logIn(tokyo, server.url, "aiko@tutorly.dev");

    await leo.goto(`${server.url}/tutors/${id}`);
    await leo.getByText("Shown in Europe/Rome").waitFor();
    const start = await firstSlotAfter(leo, 48);

    // The other viewer looks at the week that holds the same instant in her own zone.
    await aiko.goto(`${server.url}/tutors/${id}?week=${dayOf(start, "Asia/Tokyo")}`);
    await aiko.getByText("Shown in Asia/Tokyo").waitFor();
    await aiko.locator(".live-badge", { hasText: "Live" }).waitFor();
    const theirs = slotButton(aiko, start);
    await theirs.waitFor();
    // Same instant, different wall clocks: the labels differ by the zones' offset.
    expect(await theirs.textContent()).not.toBe(await slotButton(leo, start).textContent());
    await aiko.evaluate(() => ((window as { marker?: string }).marker = "no reload"));
    await shot(aiko, "tutor-page-phone-before");
    // She has the same slot's confirmation open while he books it.
    await theirs.click();
    const herDialog = aiko.getByRole("dialog", { name: "Confirm your booking" });
    await herDialog.waitFor();

    await slotButton(leo, start).click();
    await leo.getByRole("dialog", { name: "Confirm your booking" }).getByRole("button", { name: /^Book for/ }).click();
    await leo.getByText("You're booked!").waitFor();

    await theirs.waitFor({ state: "detached", timeout: 5_000 });
    expect(await aiko.evaluate(() => (window as { marker?: string }).marker)).toBe("no reload");

    // Her confirmation is refused with a friendly message, not a double booking.
    await herDialog.getByRole("button", { name: /^Book for/ }).click();
    await herDialog.getByText("Someone else just took that time").waitFor();
    await shot(aiko, "booking-dialog-slot-taken-phone");
    await herDialog.getByRole("button", { name: "Choose another time" }).click();
    await herDialog.waitFor({ state: "hidden" });
    await shot(aiko, "tutor-page-phone-after");
    await rome.close();
    await tokyo.close();
  });
});

/**
 * Holds the page's slots requests whose query `match`es until `release` is called, to look at the page while they
 * load. (The page's context must block service workers, or their fetches would go past the page's routes.)
 */
async function holdSlots(page: Page, match: (q: URLSearchParams) => boolean) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let arrived!: () => void;
  const seen = new Promise<void>((r) => (arrived = r));
  let open = false;
  await page.route(
    (u) => u.pathname.endsWith("/slots"),
    async (route: Route) => {
      if (!open && match(new URL(route.request().url()).searchParams)) {
        arrived();
        await released;
      }
      await route.continue();
    },
  );
  return {
    seen,
    release: () => {
      open = true;
      release();
    },
  };
}

const DAY = 24 * 3_600_000;

describe("a tutor's week while another one loads", () => {
  it("says it is loading until its own times arrive: not another week's \"no free time\", not times of another length", async () => {
    const id = await tutorId(server.url, "Amelia Clarke");
    const ctx = await browser.newContext({ timezoneId: "America/Chicago", locale: "en-US", viewport: { width: 1280, height: 900 }, serviceWorkers: "block" });
    const maya = await logIn(ctx, server.url, "maya@tutorly.dev");
    const busy = () => maya.locator('.week[aria-busy="true"]').count();

    // A week past the tutor's 60-day booking horizon has no free time, and says so.
    const far = mondayIn(new Date(Date.now() + 75 * DAY).toISOString(), "America/Chicago");
    await maya.goto(`${server.url}/tutors/${id}?week=${far}`);
    await maya.locator(".week-empty").waitFor();
    // The week before it is asked for: until it answers, the page must not say that week has no free time either.
    const before = Date.parse(`${far}T00:00:00Z`) - 7 * DAY;
    const earlier = await holdSlots(maya, (q) => Date.parse(q.get("from")!) < before + DAY);
    await maya.getByRole("button", { name: "Previous week" }).click();
    await earlier.seen;
    await expect.poll(busy).toBe(1);
    expect(await maya.locator(".week-empty").count()).toBe(0);
    earlier.release();
    await maya.locator('.week[aria-busy="true"]').waitFor({ state: "detached" });

    // A week with free hours, then 30 minutes instead of 60: the hour-long times go while the half hours load (a
    // click on one would have booked an hour under a "30 min" label).
    await maya.goto(`${server.url}/tutors/${id}`);
    const start = await firstSlotAfter(maya, 24);
    await maya.goto(`${server.url}/tutors/${id}?week=${mondayIn(start, "America/Chicago")}`);
    await slotButton(maya, start).waitFor();
    const halfHours = await holdSlots(maya, (q) => q.get("duration") === "30");
    await maya.getByRole("radio", { name: /^30/ }).check();
    await halfHours.seen;
    await expect.poll(busy).toBe(1);
    expect(await maya.locator(".week button.slot-chip").count()).toBe(0);
    halfHours.release();
    await slotButton(maya, start).waitFor();
    expect(await slotButton(maya, start).getAttribute("aria-label")).toMatch(/^Book 30 min /);
    await ctx.close();
  });
});
