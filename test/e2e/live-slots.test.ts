import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { dayOf } from "../../web/src/lib/time";
import { shot } from "./browser";
import { contextIn, firstSlotAfter, logIn, slotButton, tutorId } from "./helpers";
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
