import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { contextIn, firstSlotAfter, logIn, mondayIn, slotButton, tutorId, weeksFrom, weeksPastClockChange } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

describe("weekly lessons", () => {
  it("a student in Tokyo books a New York tutor every week, sees the weeks New York's clock change moves flagged, cancels one week and then the rest", async () => {
    const context = await contextIn(browser, "Asia/Tokyo");
    const page = await logIn(context, server.url, "aiko@tutorly.dev");
    await page.goto(`${server.url}/tutors`);
    await page.locator(".tutor-card", { hasText: "Olivia" }).getByRole("link").first().click();
    await page.getByRole("heading", { name: /Olivia/, level: 1 }).waitFor();
    const start = await firstSlotAfter(page, 48);
    await slotButton(page, start).click();
    const dialog = page.getByRole("dialog", { name: "Confirm your booking" });
    await dialog.waitFor();

    // Repeat it past New York's next clock change (Tokyo has none), so the later weeks are an hour off for the
    // student — flagged before booking.
    const count = weeksPastClockChange(start, "America/New_York", 12);
    await dialog.getByTestId("repeat-weekly").check();
    await dialog.getByLabel("Number of weeks").fill(String(count));
    await dialog.getByTestId("week-shifted").first().waitFor();
    expect(await dialog.getByTestId("week").count()).toBeGreaterThan(0);
    await dialog.getByText("credits are taken 7 days before it").waitFor();
    await shot(page, "series-dialog");
    await dialog.getByRole("button", { name: `Book ${count} weekly lessons` }).click();
    await dialog.getByText("You're booked!").waitFor();
    // One sentence: the first lesson, then "and every week after" (no full stop between them).
    expect(await dialog.locator(".alert.success").textContent()).toMatch(new RegExp(`, and every week after, ${count} lessons in all\\.$`));
    await dialog.getByRole("link", { name: "See the weekly lessons" }).click();

    await page.getByRole("heading", { name: /^Weekly/ }).waitFor();
    const weeks = page.getByTestId("series-week");
    await expect.poll(() => weeks.count()).toBeGreaterThan(10);
    await page.getByTestId("dst-shifted").first().waitFor();
    // The first lesson is within 7 days: paid; the second is paid 7 days before it.
    await weeks.nth(0).getByText("Paid").waitFor();
    await weeks.nth(1).getByText(/^Not paid yet: credits will be taken/).waitFor();
    await shot(page, "series-desktop");

    // Cancel the second week alone.
    await weeks.nth(1).getByRole("button", { name: /^Cancel this week/ }).click();
    const one = page.getByRole("dialog", { name: "Cancel this week?" });
    await one.getByRole("button", { name: "Cancel session" }).click();
    await page.locator("[data-testid='series-week'][data-status='cancelled']").first().waitFor();
    expect(await weeks.nth(0).getAttribute("data-status")).toBe("confirmed");
    expect(await weeks.nth(2).getAttribute("data-status")).toBe("confirmed");

    // Then the rest.
    await page.getByTestId("cancel-rest").click();
    await page.getByTestId("confirm-cancel-rest").click();
    await page.getByText("This series is cancelled.").waitFor();
    expect(await page.locator("[data-testid='series-week'][data-status='confirmed']").count()).toBe(0);

    // My sessions marks the weeks of a series.
    await page.goto(`${server.url}/sessions`);
    await page.getByRole("heading", { name: "My sessions" }).waitFor();
    await context.close();
  });

  it("a student takes her seat in a tutor's group every week; the week without a group is reported, and she cancels one week", async () => {
    const ameliaId = await tutorId(server.url, "Amelia Clarke");
    // Her weeks, at the same time on her clock (a weekly seat keeps the London wall-clock time).
    const week = (t: number, n: number) => weeksFrom(t, n, "Europe/London");
    const amelia = await logIn(await contextIn(browser, "Europe/London"), server.url, "amelia@tutorly.dev");
    // Amelia opens her group at the same free hour two weeks running (not the third).
    const range = new URLSearchParams({ from: new Date(Date.now() + 48 * 3_600_000).toISOString(), to: new Date(Date.now() + 24 * 86_400_000).toISOString(), duration: "60" });
    const { slots } = (await (await amelia.request.get(`${server.url}/api/tutors/${ameliaId}/slots?${range}`)).json()) as { slots: { start: string }[] };
    const free = new Set(slots.map((x) => Date.parse(x.start)));
    const first = [...free].find((t) => free.has(week(t, 1)) && free.has(week(t, 2)))!;
    const { tutor: profile } = (await (await amelia.request.get(`${server.url}/api/tutors/${ameliaId}`)).json()) as { tutor: { subjects: string[] } };
    const groups: string[] = [];
    for (const t of [first, week(first, 1)]) {
      const opened = await amelia.request.post(`${server.url}/api/tutors/me/group-sessions`, { data: { start: new Date(t).toISOString(), durationMinutes: 60, subject: profile.subjects[0], seats: 4 }, headers: { "Idempotency-Key": crypto.randomUUID() } });
      expect(opened.status()).toBe(201);
      groups.push(((await opened.json()) as { booking: { id: string } }).booking.id);
    }

    const context = await contextIn(browser, "Europe/Rome");
    const page = await logIn(context, server.url, "leo@tutorly.dev");
    const before = ((await (await page.request.get(`${server.url}/api/billing/credits`)).json()) as { balanceMinutes: number }).balanceMinutes;
    await page.goto(`${server.url}/tutors/${ameliaId}?week=${mondayIn(new Date(first).toISOString(), "Europe/Rome")}`);
    await page.locator(`.group-item[data-group="${groups[0]}"]`).getByRole("button").click();
    const dialog = page.getByRole("dialog", { name: "Join this group session" });
    await dialog.getByTestId("repeat-weekly").check();
    await dialog.getByLabel("Number of weeks").fill("3");
    await dialog.getByTestId("group-weekly-hint").getByText("Your seat in Amelia's group at this time each week").waitFor();
    await dialog.getByText("credits are taken 7 days before it").waitFor();
    await shot(page, "series-group-dialog");
    await dialog.getByRole("button", { name: "Book 3 weekly lessons" }).click();
    await dialog.getByText("You're booked!").waitFor();
    await dialog.getByText("1 week is not booked: Amelia has no group with a free seat then.").waitFor();
    await dialog.getByRole("link", { name: "See the weekly lessons" }).click();

    await page.getByRole("heading", { name: /^Weekly/ }).waitFor();
    const weeks = page.getByTestId("series-week");
    await expect.poll(() => weeks.count()).toBe(2);
    expect(await weeks.nth(0).getAttribute("data-booking")).toBe(groups[0]);
    await weeks.nth(0).getByText("Paid").waitFor();
    await weeks.nth(1).getByText(/^Not paid yet: credits will be taken/).waitFor();
    await page.getByRole("region", { name: "Weeks not booked (no group with a free seat then)" }).getByText("No other group with a free seat that day.").waitFor();
    await shot(page, "series-group");
    const price = before - ((await (await page.request.get(`${server.url}/api/billing/credits`)).json()) as { balanceMinutes: number }).balanceMinutes;
    expect(price).toBeGreaterThan(0);

    // The second week, not paid yet: her seat goes, the group stays open for the others.
    await weeks.nth(1).getByRole("button", { name: /^Cancel this week/ }).click();
    await page.getByRole("dialog", { name: "Cancel this week?" }).getByRole("button", { name: "Cancel session" }).click();
    await page.locator("[data-testid='series-week'][data-status='cancelled']").first().waitFor();
    expect(await weeks.nth(0).getAttribute("data-status")).toBe("confirmed");
    const group2 = async () => ((await (await amelia.request.get(`${server.url}/api/bookings/${groups[1]}`)).json()) as { booking: { status: string; seatsTaken: number } }).booking;
    await expect.poll(group2, { timeout: 10_000 }).toMatchObject({ status: "confirmed", seatsTaken: 0 });
    await context.close();
    await amelia.context().close();
  });

  it("a student moves the rest of her weekly lessons to another time: every week follows, same lessons", async () => {
    const context = await contextIn(browser, "Asia/Tokyo");
    const page = await logIn(context, server.url, "aiko@tutorly.dev");
    await page.goto(`${server.url}/tutors`);
    await page.locator(".tutor-card", { hasText: "Jonas" }).getByRole("link").first().click();
    await page.getByRole("heading", { name: /Jonas/, level: 1 }).waitFor();
    const start = await firstSlotAfter(page, 72);
    await slotButton(page, start).click();
    const dialog = page.getByRole("dialog", { name: "Confirm your booking" });
    await dialog.getByTestId("repeat-weekly").check();
    await dialog.getByLabel("Number of weeks").fill("3");
    await dialog.getByRole("button", { name: "Book 3 weekly lessons" }).click();
    await dialog.getByRole("link", { name: "See the weekly lessons" }).click();
    await page.getByRole("heading", { name: /^Weekly/ }).waitFor();
    const weeks = page.getByTestId("series-week");
    await expect.poll(() => weeks.count()).toBe(3);
    const ids = await weeks.evaluateAll((els) => els.map((e) => e.getAttribute("data-booking")));

    await page.getByTestId("move-rest").click();
    const move = page.getByRole("dialog", { name: "Move this and later weeks" });
    await move.getByText("Every later week moves the same way").waitFor();
    const next = await firstSlotAfter(page, 72 + 3);
    expect(next).not.toBe(start);
    await slotButton(page, next).click();
    await shot(page, "series-move-dialog");
    await move.getByRole("button", { name: "Move session" }).click();
    await page.getByTestId("series-moved").getByText("Moved. Later weeks follow the new time.").waitFor();
    await shot(page, "series-moved");
    // The heading follows: every week at the new time.
    await page.getByText(new RegExp(`at ${new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit", timeZone: "Asia/Tokyo" }).format(Date.parse(next))}`)).first().waitFor();
    const series = page.locator("[data-series]");
    const seriesId = (await series.getAttribute("data-series"))!;
    const answer = (await (await page.request.get(`${server.url}/api/series/${seriesId}`)).json()) as { series: { occurrences: { id: string; start: string }[] } };
    expect(answer.series.occurrences.map((o) => o.id)).toEqual(ids);
    expect(answer.series.occurrences[0]!.start).toBe(new Date(next).toISOString());

    // My sessions: the third week is not paid yet (its credits are taken 7 days before it). Its row says when, and its
    // cancel dialog promises nothing back, since nothing was taken; the first week, paid, keeps its refund promise.
    await page.goto(`${server.url}/sessions`);
    await page.getByRole("heading", { name: "My sessions" }).waitFor();
    const third = page.locator(`li.session[data-booking="${ids[2]}"]`);
    await expect.poll(() => third.getByTestId("session-cost").textContent()).toMatch(/min of credit, taken \w{3}, \w{3} \d+$/);
    await third.getByRole("button", { name: /^Cancel/ }).click();
    const unpaid = page.getByRole("dialog", { name: "Cancel this session?" });
    const note = unpaid.getByRole("note");
    await note.getByText("Cancelling now takes nothing and gives nothing back").waitFor();
    expect(await note.getAttribute("data-refund")).toBe("unpaid");
    expect(await note.textContent()).not.toMatch(/comes back|in full/);
    await shot(page, "series-cancel-unpaid");
    await unpaid.getByRole("button", { name: "Keep it" }).click();
    await unpaid.waitFor({ state: "hidden" });
    await page.locator(`li.session[data-booking="${ids[0]}"]`).getByRole("button", { name: /^Cancel/ }).click();
    const paid = page.getByRole("dialog", { name: "Cancel this session?" });
    await paid.getByText(/comes back/).waitFor();
    expect(await paid.getByRole("note").getAttribute("data-refund")).toBe("full");
    await paid.getByRole("button", { name: "Keep it" }).click();

    // Its page's receipt says the same: not paid yet, and when it will be (not "Paid 0 min").
    await page.goto(`${server.url}/sessions/${ids[2]}`);
    await page.getByTestId("receipt-unpaid").getByText("Not paid yet").waitFor();
    expect(await page.getByTestId("receipt").textContent()).not.toMatch(/^Paid/);
    await context.close();

    // Jonas, cancelling that unpaid week, is not told his student gets credits back: none were taken.
    const tutorContext = await contextIn(browser, "Europe/Berlin");
    const jonas = await logIn(tutorContext, server.url, "jonas@tutorly.dev");
    // His list says when that week will be paid, not that it earns $0; a paid week still says what it earns.
    await jonas.goto(`${server.url}/sessions`);
    const unpaidWeek = jonas.locator(`li.session[data-booking="${ids[2]}"]`);
    await unpaidWeek.waitFor();
    await expect.poll(() => unpaidWeek.textContent()).toMatch(/earns once paid on \w{3}, \w{3} \d+/);
    expect(await unpaidWeek.textContent()).not.toMatch(/earns \$0/);
    expect(await jonas.locator(`li.session[data-booking="${ids[0]}"]`).textContent()).toMatch(/earns \$\d+\.\d\d/);
    await jonas.goto(`${server.url}/sessions/${ids[2]}`);
    await jonas.getByRole("button", { name: /^Cancel/ }).first().click();
    const tutorNote = jonas.getByRole("dialog", { name: "Cancel this session?" }).getByRole("note");
    await tutorNote.getByText(/isn't paid yet/).waitFor();
    expect(await tutorNote.textContent()).not.toMatch(/back in full/);
    await tutorContext.close();
  });

  it("the series page reads well on a phone", async () => {
    const context = await contextIn(browser, "America/Chicago", 390);
    const page = await logIn(context, server.url, "maya@tutorly.dev");
    await page.goto(`${server.url}/tutors`);
    await page.locator(".tutor-card", { hasText: "Lucas" }).getByRole("link").first().click();
    await page.getByRole("heading", { name: /Lucas/, level: 1 }).waitFor();
    const start = await firstSlotAfter(page, 48);
    await slotButton(page, start).click();
    const dialog = page.getByRole("dialog", { name: "Confirm your booking" });
    await dialog.getByTestId("repeat-weekly").check();
    await dialog.getByLabel("Number of weeks").fill("4");
    await shot(page, "series-dialog-phone");
    await dialog.getByRole("button", { name: "Book 4 weekly lessons" }).click();
    await dialog.getByRole("link", { name: "See the weekly lessons" }).click();
    await page.getByRole("heading", { name: /^Weekly/ }).waitFor();
    await expect.poll(() => page.getByTestId("series-week").count()).toBe(4);
    await shot(page, "series-phone");
    await context.close();
  });
});
