import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCalendlyFake } from "../fakes/calendly";
import { shot } from "./browser";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;
let calendly: Awaited<ReturnType<typeof startCalendlyFake>>;
/** Calendly's API for the app under test: the wire fake, started before the app reads its vars. */
const vars: Record<string, string> = {};

beforeAll(async () => {
  calendly = await startCalendlyFake();
  vars.CALENDLY_API_BASE = calendly.url;
});
afterAll(async () => calendly?.close());
useApp((s, b) => ((server = s), (browser = b)), vars);

/** Signs a new user up through the API from inside the page (the cookie lands in the browser). */
async function signedIn(role: "tutor" | "student"): Promise<Page> {
  const context = await browser.newContext({ timezoneId: "Europe/Berlin", viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  await page.goto(server.url);
  const status = await page.evaluate(
    async ({ role, email }) =>
      (
        await fetch("/api/auth/signup", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ email, password: "correct horse battery", name: role === "tutor" ? "Ana Müller" : "Sam Student", role, timezone: "Europe/Berlin" }),
        })
      ).status,
    { role, email: `e2e-sync-${role}-${Date.now()}@example.com` },
  );
  expect(status).toBe(201);
  await page.goto(`${server.url}/dashboard`); // the SPA reads the new session on load
  return page;
}

const feedUrl = (page: Page) => page.getByLabel("Feed address").inputValue();

describe("the Calendar sync page", () => {
  it("gives a tutor a feed URL that serves iCalendar, rotates it, links Calendly and checks outside addresses", async () => {
    const page = await signedIn("tutor");
    await page.getByRole("link", { name: "Calendar sync" }).click();
    await page.getByRole("heading", { name: "Calendar sync" }).waitFor();
    await expect.poll(() => feedUrl(page)).toMatch(/\/ical\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}\.ics$/);
    const first = await feedUrl(page);
    const served = await page.evaluate(async (url) => {
      const r = await fetch(url);
      return [r.status, r.headers.get("Content-Type"), (await r.text()).slice(0, 15)];
    }, first);
    expect(served).toEqual([200, "text/calendar; charset=utf-8", "BEGIN:VCALENDAR"]);

    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Make a new address" }).click();
    await expect.poll(() => feedUrl(page)).not.toBe(first);
    expect(await page.evaluate(async (url) => (await fetch(url)).status, first)).toBe(404);

    // Linking Calendly takes a token Calendly vouches for.
    const token = `pat_e2e_${Date.now()}_0123456789abcdef`;
    await fetch(`${calendly.url}/__users`, { method: "POST", body: JSON.stringify({ token, uri: "https://api.calendly.com/users/E2EUSER1", name: "Ana Müller" }) });
    const tokenField = page.getByLabel("Calendly personal access token");
    await tokenField.fill("too-short");
    await page.getByRole("button", { name: "Link Calendly" }).click();
    await page.getByText("Paste the whole personal access token from Calendly").waitFor();
    await tokenField.fill("pat_not_a_token_calendly_knows_1234567890");
    await page.getByRole("button", { name: "Link Calendly" }).click();
    await page.getByText("Calendly did not accept that token").waitFor();
    await tokenField.fill(token);
    await page.getByRole("button", { name: "Link Calendly" }).click();
    await page.getByText("Linked", { exact: true }).waitFor();
    await page.getByText("Ana Müller · https://api.calendly.com/users/E2EUSER1", { exact: false }).waitFor();

    await page.getByLabel("Calendar address").fill("http://calendar.example/private.ics");
    await page.getByRole("button", { name: "Add calendar" }).click();
    await page.getByText("Use the calendar's https:// (or webcal://) address").waitFor();
    await shot(page, "calendar-sync-tutor");

    await page.getByRole("button", { name: "Unlink" }).click();
    await page.getByRole("button", { name: "Link Calendly" }).waitFor();
  });

  it("gives a student only the feed", async () => {
    const page = await signedIn("student");
    await page.goto(`${server.url}/calendar-sync`);
    await expect.poll(() => feedUrl(page)).toMatch(/\/ical\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}\.ics$/);
    expect(await page.getByRole("heading", { name: "Calendly" }).count()).toBe(0);
    expect(await page.getByRole("heading", { name: "Outside calendars" }).count()).toBe(0);
    await shot(page, "calendar-sync-student");
  });
});
