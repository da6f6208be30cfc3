import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { bookFirstHour, logIn, tutorId } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;
useApp((s, b) => ((server = s), (browser = b)));

const HOUR = 3_600_000;
const contextIn = (timezoneId: string, locale = "en-US") => browser.newContext({ timezoneId, locale, viewport: { width: 1280, height: 900 } });
const session = (page: Page, id: string) => page.locator(`.session[data-booking="${id}"]`).first();

describe("people know who and why (on screen)", () => {
  it("shows the tutor their student's name on the dashboard and in Sessions, and the student the tutor's", async () => {
    const maya = await logIn(await contextIn("America/Chicago"), server.url, "maya@tutorly.dev");
    const booking = await bookFirstHour(maya, server.url, await tutorId(server.url, "Anish Shrestha"));
    await maya.goto(`${server.url}/sessions`);
    await expect.poll(() => session(maya, booking.id).innerText()).toContain("with Anish Shrestha");

    const anish = await logIn(await contextIn("Asia/Kathmandu"), server.url, "anish@tutorly.dev");
    await expect.poll(() => session(anish, booking.id).innerText()).toContain("with Maya Johnson");
    await anish.goto(`${server.url}/sessions`);
    await expect.poll(() => session(anish, booking.id).innerText()).toContain("with Maya Johnson");
    await shot(anish, "tutor-sessions-with-names");
  });

  it("tells the tutor who cancelled, when and why — and does not tell the student about their own cancellation", async () => {
    const leo = await logIn(await contextIn("Europe/Rome"), server.url, "leo@tutorly.dev");
    const booking = await bookFirstHour(leo, server.url, await tutorId(server.url, "Yuki Tanaka"));
    await leo.goto(`${server.url}/sessions`);
    await leo.getByRole("button", { name: /^Cancel Japanese on / }).click();
    await leo.getByLabel("Reason (optional)").fill("Train strike");
    await leo.getByRole("button", { name: "Cancel session" }).click();
    await leo.getByRole("status").filter({ hasText: "Session cancelled." }).waitFor();

    const yuki = await logIn(await contextIn("Asia/Tokyo"), server.url, "yuki@tutorly.dev");
    await yuki.goto(`${server.url}/notifications`);
    const notice = yuki.locator(".notice").filter({ hasText: "Leo Rossi cancelled Japanese" }).first();
    await notice.waitFor();
    expect(await notice.innerText()).toContain("Reason given: “Train strike”.");
    expect(await notice.innerText()).toContain("(Asia/Tokyo)");
    await leo.goto(`${server.url}/notifications`);
    await leo.locator("main h1").waitFor();
    await leo.waitForLoadState("networkidle");
    expect(await leo.locator(".notice").filter({ hasText: "cancelled" }).count()).toBe(0);
    // The session's page says it too, to Leo as his own doing; to Yuki with his name.
    await leo.goto(`${server.url}/sessions/${booking.id}`);
    await expect.poll(() => leo.getByTestId("cancellation").innerText()).toMatch(/^You cancelled it on .*Train strike/s);
    await yuki.goto(`${server.url}/sessions/${booking.id}`);
    await expect.poll(() => yuki.getByTestId("cancellation").innerText()).toMatch(/^Cancelled by Leo Rossi on .*Train strike/s);
  });
});

describe("consistent words and numbers", () => {
  it("writes times on a 24-hour clock for a British reader, credit in one unit, and a session tomorrow evening as tomorrow", async () => {
    // A zone where it is early morning now, so tomorrow 23:00 is more than 36 hours away (which rounding made "in 2 days").
    const utcHour = new Date().getUTCHours();
    const offset = [...Array(27).keys()].map((i) => i - 12).find((o) => ((utcHour + o + 24) % 24) >= 1 && ((utcHour + o + 24) % 24) <= 8)!;
    const zone = offset === 0 ? "UTC" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
    const aiko = await logIn(await contextIn(zone, "en-GB"), server.url, "aiko@tutorly.dev");
    expect((await aiko.request.patch(`${server.url}/api/me`, { data: { timezone: zone, locale: "en-GB" } })).status()).toBe(200);
    const booking = await bookFirstHour(aiko, server.url, await tutorId(server.url, "Sophie Martin"));
    const local = new Date(Date.now() + offset * HOUR);
    const tomorrow2300 = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1, 23, 0) - offset * HOUR;
    const moved = await aiko.request.post(`${server.url}/api/dev/bookings/${booking.id}/move`, { data: { start: new Date(tomorrow2300).toISOString(), end: new Date(tomorrow2300 + HOUR).toISOString() } });
    expect(moved.status()).toBe(200);
    await aiko.goto(`${server.url}/sessions`);
    const row = session(aiko, booking.id);
    await expect.poll(() => row.innerText()).toContain("23:00–00:00");
    const text = await row.innerText();
    expect(text).toContain("tomorrow");
    expect(text).not.toMatch(/\b(AM|PM)\b/);
    expect(text).toMatch(/\d+ (h|min)( \d+ min)? of credit/);
    // Credit expiries are dates, with their year (a pack's lasts into next year).
    await aiko.locator(".credits-card li").first().waitFor();
    for (const line of await aiko.locator(".credits-card li").allInnerTexts()) expect(line).toMatch(/expires? on \d{1,2} \w{3,4} \d{4}$/); // British English writes September "Sept"
    await shot(aiko, "sessions-en-gb");
  });
});
