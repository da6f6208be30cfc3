import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { contextIn, logIn, signUpVerified, tutorId } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

/** Page errors, console errors and failed API calls of a page, to assert there were none. */
function problems(page: Page): string[] {
  const out: string[] = [];
  page.on("pageerror", (e) => out.push(`page error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && out.push(`console: ${m.text()}`));
  page.on("response", (r) => r.url().includes("/api/") && r.status() >= 400 && out.push(`${r.status()} ${r.request().method()} ${r.url()}`));
  return out;
}

const section = (page: Page, name: string) => page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name, exact: true });

describe("admin console", () => {
  it("an admin opens every section: overview chart, users, approvals, flagged tutors, bookings, credits, webhooks, payouts and health", async () => {
    // One booking by a student, so the chart and the bookings list have something to show.
    const tokyo = await contextIn(browser, "Asia/Tokyo");
    const aiko = await logIn(tokyo, server.url, "aiko@tutorly.dev");
    const yuki = await tutorId(server.url, "Yuki Tanaka");
    const from = new Date(Date.now() + 48 * 3_600_000).toISOString();
    const to = new Date(Date.now() + 16 * 86_400_000).toISOString();
    const { slots } = (await (await fetch(`${server.url}/api/tutors/${yuki}/slots?${new URLSearchParams({ from, to, duration: "60" })}`)).json()) as { slots: { start: string }[] };
    const booked = await aiko.evaluate(async (start) => {
      const r = await fetch("/api/bookings", { method: "POST", headers: { "content-type": "application/json", "Idempotency-Key": crypto.randomUUID() }, body: JSON.stringify({ tutorId: start.tutor, start: start.at, durationMinutes: 60, subject: "japanese" }) });
      return r.status;
    }, { tutor: yuki, at: slots[0]!.start });
    expect(booked).toBe(201);
    await tokyo.close();

    const context = await contextIn(browser, "UTC");
    const page = await logIn(context, server.url, "admin@tutorly.dev", "tutorly-admin");
    const seen = problems(page);
    await page.getByRole("heading", { name: "Admin console" }).waitFor();
    // On a desktop every section's link is in sight (none hidden past the nav's right edge).
    const nav = page.getByRole("navigation", { name: "Admin sections" });
    const navBox = (await nav.boundingBox())!;
    for (const link of await nav.getByRole("link").all()) {
      const box = (await link.boundingBox())!;
      expect(box.x + box.width, `${await link.textContent()} is cut off`).toBeLessThanOrEqual(navBox.x + navBox.width);
    }

    // Overview: the chart of the last 30 days, drawn and described.
    const chart = page.getByTestId("bookings-chart");
    await chart.locator("svg[role='img']").waitFor();
    expect(await chart.locator("svg").getAttribute("aria-label")).toMatch(/1 booked and 0 cancelled in 30 days/);
    expect(await chart.locator("svg rect").count()).toBe(60);
    await shot(page, "admin-overview");

    await section(page, "Users").click();
    await page.waitForURL(/\/admin\/users/);
    await page.locator("tr", { hasText: "maya@tutorly.dev" }).waitFor();
    await page.getByLabel("Role").selectOption("tutor");
    await page.locator("tr", { hasText: "olivia@tutorly.dev" }).waitFor();
    await page.locator("tr", { hasText: "maya@tutorly.dev" }).waitFor({ state: "detached" });
    await page.getByLabel("Role").selectOption("");
    await page.getByLabel("Name or email").fill("maya");
    await page.waitForURL(/q=maya/);
    await page.getByText("1 user", { exact: true }).waitFor();
    await shot(page, "admin-users");

    // Credits are adjusted for a student picked in Users.
    await page.getByRole("link", { name: "Adjust credits of Maya Johnson" }).click();
    await page.waitForURL(/\/admin\/credits\?user=/);
    await page.getByTestId("admin-balance").getByText("4 h", { exact: true }).waitFor();
    await page.getByLabel("Minutes").fill("30");
    await page.getByLabel("Reason").fill("goodwill for a dropped call");
    await page.getByRole("button", { name: "Add credit" }).click();
    await page.getByText("Added 30 min to Maya Johnson. New balance: 4 h 30 min.").waitFor();
    await page.getByTestId("admin-balance").getByText("4 h 30 min", { exact: true }).waitFor();
    await shot(page, "admin-credits");

    await section(page, "Tutor approvals").click();
    await page.getByRole("heading", { name: "Tutors waiting for approval" }).waitFor();
    await page.getByText("No tutors are waiting.").waitFor();

    await section(page, "Flagged tutors").click();
    await page.getByRole("heading", { name: "Flagged tutors" }).waitFor();
    await page.getByText("No tutors are flagged.").waitFor();

    await section(page, "Bookings").click();
    const row = page.locator('tr[data-status="confirmed"]', { hasText: "Japanese" });
    await row.getByText("Yuki Tanaka").waitFor();
    await row.getByText("Aiko Sato").waitFor();
    await page.getByLabel("Status").selectOption("cancelled");
    await page.getByText(/^0 bookings, newest first\./).waitFor();
    await page.getByLabel("Status").selectOption("confirmed");
    await row.waitFor();
    await shot(page, "admin-bookings");

    await section(page, "Webhooks").click();
    await page.getByRole("heading", { name: "Webhooks" }).waitFor();
    await page.getByLabel("Status").selectOption("failed");
    await page.getByText("No events match.").waitFor();

    await section(page, "Payouts").click();
    await page.getByRole("heading", { name: "Unpaid earnings" }).waitFor();
    await page.getByRole("button", { name: "Run payouts now" }).click();
    await page.getByText(/Payout run finished: \d+ paid, \d+ failed\./).waitFor();
    await shot(page, "admin-payouts");

    // Health: the database answers, and the jobs the dev server has run (if any) are listed.
    await section(page, "Health").click();
    await page.getByRole("heading", { name: "Health" }).waitFor();
    await page.getByText(/reachable · \d+ ms/).waitFor();
    await page.getByRole("heading", { name: "Scheduled jobs" }).waitFor();
    await shot(page, "admin-health");

    expect(seen).toEqual([]);
    await context.close();
  });

  it("every section fits a phone", async () => {
    const context = await contextIn(browser, "UTC", 390);
    const page = await logIn(context, server.url, "admin@tutorly.dev", "tutorly-admin");
    const seen = problems(page);
    for (const s of ["", "users", "approvals", "flagged", "bookings", "credits", "webhooks", "payouts", "health"]) {
      await page.goto(`${server.url}/admin${s ? `/${s}` : ""}`);
      await page.locator("main .card").first().waitFor();
      await page.locator("main [aria-label^='Loading']").waitFor({ state: "detached" });
      expect(await page.evaluate(() => document.documentElement.scrollWidth), s || "overview").toBeLessThanOrEqual(390);
      await shot(page, `admin-${s || "overview"}-phone`);
    }
    expect(seen).toEqual([]);
    await context.close();
  });

  it("suspending warns that upcoming sessions are cancelled, says how many were, and restoring says they stay cancelled", async () => {
    const rome = await contextIn(browser, "Europe/Rome");
    const leo = await logIn(rome, server.url, "leo@tutorly.dev");
    const sophie = await tutorId(server.url, "Sophie Martin");
    const from = new Date(Date.now() + 48 * 3_600_000).toISOString();
    const to = new Date(Date.now() + 16 * 86_400_000).toISOString();
    const { slots } = (await (await fetch(`${server.url}/api/tutors/${sophie}/slots?${new URLSearchParams({ from, to, duration: "60" })}`)).json()) as { slots: { start: string }[] };
    const booked = await leo.evaluate(async (b) => {
      const r = await fetch("/api/bookings", { method: "POST", headers: { "content-type": "application/json", "Idempotency-Key": crypto.randomUUID() }, body: JSON.stringify({ tutorId: b.tutor, start: b.at, durationMinutes: 60, subject: "french" }) });
      return r.status;
    }, { tutor: sophie, at: slots[0]!.start });
    expect(booked).toBe(201);
    await rome.close();

    const context = await contextIn(browser, "UTC");
    const page = await logIn(context, server.url, "admin@tutorly.dev", "tutorly-admin");
    const seen = problems(page);
    await page.goto(`${server.url}/admin/users?q=leo`);
    const row = page.locator("tr", { hasText: "leo@tutorly.dev" });
    await row.getByRole("button", { name: "Suspend Leo Rossi" }).click();
    // Before confirming, the admin reads what suspending does to the sessions to come.
    await row.getByText("Their 1 upcoming session will be cancelled (a seat they hold in a group is given up, and the group goes on); whoever loses a lesson is refunded in full and told.").waitFor();
    await row.getByLabel("Why suspend Leo Rossi?").fill("payment fraud under review");
    await shot(page, "admin-users-suspend-form");
    await row.getByRole("button", { name: "Suspend", exact: true }).click();
    await page.getByText("Leo Rossi is suspended. 1 upcoming session was cancelled or left; whoever lost a lesson was refunded and told.").waitFor();
    await row.getByText("Suspended", { exact: true }).waitFor();
    await shot(page, "admin-users-suspended");

    // Restoring asks first, saying it brings no session back; backing out changes nothing.
    await row.getByRole("button", { name: "Restore Leo Rossi" }).click();
    await row.getByText("Restoring does not bring back sessions the suspension cancelled.").waitFor();
    await shot(page, "admin-users-restore-confirm");
    await row.getByRole("button", { name: "Cancel", exact: true }).click();
    await row.getByRole("button", { name: "Restore Leo Rossi" }).waitFor();
    await row.getByText("Suspended", { exact: true }).waitFor();
    await row.getByRole("button", { name: "Restore Leo Rossi" }).click();
    await row.getByRole("button", { name: "Restore", exact: true }).click();
    await page.getByText("Leo Rossi is restored. Sessions the suspension cancelled stay cancelled.").waitFor();
    await row.getByRole("button", { name: "Suspend Leo Rossi" }).waitFor();
    expect(await row.getByText("Suspended", { exact: true }).count()).toBe(0);
    expect(seen).toEqual([]);
    await context.close();
  });

  it("suspending from a report says first how many sessions it cancels, and after how many it did; the report closes", async () => {
    const keyed = () => ({ headers: { "Idempotency-Key": crypto.randomUUID() } });
    const pupil = await contextIn(browser, "Europe/London");
    const { id: rexId } = await signUpVerified(pupil, server.url, { email: `rex-${Date.now().toString(36)}@example.com`, password: "a long student password", name: "Rex Rude", role: "student", timezone: "Europe/London" });
    const context = await contextIn(browser, "UTC");
    const page = await logIn(context, server.url, "admin@tutorly.dev", "tutorly-admin");
    const granted = await page.request.post(`${server.url}/api/admin/credits`, { data: { userId: rexId, minutes: 120, reason: "report test" }, ...keyed() });
    expect(granted.status(), await granted.text()).toBe(201);
    // Rex books a lesson with Sophie and writes to her; she reports him.
    const sophie = await tutorId(server.url, "Sophie Martin");
    const from = new Date(Date.now() + 48 * 3_600_000).toISOString();
    const to = new Date(Date.now() + 16 * 86_400_000).toISOString();
    const { slots } = (await (await fetch(`${server.url}/api/tutors/${sophie}/slots?${new URLSearchParams({ from, to, duration: "60" })}`)).json()) as { slots: { start: string }[] };
    const booked = await pupil.request.post(`${server.url}/api/bookings`, { data: { tutorId: sophie, start: slots.at(-1)!.start, durationMinutes: 60, subject: "french" }, ...keyed() });
    expect(booked.status(), await booked.text()).toBe(201);
    const { booking } = (await booked.json()) as { booking: { id: string } };
    const started = await pupil.request.post(`${server.url}/api/conversations`, { data: { tutorId: sophie }, ...keyed() });
    const { conversation } = (await started.json()) as { conversation: { id: string } };
    expect((await pupil.request.post(`${server.url}/api/conversations/${conversation.id}/messages`, { data: { text: "Pay me in cash or else." }, ...keyed() })).status()).toBe(201);
    await pupil.close();
    const tutor = await contextIn(browser, "Europe/Paris");
    expect((await tutor.request.post(`${server.url}/api/auth/login`, { data: { email: "sophie@tutorly.dev", password: "tutorly-demo" } })).status()).toBe(200);
    expect((await tutor.request.post(`${server.url}/api/conversations/${conversation.id}/report`, { data: { reason: "harassment", details: "Threats" }, ...keyed() })).status()).toBe(201);
    await tutor.close();

    const seen = problems(page);
    await page.goto(`${server.url}/admin/reports`);
    const card = page.locator("article[data-report]", { hasText: "Rex Rude" });
    // Without a reason nothing happens but the ask for one.
    await card.getByRole("button", { name: "Suspend Rex Rude and close" }).click();
    await card.getByText("Write the reason in the note first.").waitFor();
    await card.getByLabel(/^Note/).fill("threatening a tutor");
    await card.getByRole("button", { name: "Suspend Rex Rude and close" }).click();
    // Before confirming, the admin reads what suspending does to his sessions to come; backing out does nothing.
    await card.getByText("Their 1 upcoming session will be cancelled (a seat they hold in a group is given up, and the group goes on); whoever loses a lesson is refunded in full and told.").waitFor();
    await shot(page, "admin-reports-suspend-confirm");
    await card.getByRole("button", { name: "Cancel", exact: true }).click();
    await card.getByRole("button", { name: "Suspend Rex Rude and close" }).click();
    await card.getByRole("button", { name: "Suspend and close the report" }).click();
    await page.getByText("Rex Rude is suspended. 1 upcoming session was cancelled or left; whoever lost a lesson was refunded and told. The report is closed.").waitFor();
    await card.waitFor({ state: "detached" });
    await shot(page, "admin-reports-suspended");
    const after = (await (await page.request.get(`${server.url}/api/bookings?studentId=${rexId}`)).json()) as { bookings: { id: string; status: string }[] };
    expect(after.bookings.find((b) => b.id === booking.id)?.status).toBe("cancelled");
    expect(seen).toEqual([]);
    await context.close();
  });

  it("credit expiries say their year", async () => {
    const context = await contextIn(browser, "UTC");
    const page = await logIn(context, server.url, "admin@tutorly.dev", "tutorly-admin");
    const seen = problems(page);
    await page.goto(`${server.url}/admin/users?q=aiko`);
    await page.getByRole("link", { name: "Adjust credits of Aiko Sato" }).click();
    await page.waitForURL(/\/admin\/credits\?user=/);
    await page.getByLabel("Minutes").fill("15");
    await page.getByLabel("Expires after (days)").fill("730");
    await page.getByLabel("Reason").fill("make-up for a long outage");
    await page.getByRole("button", { name: "Add credit" }).click();
    await page.getByText(/^Added 15 min to Aiko Sato\./).waitFor();
    const expiry = new Date(Date.now() + 730 * 86_400_000);
    const year = String(expiry.getUTCFullYear());
    const lots = page.locator("ul.expiries li");
    await lots.first().waitFor();
    // Every lot's expiry has its year: the new one two years ahead, the others this year or next.
    for (const text of await lots.allTextContents()) expect(text).toMatch(/\b20\d\d\b/);
    expect((await lots.allTextContents()).some((t) => t.includes(year))).toBe(true);
    await shot(page, "admin-credits-expiry-years");
    expect(seen).toEqual([]);
    await context.close();
  });

  it("a new tutor: email not confirmed is marked where they are approved and listed, and no sessions yet is not 100 % reliable", async () => {
    const email = `new-tutor-${Date.now().toString(36)}@example.com`;
    const anonymous = await contextIn(browser, "UTC");
    const signup = await anonymous.request.post(`${server.url}/api/auth/signup`, { data: { email, password: "a long tutor password", name: "Nadia Brandnew", role: "tutor", timezone: "Europe/Lisbon" } });
    expect(signup.status()).toBe(201);
    await anonymous.close();

    const context = await contextIn(browser, "UTC");
    const page = await logIn(context, server.url, "admin@tutorly.dev", "tutorly-admin");
    const seen = problems(page);
    await section(page, "Tutor approvals").click();
    const waiting = page.locator("tr", { hasText: "Nadia Brandnew" });
    await waiting.getByText("Email not confirmed").waitFor();
    await shot(page, "admin-approvals-unconfirmed");
    await waiting.getByRole("button", { name: "Approve Nadia Brandnew" }).click();
    await page.getByText("No tutors are waiting.").waitFor();

    await page.goto(`${server.url}/admin/users?q=${encodeURIComponent(email)}`);
    const row = page.locator("tr", { hasText: email });
    await row.getByText("Email not confirmed").waitFor();
    await row.getByText("No sessions yet").waitFor();
    expect(await row.textContent()).not.toMatch(/reliable/);
    // A seeded tutor with no sessions either.
    await page.goto(`${server.url}/admin/users?q=olivia`);
    await page.locator("tr", { hasText: "olivia@tutorly.dev" }).getByText("No sessions yet").waitFor();

    const phone = await contextIn(browser, "UTC", 390);
    const small = await logIn(phone, server.url, "admin@tutorly.dev", "tutorly-admin");
    await small.goto(`${server.url}/admin/users?q=${encodeURIComponent(email)}`);
    await small.getByText("No sessions yet").waitFor();
    await small.getByText("Email not confirmed").waitFor();
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(small, "admin-users-new-tutor-phone");
    await phone.close();
    expect(seen).toEqual([]);
    await context.close();
  });
});
