import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { contextIn, firstSlotAfter, logIn, mondayIn, slotButton, tutorId } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

describe("installable", () => {
  it("serves a web app manifest with the icons browsers need, and a service worker", async () => {
    const manifest = (await (await fetch(`${server.url}/manifest.webmanifest`)).json()) as { name: string; start_url: string; display: string; icons: { src: string; sizes: string; purpose: string }[] };
    expect(manifest).toMatchObject({ name: "Tutorly", start_url: "/dashboard", display: "standalone" });
    for (const size of ["192x192", "512x512"]) {
      const icon = manifest.icons.find((i) => i.sizes === size && i.purpose === "any")!;
      const res = await fetch(server.url + icon.src);
      expect(res.headers.get("content-type")).toBe("image/png");
    }
    expect(manifest.icons.some((i) => i.purpose === "maskable")).toBe(true);
    const sw = await fetch(`${server.url}/sw.js`);
    expect(sw.status).toBe(200);
    expect(sw.headers.get("cache-control")).toBe("no-cache");
  });
});

describe("offline", () => {
  it("opens the app shell and a tutor's page from the saved copy, marked as saved and read-only, then goes live again", async () => {
    const id = await tutorId(server.url, "Amelia Clarke");
    const ctx = await contextIn(browser, "America/Chicago");
    const maya = await logIn(ctx, server.url, "maya@tutorly.dev");
    await maya.goto(`${server.url}/tutors/${id}`);
    await maya.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    // Once the worker controls the page, a visit saves the tutor's data for later.
    await maya.reload();
    expect(await maya.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    const start = await firstSlotAfter(maya, 24);
    await maya.locator(".live-badge", { hasText: "Live" }).waitFor();

    await ctx.setOffline(true);
    await maya.reload();
    const banner = maya.locator(".offline-banner");
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/^You're offline\. Showing a copy saved .+, times in America\/Chicago/);
    await maya.locator(".live-badge", { hasText: "Saved copy" }).waitFor();
    expect(await maya.locator(".live-badge", { hasText: "Live" }).count()).toBe(0);
    // The saved times are shown, but none can be booked, and no conversation can be started.
    await maya.locator(`.week [data-start="${start}"]`).waitFor();
    expect(await maya.locator(".week button.slot-chip").count()).toBe(0);
    expect(await maya.getByRole("button", { name: "Message Amelia" }).count()).toBe(0);
    await maya.getByRole("heading", { name: "Amelia Clarke" }).waitFor();
    await shot(maya, "offline-tutor-page");

    // A page never opened on this device opens in the app shell and says so, rather than a browser error.
    await maya.goto(`${server.url}/sessions`);
    await maya.getByRole("link", { name: "Tutorly" }).waitFor();
    await maya.getByRole("heading", { name: "You're offline" }).waitFor();

    // Back online, that page reloads itself and opens. (Waiting for it also keeps its reload from cutting short the
    // next visit.)
    await ctx.setOffline(false);
    await maya.getByRole("heading", { name: "My sessions" }).waitFor({ timeout: 15_000 });
    expect(await maya.getByRole("heading", { name: "You're offline" }).count()).toBe(0);

    // The live tutor's page again, the saved time bookable again (its week: late in a week, the current one may have
    // no free time left).
    await maya.goto(`${server.url}/tutors/${id}?week=${mondayIn(start, "America/Chicago")}`);
    await maya.locator(".live-badge", { hasText: "Live" }).waitFor({ timeout: 15_000 });
    expect(await maya.locator(".offline-banner").count()).toBe(0);
    await slotButton(maya, start).waitFor();
    await ctx.close();
  });
});

/** Delivers a push message to the page's service worker the way the browser does on receiving one (DevTools protocol). */
async function deliverPush(page: Page, data: unknown) {
  const cdp = await page.context().newCDPSession(page);
  const registration = new Promise<string>((resolve) =>
    cdp.on("ServiceWorker.workerRegistrationUpdated", (e: { registrations: { registrationId: string; isDeleted: boolean }[] }) => {
      const live = e.registrations.find((r) => !r.isDeleted);
      if (live) resolve(live.registrationId);
    }),
  );
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.deliverPushMessage", { origin: new URL(page.url()).origin, registrationId: await registration, data: JSON.stringify(data) });
  await cdp.detach();
}

const shownNotifications = (page: Page) =>
  page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, link: (n.data as { link?: string }).link })));

describe("push notifications in the service worker", () => {
  it("shows a push as a notification that leads to its page; one per conversation; a stranger's push as a plain line", async () => {
    const ctx = await contextIn(browser, "America/Chicago");
    await ctx.grantPermissions(["notifications"], { origin: server.url });
    const page = await logIn(ctx, server.url, "maya@tutorly.dev");
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    await deliverPush(page, { kind: "reminders", title: "In one hour: physics with Olivia", body: "Join from My sessions.", link: "/sessions", tag: "reminder:1h:b1" });
    await expect.poll(() => shownNotifications(page)).toEqual([{ title: "In one hour: physics with Olivia", body: "Join from My sessions.", tag: "reminder:1h:b1", link: "/sessions" }]);

    const message = (body: string) => ({ kind: "messages", title: "Olivia Bennett", body, link: "/messages/c1", tag: "conversation:c1" });
    await deliverPush(page, message("First"));
    await deliverPush(page, message("Second"));
    await expect.poll(async () => (await shownNotifications(page)).filter((n) => n.tag === "conversation:c1").map((n) => n.body)).toEqual(["Second"]);

    // Something that is not one of ours still shows (browsers require it), as a plain line.
    await deliverPush(page, { kind: "marketing", title: "<b>Sale</b>" });
    await expect.poll(async () => (await shownNotifications(page)).map((n) => n.title)).toContain("Tutorly");
    expect((await shownNotifications(page)).map((n) => n.title)).not.toContain("<b>Sale</b>");
    await ctx.close();
  });
});
