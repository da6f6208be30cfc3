import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { addDays, dayOf, zonedToUtc } from "../../web/src/lib/time";
import { shot } from "./browser";
import { contextIn, firstSlotAfter, logIn, slotButton, tutorId } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

const NY = "America/New_York";
const iso = (ms: number) => new Date(ms).toISOString();

describe("a tutor's availability", () => {
  it("a date override saved in the editor shows up in the preview and, live, on a student's view of the tutor", async () => {
    const id = await tutorId(server.url, "Olivia Bennett");
    // Three days out, in Olivia's zone: other hours 07:00–08:00 replace her usual 16:00–20:00.
    const date = addDays(dayOf(Date.now(), NY), 3);
    const early = iso(zonedToUtc(date, "07:00", NY));
    const usual = iso(zonedToUtc(date, "16:00", NY));
    // The override's time fields are named by the date as people read it ("Sat, Dec 5 from").
    const dayName = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", weekday: "short", month: "short", day: "numeric" }).format(Date.parse(`${date}T00:00:00Z`));

    const studentCtx = await contextIn(browser, "America/Chicago");
    const maya = await logIn(studentCtx, server.url, "maya@tutorly.dev");
    await maya.goto(`${server.url}/tutors/${id}?week=${dayOf(early, "America/Chicago")}`);
    await maya.locator(".live-badge", { hasText: "Live" }).waitFor();
    await maya.locator('.week[aria-busy="true"]').waitFor({ state: "detached" });
    expect(await slotButton(maya, early).count()).toBe(0);

    const tutorCtx = await contextIn(browser, NY);
    const olivia = await logIn(tutorCtx, server.url, "olivia@tutorly.dev");
    await olivia.getByRole("link", { name: "Availability" }).click();
    await olivia.getByRole("heading", { name: "Availability", level: 1 }).waitFor();
    // Her zone, named with today's abbreviation (EST in winter, EDT in summer).
    await olivia.getByText(/America\/New York \(E[SD]T\)/).first().waitFor();
    // Her seeded weekday hours are there.
    expect(await olivia.getByLabel("Monday from").inputValue()).toBe("16:00");
    // The save bar stays over the page while it scrolls: opaque, so the fields it passes do not show through.
    expect(await olivia.locator(".save-bar").evaluate((el) => getComputedStyle(el).backgroundColor)).toMatch(/^rgb\(/);

    // Client-side validation with the shared schema: a horizon of 0 days is refused inline.
    await olivia.getByLabel("Bookable up to (days ahead)").fill("0");
    await olivia.getByRole("button", { name: "Save availability" }).click();
    await olivia.locator("#av-horizon-err").waitFor();
    await olivia.getByLabel("Bookable up to (days ahead)").fill("60");

    await olivia.getByRole("button", { name: "+ Add a date" }).click();
    const override = olivia.locator(".override").last();
    await override.getByLabel("Date").fill(date);
    await override.getByLabel("Other hours").check();
    await override.getByLabel(`${dayName} from`).fill("07:00");
    await override.getByLabel(`${dayName} until`).fill("08:00");
    await olivia.getByRole("button", { name: "Save availability" }).click();
    await olivia.getByRole("status").filter({ hasText: "Saved." }).waitFor();

    const preview = olivia.locator("#preview");
    await preview.locator(`.slot-chip[data-start="${early}"]`).waitFor();
    expect(await preview.locator(`.slot-chip[data-start="${usual}"]`).count()).toBe(0);
    await shot(olivia, "availability-desktop");

    // The student's open page picks the change up without a reload.
    await slotButton(maya, early).waitFor({ timeout: 5_000 });
    expect(await slotButton(maya, usual).count()).toBe(0);
    await shot(maya, "tutor-page-after-override");

    await studentCtx.close();
    await tutorCtx.close();
  });
});

describe("a tutor's time zone", () => {
  it("is one zone: set on the Availability page it is the zone of the preview, the dashboard, the profile and the account; set on the profile, the hours follow it", async () => {
    const amelia = await logIn(await contextIn(browser, "Europe/London"), server.url, "amelia@tutorly.dev");
    await amelia.goto(`${server.url}/availability`);
    await amelia.getByRole("heading", { name: "Availability", level: 1 }).waitFor();
    expect(await amelia.getByLabel("Monday from").inputValue()).toBe("08:00");
    await amelia.getByLabel("Time zone").selectOption("Asia/Tokyo");
    await amelia.getByRole("button", { name: "Save availability" }).click();
    await amelia.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    expect(await amelia.locator(".page-head").innerText()).toContain("Asia/Tokyo");
    const preview = amelia.locator("#preview");
    await expect.poll(() => preview.locator("p").first().innerText()).toContain("Asia/Tokyo");
    expect(await preview.innerText()).not.toContain("Europe/London");

    await amelia.getByRole("link", { name: "Dashboard" }).first().click();
    await amelia.getByText(/Your schedule is kept in Asia\/Tokyo/).waitFor();
    expect(await amelia.locator("#f-timezone").inputValue()).toBe("Asia/Tokyo");
    const me = (await (await amelia.request.get(`${server.url}/api/me`)).json()) as { user: { id: string; timezone: string } };
    expect(me.user.timezone).toBe("Asia/Tokyo");
    const profile = (await (await amelia.request.get(`${server.url}/api/tutors/${me.user.id}`)).json()) as { tutor: { timezone: string } };
    expect(profile.tutor.timezone).toBe("Asia/Tokyo");
    // A reload keeps it (the signed-in credential carries the new zone).
    await amelia.reload();
    await amelia.getByText(/Your schedule is kept in Asia\/Tokyo/).waitFor();

    // Back to London from the profile: the weekly hours stay 08:00–12:00, now London time again.
    await amelia.locator("#f-timezone").selectOption("Europe/London");
    await amelia.getByRole("button", { name: "Save profile" }).click();
    await amelia.getByText(/Your schedule is kept in Europe\/London/).waitFor();
    const rules = (await (await amelia.request.get(`${server.url}/api/tutors/me/availability`)).json()) as { availability: { timezone: string; weekly: { weekday: number; start: string }[] } };
    expect(rules.availability.timezone).toBe("Europe/London");
    expect(rules.availability.weekly.find((w) => w.weekday === 1)?.start).toBe("08:00");
    await amelia.goto(`${server.url}/availability`);
    await amelia.getByLabel("Monday from").waitFor();
    expect(await amelia.locator(".page-head").innerText()).toContain("Europe/London");
    expect(await amelia.getByLabel("Time zone").inputValue()).toBe("Europe/London");
  });
});

describe("group sessions", () => {
  it("a tutor opens a group session from their free slots; a student joins it at the group price and the tutor's list updates live", async () => {
    const id = await tutorId(server.url, "Jonas Weber");
    const tutorCtx = await contextIn(browser, "Europe/Berlin");
    const jonas = await logIn(tutorCtx, server.url, "jonas@tutorly.dev");
    await jonas.getByRole("link", { name: "Sessions" }).click();
    await jonas.getByRole("heading", { name: "Sessions", level: 1 }).waitFor();
    await jonas.getByRole("button", { name: "Choose a time…" }).click();
    await jonas.getByLabel("Subject").selectOption("physics");
    await jonas.getByLabel("Seats").fill("4");
    // Jonas at $50/h: 1:1 costs 100 credit-minutes an hour, a seat in a group of 4 half of it.
    await jonas.getByText("Each student pays 50 min of credit").waitFor();
    const start = await firstSlotAfter(jonas, 48);
    await slotButton(jonas, start).click();
    await jonas.getByRole("button", { name: "Open group session" }).click();
    await jonas.getByText("Group session opened.").waitFor();
    const mine = jonas.locator(".session", { hasText: "Physics" });
    await mine.getByText("0 of 4 seats taken").waitFor();
    await shot(jonas, "tutor-sessions-desktop");

    const studentCtx = await contextIn(browser, "Asia/Tokyo");
    const aiko = await logIn(studentCtx, server.url, "aiko@tutorly.dev");
    await aiko.goto(`${server.url}/tutors/${id}?week=${dayOf(start, "Asia/Tokyo")}`);
    const group = aiko.locator(`.group-item[data-start="${start}"]`);
    await group.getByText("4 of 4 seats left · 50 min of credit per seat").waitFor();
    await group.getByRole("button", { name: /^Join Physics group/ }).click();
    const dialog = aiko.getByRole("dialog", { name: "Join this group session" });
    await dialog.getByRole("button", { name: "Join for 50 min" }).click();
    await dialog.getByText("You're booked!").waitFor();

    await mine.getByText("1 of 4 seats taken").waitFor({ timeout: 5_000 });
    await studentCtx.close();
    await tutorCtx.close();
  });
});
