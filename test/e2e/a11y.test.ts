import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { bookFirstHour, chooseLanguageOnAccount, contextIn, firstSlotAfter, logIn, moveToNow, showWeekWithSlots, signUpVerified, slotButton, tutorId, weeksPastClockChange } from "./helpers";
import { enterRoom, sessionStartingNow } from "./room";
import { type DevServer, useApp } from "./server";
import { audit, describeViolations } from "./axe";


let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

describe("accessibility (axe-core, no serious or critical violations)", () => {
  it.each([
    ["landing", "/", "h1"],
    ["log in", "/login", "form"],
    ["sign up", "/signup", "form"],
    ["tutor search", "/tutors", "h1"],
    ["forgot password", "/forgot-password", "form"],
    ["reset password", "/reset-password?token=" + "A".repeat(43), "form"],
    ["email confirmation (bad link)", "/verify-email?token=" + "A".repeat(43), "main h1"],
    ["admin invitation", "/accept-invite?token=" + "A".repeat(43), "form"],
  ])("%s as a visitor", async (_, path, ready) => {
    const ctx = await contextIn(browser, "Europe/Rome");
    const page = await ctx.newPage();
    await page.goto(server.url + path);
    await page.locator(ready).first().waitFor();
    await page.waitForLoadState("networkidle");
    const violations = await audit(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await ctx.close();
  });

  it.each([
    ["student dashboard", "maya@tutorly.dev", "/dashboard"],
    ["my sessions", "maya@tutorly.dev", "/sessions"],
    ["credits", "maya@tutorly.dev", "/credits"],
    ["billing", "maya@tutorly.dev", "/billing"],
    ["notifications", "maya@tutorly.dev", "/notifications"],
    ["tutor dashboard", "anish@tutorly.dev", "/dashboard"],
    ["availability editor", "anish@tutorly.dev", "/availability"],
    ["tutor sessions", "anish@tutorly.dev", "/sessions"],
    ["earnings", "anish@tutorly.dev", "/earnings"],
    ["calendar sync (tutor)", "anish@tutorly.dev", "/calendar-sync"],
    ["calendar sync (student)", "maya@tutorly.dev", "/calendar-sync"],
    ["admin console", "admin@tutorly.dev", "/admin"],
    ["admin: reported conversations", "admin@tutorly.dev", "/admin/reports"],
    ["messages (no conversation open)", "maya@tutorly.dev", "/messages"],
    ["notification settings", "maya@tutorly.dev", "/settings/notifications"],
    ["admin finance", "admin@tutorly.dev", "/admin/finance"],
    ["admin disputes", "admin@tutorly.dev", "/admin/disputes"],
    ["account settings (student)", "maya@tutorly.dev", "/account"],
    ["account settings (tutor)", "anish@tutorly.dev", "/account"],
    ["admin users", "admin@tutorly.dev", "/admin/users"],
    ["admin admins", "admin@tutorly.dev", "/admin/admins"],
    ["admin audit log", "admin@tutorly.dev", "/admin/audit"],
    ["admin rates", "admin@tutorly.dev", "/admin/rates"],
    ["admin payouts (held for review)", "admin@tutorly.dev", "/admin/payouts"],
  ])("%s", async (name, email, path) => {
    const ctx = await contextIn(browser, "America/Chicago");
    const page = await logIn(ctx, server.url, email, email.startsWith("admin") ? "tutorly-admin" : "tutorly-demo");
    await page.goto(server.url + path);
    await page.locator("main h1").first().waitFor();
    await page.waitForLoadState("networkidle");
    const violations = await audit(page);
    await shot(page, `a11y-${name.replace(/\s+/g, "-")}`);
    expect(violations, describeViolations(violations)).toEqual([]);
    await ctx.close();
  });

  it("the tutor page and its booking dialog", async () => {
    const ctx = await contextIn(browser, "America/Chicago");
    const page = await logIn(ctx, server.url, "leo@tutorly.dev");
    await page.goto(`${server.url}/tutors/${await tutorId(server.url, "Jonas Weber")}`);
    const start = await firstSlotAfter(page, 48);
    let violations = await audit(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await slotButton(page, start).click();
    await page.getByRole("dialog").waitFor();
    violations = await audit(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await ctx.close();
  });
});

describe("accessibility of the availability editor refusing a day off (axe-core)", () => {
  it("the sessions in the way, named, with keep and confirm", async () => {
    const leo = await logIn(await contextIn(browser, "Europe/Rome"), server.url, "leo@tutorly.dev");
    const booking = await bookFirstHour(leo, server.url, await tutorId(server.url, "Lucas Oliveira"));
    const zone = "America/Sao_Paulo";
    const date = new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(Date.parse(booking.start));
    const page = await logIn(await contextIn(browser, zone), server.url, "lucas@tutorly.dev");
    await page.goto(`${server.url}/availability`);
    await page.getByRole("button", { name: "+ Add a date" }).click();
    await page.locator(".override").last().getByLabel("Date").fill(date);
    await page.getByRole("button", { name: "Save availability" }).click();
    await page.locator("#in-the-way li").first().waitFor();
    const violations = await audit(page);
    await shot(page, "a11y-availability-in-the-way");
    expect(violations, describeViolations(violations)).toEqual([]);
  });
});

describe("accessibility in Arabic, right to left (axe-core)", () => {
  it.each([
    ["landing", "/", "h1"],
    ["tutor search", "/tutors", ".tutor-card"],
    ["log in", "/login", "form"],
  ])("%s", async (name, path, ready) => {
    const ctx = await browser.newContext({ timezoneId: "Asia/Riyadh", locale: "ar-SA", viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(server.url + path);
    await page.locator(ready).first().waitFor();
    await page.waitForLoadState("networkidle");
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(["ar-SA", "rtl"]);
    const violations = await audit(page);
    await shot(page, `a11y-ar-${name.replace(/\s+/g, "-")}`);
    expect(violations, describeViolations(violations)).toEqual([]);
    await ctx.close();
  });

  it.each([
    ["a student", "leo@tutorly.dev", ["/dashboard", "/sessions", "/credits", "/billing", "/account", "/settings/notifications", "/notifications"]],
    ["a tutor", "anish@tutorly.dev", ["/dashboard", "/availability", "/sessions", "/account"]],
  ] as const)("the signed-in screens of %s, on desktop and phone", async (_, email, paths) => {
    for (const width of [1280, 390]) {
      // Signed in from an English browser (the log-in helper reads English labels), then switched in the footer.
      const ctx = await browser.newContext({ timezoneId: "Asia/Riyadh", locale: "en-US", viewport: { width, height: width > 500 ? 800 : 844 } });
      const page = await logIn(ctx, server.url, email);
      // The account's language wins over the browser's once signed in: the demo accounts are English until they choose Arabic.
      await chooseLanguageOnAccount(page, "ar");
      await page.waitForFunction(() => document.documentElement.dir === "rtl");
      try {
        for (const path of paths) {
          await page.goto(server.url + path);
          await page.locator("main h1").first().waitFor();
          await page.waitForLoadState("networkidle");
          expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(["ar", "rtl"]);
          // Nothing written in English is left on the page (Latin letters only in names, addresses and brands).
          const text = await page.locator("main").innerText();
          expect(text).toMatch(/[\u0600-\u06FF]/);
          const violations = await audit(page);
          await shot(page, `a11y-ar-${email.split("@")[0]}${path.replace(/\//g, "-")}-${width}`);
          expect(violations, `${path} at ${width}px:\n${describeViolations(violations)}`).toEqual([]);
        }
      } finally {
        // Back to English the way it was chosen (the footer saves it on the account), for the tests after this one.
        await chooseLanguageOnAccount(page, "en");
        await ctx.close();
      }
    }
  });

  it("a session's page and its room's device check, on desktop and phone", async () => {
    const ctx = await browser.newContext({ timezoneId: "Asia/Riyadh", locale: "en-US", viewport: { width: 1280, height: 800 } });
    const page = await logIn(ctx, server.url, "leo@tutorly.dev");
    try {
      const booking = await bookFirstHour(page, server.url, await tutorId(server.url, "Jonas Weber"));
      await moveToNow(page, server.url, booking.id);
      await chooseLanguageOnAccount(page, "ar");
      await page.waitForFunction(() => document.documentElement.dir === "rtl");
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: width > 500 ? 800 : 844 });
        await page.goto(`${server.url}/sessions/${booking.id}`);
        await page.getByRole("heading", { level: 2, name: "الموعد" }).waitFor();
        await page.waitForLoadState("networkidle");
        let violations = await audit(page);
        await shot(page, `a11y-ar-session-${width}`);
        expect(violations, describeViolations(violations)).toEqual([]);
        await page.goto(`${server.url}/sessions/${booking.id}/room`);
        await page.getByRole("heading", { name: "تحقّق من الكاميرا والميكروفون" }).waitFor();
        await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>(".preview video")?.videoWidth ?? 0) > 0);
        await page.getByRole("timer").waitFor();
        violations = await audit(page);
        await shot(page, `a11y-ar-device-check-${width}`);
        expect(violations, describeViolations(violations)).toEqual([]);
      }
    } finally {
      await chooseLanguageOnAccount(page, "en");
      await ctx.close();
    }
  });

  it("the tutor page, on a phone", async () => {
    const ctx = await browser.newContext({ timezoneId: "Africa/Cairo", locale: "ar-EG", viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/tutors/${await tutorId(server.url, "Fatima Al-Sayed")}`);
    // Late on Sunday Fatima's week has no time left: the next week's are shown then.
    await showWeekWithSlots(page);
    const violations = await audit(page);
    await shot(page, "a11y-ar-tutor-phone");
    expect(violations, describeViolations(violations)).toEqual([]);
    await ctx.close();
  });
});

describe("accessibility of a conversation (axe-core)", () => {
  it("a thread, its search, and the report dialog, on desktop and phone", async () => {
    for (const width of [1280, 390]) {
      const ctx = await contextIn(browser, "America/Chicago", width);
      const page = await logIn(ctx, server.url, "maya@tutorly.dev");
      const started = await page.request.post(`${server.url}/api/conversations`, { data: { tutorId: await tutorId(server.url, "Sophie Martin") } });
      const { conversation } = (await started.json()) as { conversation: { id: string } };
      await page.request.post(`${server.url}/api/conversations/${conversation.id}/messages`, { data: { text: "Bonjour Sophie! Can we practise past tenses?" } });
      await page.goto(`${server.url}/messages/${conversation.id}`);
      await page.locator(".bubble-row[data-seq]").first().waitFor();
      let violations = await audit(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByLabel("Search this conversation").fill("tenses");
      await page.getByText(/messages? contains? “tenses”/).waitFor();
      violations = await audit(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      await page.getByRole("button", { name: "Close search" }).click();
      await page.getByRole("button", { name: "Report" }).click();
      await page.getByRole("dialog").waitFor();
      violations = await audit(page);
      await shot(page, `a11y-conversation-report-${width}`);
      expect(violations, describeViolations(violations)).toEqual([]);
      await ctx.close();
    }
  });
});

describe("accessibility of weekly lessons (axe-core)", () => {
  it("the booking dialog with weeks flagged, and the series page, at desktop and phone sizes", async () => {
    for (const width of [1280, 390]) {
      const ctx = await contextIn(browser, "Asia/Tokyo", width);
      const page = await logIn(ctx, server.url, "aiko@tutorly.dev");
      await page.goto(`${server.url}/tutors/${await tutorId(server.url, "Olivia Bennett")}`);
      const start = await firstSlotAfter(page, 48 + (width === 390 ? 24 : 0));
      await slotButton(page, start).click();
      const dialog = page.getByRole("dialog", { name: "Confirm your booking" });
      await dialog.getByTestId("repeat-weekly").check();
      await dialog.getByLabel("Number of weeks").fill(String(weeksPastClockChange(start, "America/New_York")));
      await dialog.getByTestId("week-shifted").first().waitFor();
      let violations = await audit(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      await dialog.getByLabel("Number of weeks").fill("2");
      await dialog.getByRole("button", { name: "Book 2 weekly lessons" }).click();
      await dialog.getByRole("link", { name: "See the weekly lessons" }).click();
      await page.getByTestId("series-week").first().waitFor();
      violations = await audit(page);
      await shot(page, `a11y-series-${width}`);
      expect(violations, describeViolations(violations)).toEqual([]);
      // Moving this and later weeks: the picker in its dialog, then the page saying what moved.
      await page.getByTestId("move-rest").click();
      const move = page.getByRole("dialog", { name: "Move this and later weeks" });
      await slotButton(page, await firstSlotAfter(page, 48 + (width === 390 ? 24 : 0) + 3)).click();
      violations = await audit(page);
      await shot(page, `a11y-series-move-${width}`);
      expect(violations, describeViolations(violations)).toEqual([]);
      await move.getByRole("button", { name: "Move session" }).click();
      await page.getByTestId("series-moved").waitFor();
      violations = await audit(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      await ctx.close();
    }
  });
});

describe("accessibility of the session room (axe-core)", () => {
  it("the device check, opened by the student of a session moved to now", async () => {
    const ctx = await contextIn(browser, "America/Chicago");
    const page = await logIn(ctx, server.url, "maya@tutorly.dev");
    const booking = await bookFirstHour(page, server.url, await tutorId(server.url, "Olivia Bennett"));
    await moveToNow(page, server.url, booking.id);
    await page.goto(`${server.url}/sessions/${booking.id}/room`);
    await page.getByRole("heading", { name: "Check your camera and microphone" }).waitFor();
    // The fake camera is playing and the device lists are filled in: the screen as a participant sees it.
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>(".preview video")?.videoWidth ?? 0) > 0);
    await page.getByLabel("Camera", { exact: true }).locator("option").first().waitFor({ state: "attached" });
    await page.getByRole("timer").waitFor();
    const violations = await audit(page);
    await shot(page, "a11y-room-device-check");
    expect(violations, describeViolations(violations)).toEqual([]);
    await ctx.close();
  });
});

describe("accessibility of the classroom (axe-core)", () => {
  it("in a call: the video view, the whiteboard and the shared notes, as the tutor; then the student's past session with its summary", async () => {
    const tutorCtx = await contextIn(browser, "Australia/Sydney");
    const studentCtx = await contextIn(browser, "Asia/Tokyo");
    const tutor = await logIn(tutorCtx, server.url, "charlotte@tutorly.dev");
    const student = await logIn(studentCtx, server.url, "aiko@tutorly.dev");
    // The audits above spent some of Aiko's demo credit at per-tutor prices: an admin tops her up for this hour.
    const { user } = (await (await student.request.get(`${server.url}/api/me`)).json()) as { user: { id: string } };
    const adminCtx = await contextIn(browser, "UTC");
    const admin = await logIn(adminCtx, server.url, "admin@tutorly.dev", "tutorly-admin");
    const granted = await admin.request.post(`${server.url}/api/admin/credits`, {
      data: { userId: user.id, minutes: 120, reason: "classroom audit" },
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    expect(granted.status(), await granted.text()).toBe(201);
    await adminCtx.close();
    const bookingId = await sessionStartingNow(student, server.url, await tutorId(server.url, "Charlotte Nguyen"));
    await enterRoom(student, server.url, bookingId);
    await enterRoom(tutor, server.url, bookingId);
    await tutor.locator(".tile[data-remote]").waitFor();
    const check = async (name: string) => {
      const violations = await audit(tutor);
      await shot(tutor, `a11y-room-${name}`);
      expect(violations, `${name}:\n${describeViolations(violations)}`).toEqual([]);
    };
    await check("call");
    await tutor.getByRole("tab", { name: "Whiteboard" }).click();
    await tutor.locator('.wb-canvas[data-loaded="true"]').waitFor();
    await check("whiteboard");
    await tutor.getByRole("tab", { name: "Notes" }).click();
    await tutor.getByRole("textbox", { name: "Shared notes" }).fill("# Plan\n- **warm-up**\n- practice");
    await check("notes");
    await tutor.getByRole("radio", { name: "Markdown" }).check({ force: true });
    await tutor.getByRole("button", { name: "Preview" }).click();
    await check("notes-preview");

    await tutor.getByRole("button", { name: "End session" }).click();
    await tutor.getByRole("dialog", { name: "End the session for everyone?" }).getByRole("button", { name: "End session" }).click();
    await tutor.getByLabel("What you covered").fill("Kanji radicals and stroke order.");
    await check("summary-form");
    await tutor.getByRole("button", { name: "Send summary" }).click();
    await tutor.getByText(/Summary sent/).waitFor();
    await student.goto(`${server.url}/sessions`);
    await student.locator(`li.session[data-booking="${bookingId}"]`).getByText("Kanji radicals and stroke order.").waitFor();
    const violations = await audit(student);
    await shot(student, "a11y-sessions-with-summary");
    expect(violations, describeViolations(violations)).toEqual([]);
    await tutorCtx.close();
    await studentCtx.close();
  });
});

describe("keyboard only", () => {
  it("books a session without a mouse: tab to a slot, open the dialog, confirm", async () => {
    const ctx = await contextIn(browser, "Asia/Tokyo");
    const page = await logIn(ctx, server.url, "aiko@tutorly.dev");
    await page.goto(`${server.url}/tutors/${await tutorId(server.url, "Priya Sharma")}`);
    const start = await firstSlotAfter(page, 48);
    // Tab through the page until the chosen slot has focus (focus must be visible on the way).
    let focused = "";
    for (let i = 0; i < 400 && focused !== start; i++) {
      await page.keyboard.press("Tab");
      focused = (await page.evaluate(() => document.activeElement?.getAttribute("data-start") ?? "")) as string;
    }
    expect(focused).toBe(start);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).not.toBe("none");
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    expect(await page.evaluate(() => !!document.activeElement?.closest("dialog"))).toBe(true);
    // Escape closes and returns focus to the slot; Enter reopens; the confirm button is reachable by Tab.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-start"))).toBe(start);
    await page.keyboard.press("Enter");
    await dialog.waitFor();
    let onConfirm = false;
    for (let i = 0; i < 30 && !onConfirm; i++) {
      onConfirm = await page.evaluate(() => /^(Book|Join) for/.test((document.activeElement as HTMLElement | null)?.innerText?.trim() ?? ""));
      if (!onConfirm) await page.keyboard.press("Tab");
    }
    expect(onConfirm).toBe(true);
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "You're booked!" }).waitFor();
    await shot(page, "keyboard-booking");
    await ctx.close();
  });
});

describe("accessibility of the money pages (axe-core)", () => {
  it("a local receipt, and the credits history in Arabic, at desktop and phone sizes", async () => {
    for (const width of [1280, 390]) {
      const ctx = await contextIn(browser, "America/Chicago", width);
      const page = await logIn(ctx, server.url, "maya@tutorly.dev");
      const { receipts } = (await (await page.request.get(`${server.url}/api/billing/receipts`)).json()) as { receipts: { url: string }[] };
      expect(receipts.length).toBeGreaterThan(0);
      await page.goto(server.url + receipts[0]!.url);
      await page.getByTestId("receipt").waitFor();
      let violations = await audit(page);
      await shot(page, `a11y-receipt-${width}`);
      expect(violations, describeViolations(violations)).toEqual([]);
      await page.locator("footer select").selectOption("ar");
      await page.goto(`${server.url}/credits`);
      await page.getByTestId("credit-history").waitFor();
      await page.waitForLoadState("networkidle");
      violations = await audit(page);
      await shot(page, `a11y-ar-credits-history-${width}`);
      // The choice is saved with the account: Maya goes back to English for whatever follows.
      await page.locator("footer select").selectOption("en");
      await page.waitForFunction(() => document.documentElement.lang.startsWith("en"));
      expect(violations, describeViolations(violations)).toEqual([]);
      await ctx.close();
    }
  });

  it("the admin's refund answer when nothing was refunded", async () => {
    // A new student buys a pack, books and cancels: the seat the admin is asked to refund.
    const studentCtx = await contextIn(browser, "America/Chicago");
    const email = `a11y-refund-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const { id: studentId } = await signUpVerified(studentCtx, server.url, { email, password: "a11y-refund-1", name: "Ada Refund", role: "student", timezone: "America/Chicago" });
    const student = await logIn(studentCtx, server.url, email, "a11y-refund-1");
    await student.goto(`${server.url}/billing`);
    await student.getByRole("button", { name: /^Buy 3 extra hours/ }).click();
    await student.getByRole("button", { name: "Pay (test)" }).click();
    await student.waitForURL(/\/billing$/);
    const booking = await bookFirstHour(student, server.url, await tutorId(server.url, "Olivia Bennett"));
    expect((await student.request.post(`${server.url}/api/bookings/${booking.id}/cancel`, { data: {}, headers: { "Idempotency-Key": crypto.randomUUID() } })).status()).toBe(200);
    await studentCtx.close();

    const ctx = await contextIn(browser, "America/Chicago");
    const page = await logIn(ctx, server.url, "admin@tutorly.dev", "tutorly-admin");
    await page.goto(`${server.url}/admin/bookings?student=${studentId}`);
    const dialog = page.getByRole("dialog", { name: "Refund a seat" });
    // The first refund of a seat may go through (a late cancellation); the second is refused as already refunded.
    for (let attempt = 0; attempt < 2 && !(await dialog.getByTestId("refund-refused").isVisible().catch(() => false)); attempt++) {
      if (!(await dialog.isVisible())) await page.getByRole("button", { name: /^Refund a seat/ }).first().click();
      const student = dialog.getByLabel("Student");
      await student.selectOption((await student.locator("option").nth(1).getAttribute("value"))!);
      await dialog.getByLabel("Reason").fill("checking the answer");
      await dialog.getByRole("button", { name: "Refund seat" }).click();
      await Promise.race([dialog.getByTestId("refund-refused").waitFor(), dialog.waitFor({ state: "detached" })]);
    }
    await dialog.getByTestId("refund-refused").waitFor();
    const violations = await audit(page);
    await shot(page, "a11y-admin-refund-refused");
    expect(violations, describeViolations(violations)).toEqual([]);
    await ctx.close();
  });
});
