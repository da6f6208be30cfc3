import type { Browser, BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { bookFirstHour, chooseLanguageOnAccount, contextIn, logIn, signUpVerified, tutorId } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

const HOUR = 3_600_000;

/** A new student, signed in, in Chicago (times on screen are theirs). */
async function newStudent(context: BrowserContext, name: string) {
  const email = `money-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const { id } = await signUpVerified(context, server.url, { email, password: "money-pages-1", name, role: "student", timezone: "America/Chicago" });
  const page = await logIn(context, server.url, email, "money-pages-1");
  return { id, page };
}

/** Buys the three-hour pack ($99) through the local test checkout, as the student would. */
async function buyPack(page: Page) {
  await page.goto(`${server.url}/billing`);
  await page.getByRole("button", { name: /^Buy 3 extra hours/ }).click();
  await page.waitForURL(/\/billing\/checkout\/cs_local_/);
  await page.getByRole("button", { name: "Pay (test)" }).click();
  await page.waitForURL(/\/billing$/);
}

/** Nothing on the page is wider than the window (no sideways scrolling on a phone). */
const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

describe("money pages people can read", () => {
  it("the credits page lists every grant, spend and refund with its session, and links to it", async () => {
    const context = await contextIn(browser, "America/Chicago");
    const { page } = await newStudent(context, "Hana Credit");
    await buyPack(page);
    const tutor = await tutorId(server.url, "Olivia Bennett");
    const booking = await bookFirstHour(page, server.url, tutor);

    await page.goto(`${server.url}/credits`);
    const history = page.getByTestId("credit-history");
    const spend = history.locator('li[data-kind="debit"]');
    await spend.waitFor();
    await spend.getByText("Spent on a session").waitFor();
    expect(await spend.locator(".history-change").innerText()).toMatch(/^−/);
    const link = spend.getByRole("link", { name: /with Olivia Bennett/ });
    expect(await link.getAttribute("href")).toBe(`/sessions/${booking.id}`);
    // The pack's grant is there too, with its expiry as a date.
    await history.locator('li[data-kind="grant"]').getByText(/^Expires /).first().waitFor();
    await page.getByRole("heading", { name: "History" }).waitFor();
    await shot(page, "credits-history");

    // Moved three days out and cancelled in time: the refund joins the top of the list, on the same open page.
    const later = Math.ceil((Date.now() + 72 * HOUR) / HOUR) * HOUR;
    const moved = await page.request.post(`${server.url}/api/dev/bookings/${booking.id}/move`, { data: { start: new Date(later).toISOString(), end: new Date(later + HOUR).toISOString() } });
    expect(moved.status()).toBe(200);
    const cancelled = await page.request.post(`${server.url}/api/bookings/${booking.id}/cancel`, { data: {}, headers: { "Idempotency-Key": crypto.randomUUID() } });
    expect(cancelled.status()).toBe(200);
    await history.locator("li").first().and(page.locator('li[data-kind="refund"]')).waitFor({ timeout: 30_000 });

    await link.click();
    await page.waitForURL(new RegExp(`/sessions/${booking.id}$`));
    await page.getByText("Olivia Bennett").first().waitFor();

    // Phone size: the history still reads, nothing sticks out.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/credits`);
    await history.locator('li[data-kind="refund"]').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, "credits-history-phone");
    await context.close();
  });

  it("billing lists each purchase with a receipt page of its own (local payment mode)", async () => {
    const context = await contextIn(browser, "America/Chicago");
    const { page } = await newStudent(context, "Ravi Receipt");
    await buyPack(page);
    const receipts = page.getByTestId("receipts");
    const row = receipts.locator('tr[data-source="local"]');
    await row.waitFor();
    await row.getByText("Credit pack: 3 h").waitFor();
    await row.getByText("$99").waitFor();
    await page.getByText("Receipts and invoices").first().waitFor();
    await shot(page, "billing-receipts");

    await row.getByRole("link", { name: /^View receipt/ }).click();
    await page.waitForURL(/\/billing\/receipts\//);
    const receipt = page.getByTestId("receipt");
    await receipt.getByRole("heading", { name: "Receipt" }).waitFor();
    expect(await receipt.getByTestId("receipt-total").innerText()).toBe("$99");
    await receipt.getByText("Credit pack: 3 h").waitFor();
    await receipt.getByText("None").waitFor(); // no tax in local payment mode
    await shot(page, "billing-receipt");

    // Someone else's receipt is not theirs to see.
    const url = page.url();
    const other = await contextIn(browser, "Europe/Rome");
    const stranger = await newStudent(other, "Nosy Neighbour");
    await stranger.page.goto(url);
    await stranger.page.getByText(/Couldn't load this receipt/).waitFor();
    await other.close();

    // A second pack bought the same day expires the same day: the chart's bars still have labels of their own.
    await buyPack(page);
    await receipts.locator('tr[data-source="local"]').nth(1).waitFor();
    await page.goto(`${server.url}/credits`);
    const chart = page.getByTestId("credit-lots-chart");
    await chart.locator("g.chart-x text").nth(1).waitFor({ state: "attached" });
    const bars = await chart.locator("g.chart-x text").allTextContents();
    expect(bars.length).toBe(2);
    expect(new Set(bars).size).toBe(2);
    await shot(page, "credits-chart-two-lots");

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/billing`);
    await row.first().waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await shot(page, "billing-receipts-phone");
    await context.close();
  });

  it("a Spanish-speaking student's receipt names her plan in Spanish, as the rest of the page does", async () => {
    const context = await contextIn(browser, "America/Mexico_City", 390);
    const { page } = await newStudent(context, "Lucía Recibo");
    await page.goto(`${server.url}/billing`);
    await chooseLanguageOnAccount(page, "es");
    await page.getByRole("heading", { name: "Planes y facturación" }).waitFor();
    await page.locator('.plan-card[data-plan="starter"]').getByRole("button", { name: "Elegir Inicial" }).click();
    await page.waitForURL(/\/billing\/checkout\/cs_local_/);
    await page.getByRole("button", { name: "Pay (test)" }).click();
    await page.waitForURL(/\/billing$/);
    const row = page.getByTestId("receipts").locator('tr[data-source="local"]').first();
    await row.getByText("Plan Inicial, un mes").waitFor();
    expect(await row.innerText()).not.toContain("Starter");
    await shot(page, "billing-receipts-es");
    await context.close();
  });

  it("the admin's refund says when a seat was already refunded, and never reports a refund twice", async () => {
    const studentContext = await contextIn(browser, "America/Chicago");
    const { id: studentId, page: student } = await newStudent(studentContext, "Lena Late");
    await buyPack(student);
    const booking = await bookFirstHour(student, server.url, await tutorId(server.url, "Olivia Bennett"));
    // Moved to two hours from now, then cancelled by the student: too late for the policy's refund.
    const soon = Math.ceil((Date.now() + 2 * HOUR) / HOUR) * HOUR;
    const moved = await student.request.post(`${server.url}/api/dev/bookings/${booking.id}/move`, { data: { start: new Date(soon).toISOString(), end: new Date(soon + HOUR).toISOString() } });
    expect(moved.status()).toBe(200);
    expect((await student.request.post(`${server.url}/api/bookings/${booking.id}/cancel`, { data: {}, headers: { "Idempotency-Key": crypto.randomUUID() } })).status()).toBe(200);
    await studentContext.close();

    const context = await contextIn(browser, "America/Chicago");
    const admin = await logIn(context, server.url, "admin@tutorly.dev", "tutorly-admin");
    const refund = async (reason: string) => {
      await admin.goto(`${server.url}/admin/bookings?student=${studentId}`);
      await admin.locator(`tr[data-booking="${booking.id}"]`).getByRole("button", { name: /^Refund a seat/ }).click();
      const dialog = admin.getByRole("dialog", { name: "Refund a seat" });
      await dialog.getByLabel("Student").selectOption(studentId);
      await dialog.getByLabel("Reason").fill(reason);
      await dialog.getByRole("button", { name: "Refund seat" }).click();
      return dialog;
    };

    await refund("tutor did not show up");
    const done = admin.getByText(/^Refunded .+ to Lena Late\.$/);
    await done.waitFor();

    const again = await refund("asked a second time");
    const state = again.getByTestId("refund-refused");
    await state.waitFor();
    expect(await state.getAttribute("data-outcome")).toBe("already_refunded");
    await state.getByText(/^Already refunded: .+ went back to Lena Late on /).waitFor();
    // The dialog stays open with what really happened; no success is reported.
    expect(await done.count()).toBe(0);
    await shot(admin, "admin-refund-already");

    const balance = (await (await admin.request.get(`${server.url}/api/admin/credits/${studentId}`)).json()) as { balanceMinutes: number };
    expect(balance.balanceMinutes).toBe(180);
    await context.close();
  });
});
