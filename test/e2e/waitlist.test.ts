import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { contextIn, logIn, mondayIn, tutorId } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

const HOUR = 3_600_000;

/** A tutor's group session of two seats at a free hour two days or more ahead, both seats taken by `students`. */
async function fullGroup(tutor: Page, tutorUserId: string, students: Page[]): Promise<{ id: string; start: string; seats: Record<number, string> }> {
  const range = new URLSearchParams({ from: new Date(Date.now() + 48 * HOUR).toISOString(), to: new Date(Date.now() + 9 * 24 * HOUR).toISOString(), duration: "60" });
  const { slots } = (await (await tutor.request.get(`${server.url}/api/tutors/${tutorUserId}/slots?${range}`)).json()) as { slots: { start: string }[] };
  const { tutor: profile } = (await (await tutor.request.get(`${server.url}/api/tutors/${tutorUserId}`)).json()) as { tutor: { subjects: string[] } };
  const start = slots[0]!.start;
  const subject = profile.subjects[0]!;
  const opened = await tutor.request.post(`${server.url}/api/tutors/me/group-sessions`, { data: { start, durationMinutes: 60, subject, seats: 2 }, headers: { "Idempotency-Key": crypto.randomUUID() } });
  expect(opened.status()).toBe(201);
  const id = ((await opened.json()) as { booking: { id: string } }).booking.id;
  const seats: Record<number, string> = {};
  for (const [i, s] of students.entries()) {
    const res = await s.request.post(`${server.url}/api/bookings`, { data: { tutorId: tutorUserId, start, durationMinutes: 60, subject, group: true }, headers: { "Idempotency-Key": crypto.randomUUID() } });
    expect(res.status()).toBe(201);
    seats[i] = ((await res.json()) as { booking: { id: string } }).booking.id;
  }
  return { id, start, seats };
}

describe("group waitlists", () => {
  it("a student joins the waitlist of a full group from the tutor's page, is told live when a seat frees up, and takes it", async () => {
    const jonasId = await tutorId(server.url, "Jonas Weber");
    const jonas = await logIn(await contextIn(browser, "Europe/Berlin"), server.url, "jonas@tutorly.dev");
    const maya = await logIn(await contextIn(browser, "America/Chicago"), server.url, "maya@tutorly.dev");
    const aiko = await logIn(await contextIn(browser, "Asia/Tokyo"), server.url, "aiko@tutorly.dev");
    const group = await fullGroup(jonas, jonasId, [maya, aiko]);

    const context = await contextIn(browser, "Europe/Rome");
    const leo = await logIn(context, server.url, "leo@tutorly.dev");
    const before = ((await (await leo.request.get(`${server.url}/api/billing/credits`)).json()) as { balanceMinutes: number }).balanceMinutes;
    await leo.goto(`${server.url}/tutors/${jonasId}?week=${mondayIn(group.start, "Europe/Rome")}`);
    const item = leo.locator(`.group-item[data-group="${group.id}"]`);
    await item.getByText(/Full/).waitFor();
    await item.getByRole("link", { name: /^Join the waitlist/ }).click();

    await leo.waitForURL(new RegExp(`/groups/`));
    await leo.getByText("This group is full.").waitFor();
    await leo.getByText(/held for them for 30 minutes/).waitFor();
    await leo.getByTestId("join-waitlist").click();
    await leo.getByTestId("waitlist-position").getByText("You're first in line.").waitFor();
    await shot(leo, "waitlist-waiting");

    // Maya gives up her seat: Leo's page changes by itself (the notice reaches him live).
    expect((await maya.request.post(`${server.url}/api/bookings/${group.seats[0]}/cancel`, { data: {} })).status()).toBe(200);
    await leo.getByText(/A seat is held for you until/).waitFor({ timeout: 15_000 });
    await shot(leo, "waitlist-offered");
    // And by email.
    await expect
      .poll(async () => {
        const { emails } = (await (await fetch(`${server.url}/api/dev/mailbox`)).json()) as { emails: { toEmail: string; subject: string }[] };
        return emails.some((m) => m.toEmail === "leo@tutorly.dev" && m.subject.startsWith("A seat is free for you"));
      }, { timeout: 10_000 })
      .toBe(true);
    // Nothing was spent by waiting; taking the seat spends its price once.
    expect(((await (await leo.request.get(`${server.url}/api/billing/credits`)).json()) as { balanceMinutes: number }).balanceMinutes).toBe(before);
    await leo.getByTestId("take-held-seat").click();
    await leo.getByText("You have a seat in this group.").waitFor();
    const after = ((await (await leo.request.get(`${server.url}/api/billing/credits`)).json()) as { balanceMinutes: number }).balanceMinutes;
    expect(after).toBeLessThan(before);
    await leo.getByRole("link", { name: "See the session" }).click();
    await leo.waitForURL(/\/sessions\//);
    await context.close();
    for (const p of [jonas, maya, aiko]) await p.context().close();
  });

  it("the waitlist page reads well on a phone", async () => {
    const jonasId = await tutorId(server.url, "Jonas Weber");
    const jonas = await logIn(await contextIn(browser, "Europe/Berlin"), server.url, "jonas@tutorly.dev");
    const maya = await logIn(await contextIn(browser, "America/Chicago"), server.url, "maya@tutorly.dev");
    const leo = await logIn(await contextIn(browser, "Europe/Rome"), server.url, "leo@tutorly.dev");
    const group = await fullGroup(jonas, jonasId, [maya, leo]);
    const context = await contextIn(browser, "Asia/Tokyo", 390);
    const aiko = await logIn(context, server.url, "aiko@tutorly.dev");
    await aiko.goto(`${server.url}/groups/${group.id}`);
    await aiko.getByTestId("join-waitlist").click();
    await aiko.getByTestId("waitlist-position").waitFor();
    expect(await aiko.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await shot(aiko, "waitlist-phone");
    await aiko.getByRole("button", { name: "Leave the waitlist" }).click();
    await aiko.getByText("You left the waitlist.").waitFor();
    await context.close();
    for (const p of [jonas, maya, leo]) await p.context().close();
  });
});
