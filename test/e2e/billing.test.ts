import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { formatMinutes } from "../../web/src/lib/time";
import { shot } from "./browser";
import { contextIn, logIn } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

describe("buying and changing a plan in local payment mode", () => {
  it("a student buys Starter through the test checkout, sees the credits arrive live on an open page, then upgrades after seeing the preview", async () => {
    const context = await contextIn(browser, "America/Chicago");
    // A page that stays open on /credits the whole time: everything below must reach it live.
    const credits = await logIn(context, server.url, "maya@tutorly.dev");
    await credits.goto(`${server.url}/credits`);
    const balance = credits.getByTestId("credit-balance");
    await balance.getByText("4 h", { exact: true }).waitFor();
    await credits.evaluate(() => ((window as { marker?: string }).marker = "no reload"));

    const billing = await context.newPage();
    await billing.goto(`${server.url}/billing`);
    await billing.getByRole("heading", { name: "Plans and billing" }).waitFor();
    await billing.locator('[data-testid="current-plan"][data-plan="free"]').getByText("Free", { exact: true }).waitFor();
    await billing.getByText("Developer tool").waitFor();
    await shot(billing, "billing-free");

    await billing.locator('.plan-card[data-plan="starter"]').getByRole("button", { name: "Choose Starter" }).click();
    await billing.waitForURL(/\/billing\/checkout\/cs_local_/);
    await billing.getByText("local payment mode, no card is charged").waitFor();
    const summary = billing.getByTestId("checkout-summary");
    await summary.getByText("Starter").waitFor();
    await summary.getByText("$120").waitFor();
    await shot(billing, "local-checkout");
    await billing.getByRole("button", { name: "Pay (test)" }).click();
    await billing.waitForURL(/\/billing$/);
    await billing.getByText("Payment received").waitFor();
    await billing.locator('[data-testid="current-plan"][data-plan="starter"]').waitFor();

    // 4 h of welcome credit + 4 h of Starter, on the page that was never reloaded.
    await balance.getByText("8 h", { exact: true }).waitFor();
    expect(await credits.evaluate(() => (window as { marker?: string }).marker)).toBe("no reload");
    await credits.getByTestId("credit-lots-chart").locator("svg rect").first().waitFor();
    await shot(credits, "credits-after-purchase");

    // Upgrade: the preview (charge now, extra minutes now) is shown before anything changes.
    await billing.locator('.plan-card[data-plan="standard"]').getByRole("button", { name: "Upgrade to Standard" }).click();
    const dialog = billing.getByRole("dialog", { name: "Change to Standard" });
    const preview = dialog.getByTestId("plan-preview");
    await preview.waitFor();
    expect(await preview.getAttribute("data-direction")).toBe("upgrade");
    const extra = Number(await preview.getAttribute("data-extra-minutes"));
    expect(extra).toBeGreaterThan(0);
    expect(extra).toBeLessThanOrEqual(240);
    await preview.getByText("Charged now").waitFor();
    await preview.getByText(`+${formatMinutes(extra)}`).waitFor();
    await shot(billing, "plan-upgrade-preview");
    await dialog.getByRole("button", { name: /^Upgrade and pay/ }).click();
    await dialog.waitFor({ state: "hidden" });
    await billing.getByText("You're on Standard now.").waitFor();
    await billing.locator('[data-testid="current-plan"][data-plan="standard"]').waitFor();
    await balance.getByText(formatMinutes(480 + extra), { exact: true }).waitFor();
    expect(await credits.evaluate(() => (window as { marker?: string }).marker)).toBe("no reload");

    // A downgrade waits for the period end, shows as pending, and can be undone.
    await billing.locator('.plan-card[data-plan="starter"]').getByRole("button", { name: "Switch to Starter" }).click();
    const down = billing.getByRole("dialog", { name: "Change to Starter" });
    await down.locator('[data-testid="plan-preview"][data-direction="downgrade"]').getByText("Switch to Starter from").waitFor();
    await down.getByRole("button", { name: "Schedule the switch" }).click();
    await down.waitFor({ state: "hidden" });
    const pending = billing.getByTestId("pending-change");
    await pending.getByText("Switches to").waitFor();
    await shot(billing, "billing-pending-downgrade");
    await pending.getByRole("button", { name: "Keep Standard" }).click();
    await pending.waitFor({ state: "detached" });
    await billing.getByText("You're staying on Standard.").waitFor();
    await context.close();
  });

  it("the billing and checkout pages fit a phone", async () => {
    const context = await contextIn(browser, "Europe/Rome", 390);
    const page = await logIn(context, server.url, "leo@tutorly.dev");
    await page.goto(`${server.url}/billing`);
    await page.locator(".plan-card").first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, "billing-phone");
    await page.locator('.pack[data-pack="pack-60"]').getByRole("button", { name: /^Buy 1 extra hour/ }).click();
    await page.waitForURL(/\/billing\/checkout\//);
    await page.getByRole("button", { name: "Pay (test)" }).waitFor();
    await shot(page, "local-checkout-phone");
    await page.getByRole("link", { name: "Cancel and go back" }).click();
    await page.getByText("Checkout cancelled. Nothing was charged.").waitFor();
    await context.close();
  });
});
