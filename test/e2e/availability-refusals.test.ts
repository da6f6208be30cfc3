import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { formatTimeRange } from "../../domain/format/time";
import { addDays, dayOf } from "../../web/src/lib/time";
import { shot } from "./browser";
import { bookFirstHour, contextIn, logIn, tutorId } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;
useApp((s, b) => ((server = s), (browser = b)));

const DUBAI = "Asia/Dubai";

describe("availability says no before it cancels anything", () => {
  it("a day off over a booked session is refused with the session named; kept, nothing changes; confirmed, the session is cancelled and the student told", async () => {
    const aiko = await logIn(await contextIn(browser, "Asia/Tokyo"), server.url, "aiko@tutorly.dev");
    const booking = await bookFirstHour(aiko, server.url, await tutorId(server.url, "Fatima Al-Sayed"));
    const date = dayOf(Date.parse(booking.start), DUBAI);
    const time = formatTimeRange(Date.parse(booking.start), Date.parse(booking.start) + 3_600_000, DUBAI, "en-US");

    const fatima = await logIn(await contextIn(browser, DUBAI, 390), server.url, "fatima@tutorly.dev");
    await fatima.goto(`${server.url}/availability`);
    await fatima.getByRole("heading", { name: "Availability", level: 1 }).waitFor();
    const addDayOff = async () => {
      await fatima.getByRole("button", { name: "+ Add a date" }).click();
      await fatima.locator(".override").last().getByLabel("Date").fill(date);
      await fatima.getByRole("button", { name: "Save availability" }).click();
    };
    await addDayOff();

    const panel = fatima.locator("#in-the-way");
    await panel.waitFor();
    expect(await panel.getByRole("heading").innerText()).toBe("A booked session falls on the dates you are changing");
    const line = panel.locator(`li[data-booking="${booking.id}"]`);
    expect(await line.innerText()).toContain("Aiko Sato");
    const spaced = (x: string) => x.replace(/\s+/g, " ");
    expect(spaced(await line.innerText())).toContain(spaced(time));
    expect(await line.innerText()).toContain("Asia/Dubai");
    await shot(fatima, "availability-refused-phone");
    expect(await fatima.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // Keeping the sessions: the panel goes, nothing was saved.
    await panel.getByRole("button", { name: "Keep my sessions" }).click();
    await panel.waitFor({ state: "detached" });
    await fatima.reload();
    await fatima.getByRole("heading", { name: "Availability", level: 1 }).waitFor();
    await fatima.getByText("No overrides.").waitFor();

    // Confirming: the session is cancelled by the tutor with her reason, the day off saved.
    await fatima.setViewportSize({ width: 1280, height: 800 });
    await addDayOff();
    await panel.waitFor();
    await shot(fatima, "availability-refused-desktop");
    await panel.getByLabel("Reason, sent to the students (optional)").fill("Public holiday");
    await panel.getByRole("button", { name: "Cancel the session and save" }).click();
    await fatima.getByRole("status").filter({ hasText: "The session was cancelled and its students were told." }).waitFor();
    await panel.waitFor({ state: "detached" });
    await fatima.reload();
    await fatima.locator(`.override[data-date="${date}"]`).waitFor();

    await expect
      .poll(async () => ((await (await aiko.request.get(`${server.url}/api/bookings`)).json()) as { bookings: { id: string; status: string }[] }).bookings.find((b) => b.id === booking.id)?.status, { timeout: 10_000 })
      .toBe("cancelled");
    const inbox = (await (await aiko.request.get(`${server.url}/api/notifications`)).json()) as { notifications: { body: string }[] };
    await expect.poll(async () => ((await (await aiko.request.get(`${server.url}/api/notifications`)).json()) as typeof inbox).notifications.some((n) => n.body.includes("Public holiday")), { timeout: 10_000 }).toBe(true);
  });

  it("keeping the sessions saves every other change, leaves the dates with sessions as they were and says so", async () => {
    const KOLKATA = "Asia/Kolkata";
    const maya = await logIn(await contextIn(browser, "America/Chicago"), server.url, "maya@tutorly.dev");
    const booking = await bookFirstHour(maya, server.url, await tutorId(server.url, "Priya Sharma"));
    const booked = dayOf(Date.parse(booking.start), KOLKATA);
    const free = addDays(booked, 9);
    const dayName = (d: string) => new Intl.DateTimeFormat("en-US", { timeZone: "UTC", weekday: "short", month: "short", day: "numeric" }).format(Date.parse(`${d}T00:00:00Z`));

    const priya = await logIn(await contextIn(browser, KOLKATA), server.url, "priya@tutorly.dev");
    await priya.goto(`${server.url}/availability`);
    await priya.getByRole("heading", { name: "Availability", level: 1 }).waitFor();
    const saturday = priya.locator('.weekday-row[data-weekday="6"]');
    await saturday.getByRole("button", { name: "Add hours on Saturday" }).click();
    for (const date of [booked, free]) {
      await priya.getByRole("button", { name: "+ Add a date" }).click();
      await priya.locator(".override").last().getByLabel("Date").fill(date);
    }
    await priya.getByRole("button", { name: "Save availability" }).click();
    const panel = priya.locator("#in-the-way");
    await panel.waitFor();
    await panel.getByRole("button", { name: "Keep my sessions" }).click();
    await panel.waitFor({ state: "detached" });
    const said = await priya.getByRole("status").filter({ hasText: "Saved everything else" }).innerText();
    expect(said).toContain(dayName(booked));
    expect(said).toContain("a booked session falls on it");
    await shot(priya, "availability-kept-sessions");

    await priya.reload();
    await priya.getByRole("heading", { name: "Availability", level: 1 }).waitFor();
    expect(await saturday.getByLabel("Saturday from").inputValue()).toBe("09:00");
    await priya.locator(`.override[data-date="${free}"]`).waitFor();
    expect(await priya.locator(`.override[data-date="${booked}"]`).count()).toBe(0);
    // Saved again, nothing is in the way any more, and the session is still booked.
    await priya.getByRole("button", { name: "Save availability" }).click();
    await priya.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    expect(await panel.count()).toBe(0);
    const mine = (await (await maya.request.get(`${server.url}/api/bookings`)).json()) as { bookings: { id: string; status: string }[] };
    expect(mine.bookings.find((b) => b.id === booking.id)?.status).toBe("confirmed");
  });

  it("overlapping weekly hours are refused on the row, naming both ranges", async () => {
    const fatima = await logIn(await contextIn(browser, DUBAI), server.url, "fatima@tutorly.dev");
    await fatima.goto(`${server.url}/availability`);
    const monday = fatima.locator('.weekday-row[data-weekday="1"]');
    await monday.getByRole("button", { name: "Add hours on Monday" }).click();
    await monday.getByLabel("Monday from").nth(1).fill("18:00");
    await fatima.getByRole("button", { name: "Save availability" }).click();
    await monday.getByText("Monday 18:00–20:00 overlaps Monday 15:00–19:00. Join them into one range or change one of them.").waitFor();
    await shot(fatima, "availability-overlap");
  });
});
