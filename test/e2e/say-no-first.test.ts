import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { bookFirstHour, contextIn, logIn, tutorId } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;
useApp((s, b) => ((server = s), (browser = b)));

const HOUR = 3_600_000;

describe("say no before asking", () => {
  it("inside the 24-hour cut-off a student's Reschedule is disabled with its reason (in Sessions and on the session's page); the tutor can still move it", async () => {
    const maya = await logIn(await contextIn(browser, "America/Chicago", 390), server.url, "maya@tutorly.dev");
    const booking = await bookFirstHour(maya, server.url, await tutorId(server.url, "Priya Sharma"));
    const soon = Date.now() + 3 * HOUR;
    const moved = await maya.request.post(`${server.url}/api/dev/bookings/${booking.id}/move`, { data: { start: new Date(soon).toISOString(), end: new Date(soon + HOUR).toISOString() } });
    expect(moved.status()).toBe(200);

    await maya.goto(`${server.url}/sessions`);
    const row = maya.locator(`.session[data-booking="${booking.id}"]`).first();
    const reschedule = row.getByRole("button", { name: /^Reschedule / });
    await reschedule.waitFor();
    expect(await reschedule.isDisabled()).toBe(true);
    expect(await row.getByTestId("reschedule-closed").innerText()).toBe("Sessions can be moved up to 24 hours before they start.");
    await shot(maya, "reschedule-closed-phone");
    // On a desktop the reason sits under the buttons without squeezing the session's own lines.
    await maya.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(async () => (await row.locator('[data-join="before"]').boundingBox())?.width ?? 0).toBeGreaterThan(150);
    await maya.setViewportSize({ width: 390, height: 844 });

    await maya.goto(`${server.url}/sessions/${booking.id}`);
    const onPage = maya.getByRole("button", { name: "Reschedule" });
    await onPage.waitFor();
    expect(await onPage.isDisabled()).toBe(true);
    expect(await maya.getByTestId("reschedule-closed").innerText()).toContain("24 hours");

    const priya = await logIn(await contextIn(browser, "Asia/Kolkata", 1280), server.url, "priya@tutorly.dev");
    await priya.goto(`${server.url}/sessions/${booking.id}`);
    const forTutor = priya.getByRole("button", { name: "Reschedule" });
    await forTutor.waitFor();
    expect(await forTutor.isEnabled()).toBe(true);
    expect(await priya.getByTestId("reschedule-closed").count()).toBe(0);
  });

  it("a room refuses someone who is not in the session before asking for their camera", async () => {
    const maya = await logIn(await contextIn(browser, "America/Chicago"), server.url, "maya@tutorly.dev");
    const booking = await bookFirstHour(maya, server.url, await tutorId(server.url, "Lucas Oliveira"));

    const context = await contextIn(browser, "Europe/Rome");
    await context.addInitScript(() => {
      const media = navigator.mediaDevices;
      const ask = media.getUserMedia.bind(media);
      (window as unknown as { cameraAsks: number }).cameraAsks = 0;
      media.getUserMedia = (c) => ((window as unknown as { cameraAsks: number }).cameraAsks++, ask(c));
    });
    const leo = await logIn(context, server.url, "leo@tutorly.dev");
    await leo.goto(`${server.url}/sessions/${booking.id}/room`);
    await leo.getByTestId("room-refused").waitFor();
    expect(await leo.getByRole("heading", { name: "You can't join this session" }).count()).toBe(1);
    expect(await leo.evaluate(() => (window as unknown as { cameraAsks: number }).cameraAsks)).toBe(0);
    await shot(leo, "room-refused");
  });
});
