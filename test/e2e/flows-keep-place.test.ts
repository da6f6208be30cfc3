import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { contextIn, firstSlotAfter, logIn, signUpVerified, slotButton, tutorId } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;
useApp((s, b) => ((server = s), (browser = b)));

const bookingDialog = (page: Page) => page.getByRole("dialog", { name: "Confirm your booking" });

/** The newest link in the mailbox sent to `email` that contains `part`. */
async function mailedLink(email: string, part: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const { emails } = (await (await fetch(`${server.url}/api/dev/mailbox`)).json()) as { emails: { toEmail: string; links: string[] }[] };
    const link = emails.filter((m) => m.toEmail === email).flatMap((m) => m.links).find((l) => l.includes(part));
    if (link) return link.replace(/^https?:\/\/[^/]+/, server.url);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`No ${part} link mailed to ${email}`);
}

describe("flows that keep their place", () => {
  it("a visitor who picks a slot signs up, confirms the address, buys credit and is brought back to that slot each time", async () => {
    for (const width of [1280, 390]) {
      const context = await contextIn(browser, "America/Chicago", width);
      const page = await context.newPage();
      const tutor = await tutorId(server.url, "Olivia Bennett");
      await page.goto(`${server.url}/tutors/${tutor}`);
      const start = await firstSlotAfter(page, 48);
      await slotButton(page, start).click();

      await page.getByRole("heading", { name: "Create your account" }).waitFor();
      const email = `nora.${width}.${Date.now()}@example.com`;
      await page.getByLabel("Name").fill("Nora Newcomer");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill("correct horse battery");
      await page.getByRole("button", { name: "Create account" }).click();

      // Back at the tutor's page, the picked slot's confirmation open: it says what is missing first.
      await bookingDialog(page).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/tutors/${tutor}`);
      await bookingDialog(page).getByTestId("confirm-email-first").waitFor();
      expect(await bookingDialog(page).getByRole("button", { name: /^Book for/ }).isDisabled()).toBe(true);
      await shot(page, `flow-confirm-first-${width}`);

      // The confirmation link, opened in another tab, leads back to the slot too.
      const mail = await context.newPage();
      await mail.goto(await mailedLink(email, "/verify-email"));
      await mail.getByRole("heading", { name: "Email confirmed" }).waitFor();
      await mail.getByRole("link", { name: "Continue where you were" }).click();
      await bookingDialog(mail).waitFor();
      await mail.close();

      await bookingDialog(page).getByRole("button", { name: "I've confirmed it" }).click();
      await bookingDialog(page).getByTestId("confirm-email-first").waitFor({ state: "detached" });

      // No credit yet: buying some comes back to the same slot.
      await bookingDialog(page).getByRole("link", { name: "Get more credits" }).click();
      await page.getByRole("heading", { name: "Plans and billing" }).waitFor();
      await page.getByRole("button", { name: /^Buy 3 extra hours/ }).click();
      await page.getByRole("button", { name: "Pay (test)" }).click();
      await page.getByTestId("resume").getByRole("link", { name: "Back to the time you picked" }).click();
      await bookingDialog(page).waitFor();
      await expect.poll(() => bookingDialog(page).getByTestId("balance").innerText()).toBe("3 h");
      await bookingDialog(page).getByRole("button", { name: /^Book for/ }).click();
      await bookingDialog(page).getByText("You're booked!").waitFor();
      const { bookings } = (await (await page.request.get(`${server.url}/api/bookings`)).json()) as { bookings: { start: string; tutorId: string }[] };
      expect(bookings.map((b) => [b.tutorId, b.start])).toEqual([[tutor, start]]);
      await context.close();
    }
  });

  it("a learner with some credit but less than the slot's price is told at billing how much more she needs", async () => {
    const context = await contextIn(browser, "Europe/Berlin", 390);
    const email = `sofia.${Date.now()}@example.com`;
    await signUpVerified(context, server.url, { email, password: "correct horse battery", name: "Sofía Corta", role: "student", timezone: "Europe/Berlin" });
    const page = await logIn(context, server.url, email, "correct horse battery");
    // 3 h of credit; two hours with Jonas ($50 an hour) cost 3 h 20 min.
    await page.goto(`${server.url}/billing`);
    await page.getByRole("button", { name: /^Buy 3 extra hours/ }).click();
    await page.getByRole("button", { name: "Pay (test)" }).click();
    await page.waitForURL(/\/billing$/);
    const jonas = await tutorId(server.url, "Jonas Weber");
    await page.goto(`${server.url}/tutors/${jonas}?duration=120`);
    const start = await firstSlotAfter(page, 48);
    await slotButton(page, start).click();
    await bookingDialog(page).getByText("You need 3 h 20 min of credit but have 3 h.").waitFor();
    await bookingDialog(page).getByRole("link", { name: "Get more credits" }).click();
    await page.getByRole("heading", { name: "Plans and billing" }).waitFor();
    const resume = page.getByTestId("resume");
    await resume.waitFor();
    expect(await resume.innerText()).toContain("You need 20 min more credit for the time you picked.");
    expect(await resume.innerText()).not.toContain("You have credit to book with.");
    await shot(page, "flow-billing-still-short");
    // One more hour and it is enough: the page says so, and the way back books it.
    await page.getByRole("button", { name: /^Buy 1 extra hour/ }).click();
    await page.getByRole("button", { name: "Pay (test)" }).click();
    await resume.getByText("You have credit to book with.").waitFor();
    await resume.getByRole("link", { name: "Back to the time you picked" }).click();
    await bookingDialog(page).getByRole("button", { name: /^Book for/ }).click();
    await bookingDialog(page).getByText("You're booked!").waitFor();
    await context.close();
  });

  it("the browser's Back closes an open dialog and stays on the page; the next Back leaves it", async () => {
    const context = await contextIn(browser, "Europe/Rome", 390);
    const page = await logIn(context, server.url, "leo@tutorly.dev");
    await page.goto(`${server.url}/tutors`);
    await page.locator(".tutor-card", { hasText: "Jonas Weber" }).getByRole("link").click();
    await page.getByRole("heading", { name: "Jonas Weber", level: 1 }).waitFor();
    const slot = await firstSlotAfter(page, 48);
    const profile = page.url();
    await slotButton(page, slot).click();
    await bookingDialog(page).waitFor();

    await page.goBack();
    await bookingDialog(page).waitFor({ state: "hidden" });
    expect(page.url()).toBe(profile);
    await page.getByRole("heading", { name: "Jonas Weber", level: 1 }).waitFor();

    // Closed with its own button, the dialog leaves no entry behind: Back goes to the search.
    await slotButton(page, slot).click();
    await bookingDialog(page).getByRole("button", { name: "Cancel", exact: true }).click();
    await bookingDialog(page).waitFor({ state: "hidden" });
    // Its entry is gone once its own step back has landed (it lands after the dialog has closed).
    await page.waitForFunction(() => !(history.state as { dialog?: string } | null)?.dialog);
    await page.goBack();
    if (profile.includes("week=")) await page.goBack(); // the week paged to
    await page.waitForURL(/\/tutors$/);
    await context.close();
  });
});
