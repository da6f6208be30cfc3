import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { contextIn, logIn, tutorId } from "./helpers";
import { passDeviceCheck, sessionStartingNow } from "./room";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

// RealtimeKit chosen, but none of its secrets set: a deployment would refuse to start; locally the room says why.
useApp((s, b) => ((server = s), (browser = b)), { VIDEO_PROVIDER: "realtimekit" });

describe("a room without a working video configuration", () => {
  it("shows a clear message instead of a call that cannot connect", async () => {
    const lucas = await tutorId(server.url, "Lucas Oliveira");
    const ctx = await contextIn(browser, "America/Chicago");
    const student = await logIn(ctx, server.url, "maya@tutorly.dev");
    const bookingId = await sessionStartingNow(student, server.url, lucas);
    await passDeviceCheck(student, server.url, bookingId);
    await student.getByRole("button", { name: "Join session" }).click();
    await student.getByRole("heading", { name: "Video isn't set up here" }).waitFor();
    await student.getByText(/Calls can't start until this Tutorly server's video is set up/).waitFor();
    expect(await student.getByRole("alert").textContent()).toContain("REALTIME_ACCOUNT_ID");
    // Nothing of a call started: no tiles, and the camera preview is gone with the device check.
    expect(await student.locator(".tile").count()).toBe(0);
    expect(await student.locator(".preview video").count()).toBe(0);
    await shot(student, "room-video-not-configured");
    await ctx.close();
  });
});
