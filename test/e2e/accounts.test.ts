import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { contextIn, logIn, mailedLink as mailedLinkOf, signUpVerified } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;
useApp((s, b) => ((server = s), (browser = b)));

const mailedLink = (email: string, path: string) => mailedLinkOf(server.url, email, path);

describe("accounts in the browser", () => {
  it("a newcomer signs up, sees the confirmation banner, confirms from the email and edits their profile", async () => {
    const ctx = await contextIn(browser, "Asia/Kolkata");
    const page = await ctx.newPage();
    const email = `newcomer-${Date.now()}@example.com`;
    await page.goto(`${server.url}/signup`);
    await page.getByLabel("Name").fill("Nia Newcomer");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: /create|sign up/i }).click();
    await page.getByRole("region", { name: "Confirm your email" }).waitFor();
    await page.goto(server.url + (await mailedLink(email, "verify-email")));
    await page.getByRole("heading", { name: "Email confirmed" }).waitFor();
    await page.goto(`${server.url}/account`);
    await page.getByRole("heading", { name: "Account settings" }).waitFor();
    expect(await page.getByRole("region", { name: "Confirm your email" }).count()).toBe(0);
    await page.getByLabel("Learning goals").fill("Conversational Spanish by summer");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByText("Saved.").waitFor();
    await shot(page, "account-settings-desktop");
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "account-settings-phone");
    await ctx.close();
  });

  it("notification settings offer an email switch only for kinds that are emailed", async () => {
    const ctx = await contextIn(browser, "Europe/London");
    const page = await logIn(ctx, server.url, "maya@tutorly.dev");
    await page.goto(`${server.url}/settings/notifications`);
    const offers = page.locator('tr[data-kind="offers"]');
    await offers.getByRole("switch").first().waitFor();
    // "You've been rebooked" is never emailed (the new booking's confirmation is): no email switch that does nothing.
    expect(await offers.getByRole("switch").count()).toBe(1);
    await offers.getByText("Not sent by email").waitFor();
    expect(await page.locator('tr[data-kind="cancellations"]').getByRole("switch").count()).toBe(2);
    await ctx.close();
  });

  it("a forgotten password is reset from the emailed link, which signs the person in", async () => {
    const ctx = await contextIn(browser, "Europe/Rome");
    const page = await ctx.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.getByLabel("Email").fill("leo@tutorly.dev");
    await page.getByRole("button", { name: "Send the link" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    await page.goto(server.url + (await mailedLink("leo@tutorly.dev", "reset-password")));
    await page.getByLabel("New password").fill("tutorly-demo");
    await page.getByRole("button", { name: "Set password" }).click();
    await page.waitForURL(/\/dashboard$/);
    await ctx.close();
  });

  it("a tab stays signed in when its own device sets a new password, and goes to sign-in when the person signs out everywhere elsewhere, on pages whose data needs a live session", async () => {
    const email = `elsewhere-${Date.now()}@example.com`;
    const password = "a long enough password";
    const first = await contextIn(browser, "Europe/Madrid");
    await signUpVerified(first, server.url, { email, password, name: "Elsa Where", role: "student", timezone: "Europe/Madrid" });
    const tabs = await Promise.all(["/calendar-sync", "/account"].map(async (path) => {
      const page = await first.newPage();
      await page.goto(`${server.url}${path}`);
      await page.getByRole("heading", { level: 1 }).waitFor();
      return page;
    }));
    // A new password from this device closes every socket of the account, this browser's too; it stays signed in
    // (under a new session) and its tabs' live socket opens again.
    const reopened = tabs[0]!.waitForEvent("websocket", (ws) => ws.url().endsWith("/api/live"));
    const newPassword = "another long enough password";
    expect((await tabs[0]!.request.post(`${server.url}/api/me/password`, { data: { current: password, password: newPassword } })).status()).toBe(200);
    await reopened;
    await tabs[0]!.getByRole("heading", { level: 1 }).waitFor();
    expect(tabs[0]!.url()).not.toMatch(/\/login/);
    const other = await logIn(await contextIn(browser, "Europe/Madrid"), server.url, email, newPassword);
    expect((await other.request.post(`${server.url}/api/me/sessions/revoke-all`)).status()).toBe(204);
    // The first device's tabs are told by their live socket: each shows sign-in, not "This page didn't load".
    for (const tab of tabs) {
      await tab.waitForURL(/\/login\?next=/);
      await tab.getByRole("heading", { name: "Log in" }).waitFor();
      expect(await tab.getByText("This page didn't load").count()).toBe(0);
    }
    await shot(tabs[0]!, "signed-out-elsewhere");
    await first.close();
    await other.context().close();
  });

  it("an admin sees the audit log after suspending and restoring someone", async () => {
    const ctx = await contextIn(browser, "America/Chicago");
    const page = await logIn(ctx, server.url, "admin@tutorly.dev", "tutorly-admin");
    await page.goto(`${server.url}/admin/users?q=aiko`);
    await page.getByRole("button", { name: "Suspend Aiko" }).click();
    await page.getByLabel(/Why suspend Aiko/).fill("Checking a report");
    await page.getByRole("button", { name: "Suspend", exact: true }).click();
    await page.getByRole("button", { name: /Restore Aiko/ }).click();
    await page.getByRole("button", { name: "Restore", exact: true }).click();
    await page.getByRole("button", { name: /Suspend Aiko/ }).waitFor();
    await page.goto(`${server.url}/admin/audit`);
    await page.getByRole("cell", { name: "Users: restore" }).first().waitFor();
    await shot(page, "admin-audit-desktop");
    await ctx.close();
  });
});
