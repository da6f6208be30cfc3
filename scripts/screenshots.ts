/**
 * Regenerates the README's screenshots in docs/ from the real app: `wrangler dev` over the built SPA with fresh
 * demo data (test/e2e/server.ts) in Debian's chromium with a fake camera and microphone (test/e2e/browser.ts),
 * 1280×800, the viewport only (a full-page capture would smear the sticky header).
 *
 *   npm run build && npx tsx scripts/screenshots.ts
 *   npx tsx scripts/screenshots.ts messages      (only the conversation)
 *
 * Not a test: nothing here runs under `npm test`.
 */
import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { launch } from "../test/e2e/browser";
import { bookFirstHour, firstSlotAfter, logIn, moveToNow, slotButton, tutorId } from "../test/e2e/helpers";
import { type DevServer, startDevServer } from "../test/e2e/server";

const OUT = "docs";

const contextIn = (browser: Browser, timezoneId: string) => browser.newContext({ timezoneId, locale: "en-US", viewport: { width: 1280, height: 800 } });

async function save(page: Page, name: string) {
  // Live pages keep a socket open, so "network idle" is about HTTP only; the caret would blink into a capture.
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `${OUT}/screenshot-${name}.png`, caret: "hide", animations: "disabled" });
  console.log(`  ${OUT}/screenshot-${name}.png`);
}

/** At least one remote tile whose <video> is playing real frames. */
const remoteVideoPlaying = (page: Page) =>
  page.waitForFunction(() =>
    Array.from(document.querySelectorAll<HTMLVideoElement>(".tile[data-remote] video")).some((v) => !v.paused && v.readyState >= 2 && v.videoWidth > 0 && v.currentTime > 0),
  );

async function enterRoom(page: Page, url: string, bookingId: string) {
  await page.goto(`${url}/sessions/${bookingId}/room`);
  await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>(".preview video")?.videoWidth ?? 0) > 0);
  await page.getByRole("button", { name: "Join session" }).click();
  await page.getByTestId("room-status").getByText("Connected").waitFor();
}

/** A conversation between a student and a tutor, from the student's side, the tutor's reply just in. */
async function captureConversation(server: DevServer, browser: Browser) {
  const url = server.url;
  const maya = await logIn(await contextIn(browser, "America/Chicago"), url, "maya@tutorly.dev");
  const olivia = await logIn(await contextIn(browser, "America/New_York"), url, "olivia@tutorly.dev");
  await maya.goto(`${url}/tutors/${await tutorId(url, "Olivia Bennett")}`);
  await maya.getByRole("button", { name: "Message Olivia" }).click();
  await maya.waitForURL(/\/messages\/[\w-]+$/);
  const id = maya.url().split("/").pop()!;
  const say = async (page: Page, who: string, text: string) => {
    await page.getByLabel(`Message to ${who}`).fill(text);
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator(".bubble-row.mine[data-seq]").filter({ hasText: text.split("\n")[0]! }).waitFor();
  };
  await say(maya, "Olivia Bennett", "Hi Olivia! I have my SAT in three weeks and integrals still trip me up. Could we focus on those?");
  await olivia.goto(`${url}/messages/${id}`);
  await say(olivia, "Maya Johnson", "Hi Maya! Absolutely. Book two 60-minute sessions this week and we'll work through the practice test together.");
  await say(maya, "Olivia Bennett", "Perfect, Thursday 5 pm works for me. Should I bring anything?");
  await say(olivia, "Maya Johnson", "Bring the practice sheet (https://example.com/sat-calc.pdf) and your questions.\nSee you Thursday!");
  await maya.locator(".bubble-row:not(.mine)[data-seq]").nth(1).waitFor();
  // Seen on the open thread: the unread mark goes once the read is sent.
  await maya.getByTestId("messages-count").waitFor({ state: "detached" });
  await maya.mouse.move(0, 0);
  await save(maya, "messages");
}

async function capture(server: DevServer, browser: Browser) {
  const url = server.url;

  const visitor = await (await contextIn(browser, "America/Chicago")).newPage();
  await visitor.goto(url);
  await visitor.locator("h1").waitFor();
  await save(visitor, "landing");

  // A tutor's page for a visitor whose browser speaks Arabic: right to left, mirrored, dates and prices by Intl.
  const arabic = await (await browser.newContext({ timezoneId: "Asia/Riyadh", locale: "ar-SA", viewport: { width: 1280, height: 800 } })).newPage();
  await arabic.goto(`${url}/tutors/${await tutorId(url, "Olivia Bennett")}`);
  await arabic.locator(".week .slot-chip[data-start]").first().waitFor();
  await save(arabic, "tutor-ar");

  // A tutor's week in the student's zone, with the booking dialog open on a slot two days out.
  const leo = await logIn(await contextIn(browser, "Europe/Rome"), url, "leo@tutorly.dev");
  await leo.goto(`${url}/tutors/${await tutorId(url, "Jonas Weber")}`);
  await slotButton(leo, await firstSlotAfter(leo, 48)).click();
  await leo.getByRole("dialog").waitFor();
  await save(leo, "tutor-booking");

  // Maya's sessions: one in progress (Join is open) and one still ahead (Join opens 10 minutes before it).
  const maya = await logIn(await contextIn(browser, "America/Chicago"), url, "maya@tutorly.dev");
  const now = await bookFirstHour(maya, url, await tutorId(url, "Anish Shrestha"));
  await moveToNow(maya, url, now.id);
  await bookFirstHour(maya, url, await tutorId(url, "Olivia Bennett"));
  await maya.goto(`${url}/sessions`);
  await maya.locator('[data-join="open"]:visible').first().waitFor();
  await maya.locator('[data-join="before"]:visible').first().waitFor();
  await save(maya, "sessions");

  await maya.goto(`${url}/billing`);
  await maya.locator(".plan-grid li").first().waitFor();
  await maya.locator('[data-testid="current-plan"] .skeleton').waitFor({ state: "detached" });
  await save(maya, "billing");

  const admin = await logIn(await contextIn(browser, "UTC"), url, "admin@tutorly.dev", "tutorly-admin");
  await admin.getByTestId("bookings-chart").locator("svg[role='img']").waitFor();
  await save(admin, "admin");

  // The video room with its two participants on fake media.
  const anish = await logIn(await contextIn(browser, "Asia/Kathmandu"), url, "anish@tutorly.dev");
  await enterRoom(maya, url, now.id);
  await enterRoom(anish, url, now.id);
  await remoteVideoPlaying(maya);
  await remoteVideoPlaying(anish);
  await maya.getByRole("textbox", { name: "Message" }).fill("Hi Anish! Ready when you are.");
  await maya.getByRole("button", { name: "Send" }).click();
  await anish.locator(".chat-list").getByText("Ready when you are.").waitFor();
  await anish.locator('.tile[data-remote][data-audio="heard"]').waitFor();
  await save(anish, "room");
}

if (!existsSync("dist/client/index.html")) {
  console.error("Build the SPA first: npm run build");
  process.exit(1);
}
console.log("Starting the app…");
const server = await startDevServer();
const browser = await launch();
try {
  await captureConversation(server, browser);
  if (process.argv[2] !== "messages") await capture(server, browser);
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await browser.close();
  await server.stop();
}
