import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ACCOUNTS } from "../../domain/books";
import { shot } from "./browser";
import { contextIn, logIn } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;
useApp((s, b) => ((server = s), (browser = b)));

describe("the admin Finance page", () => {
  it("shows a purchase in the period's totals, the balance check and a clean reconciliation, at desktop and phone sizes", async () => {
    // The demo data already holds purchases (each demo student bought a pack), so the test measures what its own
    // purchase adds to the cash account's balance at the period's end rather than assuming an empty ledger.
    const cashClosing = (page: Page) => page.locator('tr[data-account="stripe_cash"] [data-testid="closing"]');
    const cents = async (page: Page) => Math.round(Number((await cashClosing(page).innerText()).replace(/[$,]/g, "")) * 100);
    const before = await (async () => {
      const ctx = await contextIn(browser, "America/Chicago");
      const page = await logIn(ctx, server.url, "admin@tutorly.dev", "tutorly-admin");
      await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Finance" }).click();
      await page.getByTestId("balance-check").getByText("Balanced").waitFor();
      await cashClosing(page).waitFor();
      const value = await cents(page);
      await ctx.close();
      return value;
    })();

    // A student buys 3 extra hours ($99) in local payment mode (signed events through the webhook, as Stripe would send).
    const student = await contextIn(browser, "America/Chicago");
    const maya = await logIn(student, server.url, "maya@tutorly.dev");
    const checkout = await maya.request.post(`${server.url}/api/billing/checkout`, { data: { packId: "pack-180" }, headers: { "Idempotency-Key": crypto.randomUUID() } });
    const id = ((await checkout.json()) as { url: string }).url.split("/").pop();
    expect((await maya.request.post(`${server.url}/api/billing/local/checkout/${id}/complete`)).status()).toBe(200);
    await student.close();

    for (const width of [1280, 390]) {
      const ctx = await contextIn(browser, "America/Chicago", width);
      const page = await logIn(ctx, server.url, "admin@tutorly.dev", "tutorly-admin");
      await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Finance" }).click();
      await page.waitForURL(/\/admin\/finance$/);
      const check = page.getByTestId("balance-check");
      await check.getByText("Balanced").waitFor();
      await expect.poll(() => page.getByTestId("reconciliation-status").innerText()).toBe("Everything matches");
      await expect.poll(() => cents(page)).toBe(before + 9900);
      await page.getByText("None: every movement matches.").waitFor();
      await shot(page, `admin-finance-${width}`);
      // Nothing overflows sideways on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      await ctx.close();
    }
  });

  it("speaks the admin's language: in Spanish no account name, description or webhook outcome is the server's English", async () => {
    // A purchase, so the webhook log has a fresh outcome to say ("granted 60 min" in the server's English).
    const student = await contextIn(browser, "America/Chicago");
    const maya = await logIn(student, server.url, "maya@tutorly.dev");
    const checkout = await maya.request.post(`${server.url}/api/billing/checkout`, { data: { packId: "pack-60" }, headers: { "Idempotency-Key": crypto.randomUUID() } });
    const id = ((await checkout.json()) as { url: string }).url.split("/").pop();
    expect((await maya.request.post(`${server.url}/api/billing/local/checkout/${id}/complete`)).status()).toBe(200);
    await student.close();

    const ctx = await contextIn(browser, "Europe/Madrid");
    const page = await logIn(ctx, server.url, "admin@tutorly.dev", "tutorly-admin");
    expect((await page.request.patch(`${server.url}/api/me`, { data: { locale: "es-ES" } })).status()).toBe(200);
    try {
      await page.goto(`${server.url}/admin/finance`);
      const cash = page.locator('tr[data-account="stripe_cash"]');
      await cash.getByText("Efectivo en Stripe").waitFor();
      const table = await page.locator("main").innerText();
      for (const account of Object.values(ACCOUNTS)) {
        expect(table).not.toContain(account.name);
        expect(table).not.toContain(account.about);
      }
      await shot(page, "admin-finance-es");

      await page.goto(`${server.url}/admin/webhooks`);
      const granted = page.locator("tr[data-status=processed]").filter({ hasText: "checkout.session.completed" }).first();
      await granted.getByText(/^Concedidos \d+ min$/).waitFor();
      expect(await page.locator("main").innerText()).not.toMatch(/granted \d+ min/);
    } finally {
      // The demo admin speaks English for the other browser tests.
      await page.request.patch(`${server.url}/api/me`, { data: { locale: "en-US" } });
      await ctx.close();
    }
  });
});
