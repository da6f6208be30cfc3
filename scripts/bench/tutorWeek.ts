/**
 * Weekly lessons' second figure (issue 15): the tutor's page still renders its week fast when the tutor's calendar
 * is full of weekly series. A visitor opens the page of the bench tutor (after the series section booked its
 * series) on a week every series has a lesson in, in a fresh browser context each time (nothing cached), and the
 * time from navigation to the week's slots on screen is measured in the page (`performance.now()`).
 */
import { launch } from "../../test/e2e/browser";
import type { BenchUser } from "./fixtures";
import { median, percentile, report } from "./stats";

const DAY = 86_400_000;
const LOADS = 12;
const WARM_UP = 2;

export async function tutorWeekBench({ url, tutor }: { url: string; tutor: BenchUser }) {
  // The Monday (UTC, the visitor's zone here) four weeks on: every series booked two days ahead has a week in it.
  const ahead = new Date(Date.now() + 28 * DAY);
  const monday = new Date(Date.UTC(ahead.getUTCFullYear(), ahead.getUTCMonth(), ahead.getUTCDate() - ((ahead.getUTCDay() + 6) % 7)));
  const path = `/tutors/${encodeURIComponent(tutor.id)}?week=${monday.toISOString().slice(0, 10)}&tz=UTC`;
  const browser = await launch();
  const times: number[] = [];
  let slots = 0;
  try {
    for (let i = 0; i < WARM_UP + LOADS; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const page = await context.newPage();
        await page.goto(url + path, { waitUntil: "commit" });
        await page.waitForFunction(() => document.querySelectorAll(".week [data-start]").length > 0, undefined, { timeout: 60_000, polling: "raf" });
        const at = await page.evaluate(() => performance.now());
        slots = await page.locator(".week [data-start]").count();
        if (i >= WARM_UP) times.push(at);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`\nThe tutor's page with their weekly series (a visitor, fresh browser context, 1280×800, ${LOADS} loads)`);
  report("tutor page: its week on screen", `p50 ${median(times).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms from navigation (${slots} free slots shown; its JavaScript is the first-load figure)`);
}
