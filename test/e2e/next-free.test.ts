import type { Browser } from "playwright-core";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { contextIn, logIn, slotButton, tutorId } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

/** Mateo teaches from Mexico City (no clock changes); Maya looks from Chicago. */
const TUTOR_ZONE = "America/Mexico_City";
const VIEWER_ZONE = "America/Chicago";

describe("a tutor's week with no free time left", () => {
  it("points at the first free time after it, one click away, and says so when there is none for weeks", async () => {
    const id = await tutorId(server.url, "Mateo García");
    const mateo = await logIn(await contextIn(browser, TUTOR_ZONE), server.url, "mateo@tutorly.dev");
    const { availability } = (await (await mateo.request.get(`${server.url}/api/tutors/me/availability`)).json()) as {
      availability: { timezone: string; weekly: unknown[]; bufferMinutes: number; minNoticeMinutes: number; horizonDays: number };
    };
    // Away from yesterday until ten days from now (his days): nothing is free in the week Maya sees now.
    const today = DateTime.now().setZone(TUTOR_ZONE).startOf("day");
    const away = Array.from({ length: 11 }, (_, i) => ({ date: today.plus({ days: i - 1 }).toISODate()!, intervals: [] }));
    const setAway = (horizonDays: number) =>
      mateo.request.put(`${server.url}/api/tutors/me/availability`, { data: { ...availability, overrides: away, horizonDays } });
    expect((await setAway(availability.horizonDays)).status()).toBe(200);

    const maya = await logIn(await contextIn(browser, VIEWER_ZONE), server.url, "maya@tutorly.dev");
    await maya.goto(`${server.url}/tutors/${id}`);
    await maya.getByText("Shown in America/Chicago").waitFor();
    await maya.locator(".week-empty").waitFor();
    const shownWeek = await maya.locator(".week-range").textContent();

    // The first free start after this week, as the slots route gives it.
    const nextMonday = DateTime.now().setZone(VIEWER_ZONE).startOf("week").plus({ weeks: 1 });
    const range = new URLSearchParams({ from: nextMonday.toUTC().toISO()!, to: nextMonday.plus({ weeks: 8 }).toUTC().toISO()!, duration: "60" });
    const { slots } = (await (await maya.request.get(`${server.url}/api/tutors/${id}/slots?${range}`)).json()) as { slots: { start: string }[] };
    const first = slots[0]!.start;
    expect(Date.parse(first)).toBeGreaterThanOrEqual(today.plus({ days: 10 }).toMillis());

    const hint = maya.getByTestId("next-free");
    await hint.waitFor();
    expect(await hint.getAttribute("data-start")).toBe(first);
    const when = DateTime.fromISO(first, { zone: VIEWER_ZONE });
    expect(await hint.textContent()).toContain(`Next free time: ${when.toFormat("ccc")}`);
    await shot(maya, "tutor-page-next-free-time");

    await hint.getByRole("button", { name: "Show that week" }).click();
    await slotButton(maya, first).waitFor();
    expect(await maya.locator(".week-range").textContent()).not.toBe(shownWeek);
    expect(new URL(maya.url()).searchParams.get("week")).toBe(when.startOf("week").toISODate());
    expect(await maya.getByTestId("next-free").count()).toBe(0);

    // Bookable no further than a week ahead, and away all that week: nothing in the next eight weeks either.
    expect((await setAway(7)).status()).toBe(200);
    await maya.goto(`${server.url}/tutors/${id}`);
    await maya.getByTestId("next-free-none").waitFor();
    expect(await maya.getByTestId("next-free-none").textContent()).toBe("Nothing free in the next 8 weeks either.");
    expect(await maya.getByTestId("next-free").count()).toBe(0);
  });
});
