import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

describe("accounts in the browser", () => {
  it("signs up, reaches the dashboard, logs out and logs back in", async () => {
    const context = await browser.newContext({ timezoneId: "Asia/Kathmandu", viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const email = `e2e-${Date.now()}@example.com`;

    await page.goto(server.url);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toMatch(/Live tutoring/);
    await shot(page, "landing");

    await page.getByRole("link", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Create your account" }).waitFor();
    // The zone is detected from the browser.
    expect(await page.getByLabel("Time zone").inputValue()).toBe("Asia/Kathmandu");
    // Inline field errors come from the shared schema before anything is sent.
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Tell us your name").waitFor();
    await page.getByText("Use at least 8 characters").waitFor();
    await shot(page, "signup-errors");

    await page.getByLabel("Name").fill("Sita Gurung");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("a strong password");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { name: /Hi Sita/ }).waitFor();
    expect(page.url()).toBe(`${server.url}/dashboard`);
    await page.getByText("Times are shown in Asia/Kathmandu").waitFor();
    await shot(page, "student-dashboard");

    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("heading", { name: "Log in" }).waitFor();
    await page.goto(`${server.url}/dashboard`);
    await page.getByRole("heading", { name: "Log in" }).waitFor(); // guarded

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText("That email and password do not match an account.").waitFor();

    await page.getByLabel("Password").fill("a strong password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("heading", { name: /Hi Sita/ }).waitFor();
    expect(page.url()).toBe(`${server.url}/dashboard`);
    await context.close();
  });

  it("a tutor signs up and sees the approval notice; the seeded admin approves them", async () => {
    const email = `tutor-${Date.now()}@example.com`;
    const tutorCtx = await browser.newContext({ timezoneId: "Europe/Berlin" });
    const tutor = await tutorCtx.newPage();
    await tutor.goto(`${server.url}/signup`);
    await tutor.getByText("Teach", { exact: true }).click();
    await tutor.getByLabel("Name").fill("Greta Fischer");
    await tutor.getByLabel("Email").fill(email);
    await tutor.getByLabel("Password").fill("tutor password");
    await tutor.getByRole("button", { name: "Create account" }).click();
    await tutor.getByText("Your profile is waiting for approval").waitFor();
    await tutor.getByLabel("Subjects").fill("German, Music theory");
    await tutor.getByLabel("About you").fill("Berlin-based musician teaching German and theory.");
    await tutor.getByRole("button", { name: "Save profile" }).click();
    await tutor.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    await shot(tutor, "tutor-dashboard");

    const adminCtx = await browser.newContext();
    const admin = await adminCtx.newPage();
    await admin.goto(`${server.url}/login`);
    await admin.getByLabel("Email").fill("admin@tutorly.dev");
    await admin.getByLabel("Password").fill("tutorly-admin");
    await admin.getByRole("button", { name: "Log in" }).click();
    await admin.getByRole("heading", { name: "Admin console" }).waitFor();
    await shot(admin, "admin-console");
    await admin.getByRole("button", { name: "Approve Greta Fischer" }).click();
    await admin.getByRole("button", { name: "Approve Greta Fischer" }).waitFor({ state: "detached" });

    await tutor.reload();
    await tutor.getByText("You are approved and listed in search.").waitFor();
    await tutorCtx.close();
    await adminCtx.close();
  });
});
