import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { chooseLanguage, contextIn } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;
useApp((s, b) => ((server = s), (browser = b)));

const names = (page: Page) => page.locator(".results-grid:not(.stale) .tutor-card h3").allInnerTexts();
/**
 * Waits for the list to settle after a change and reads the tutors' names: first the address shows what the filters
 * say (the typed text lands there after a pause), then the answer for it.
 */
async function settled(page: Page) {
  await page.waitForFunction(() => {
    const q = new URL(location.href).searchParams;
    const value = (id: string) => (document.getElementById(id) as HTMLInputElement | HTMLSelectElement | null)?.value.trim();
    const sort = value("f-sort");
    return sort !== undefined && (q.get("q") ?? "") === value("f-subject") && (q.get("max") ?? "") === value("f-max") && (q.get("sort") ?? "best") === sort;
  });
  await page.locator('section.results[aria-busy="true"]').waitFor({ state: "detached" });
  await page.locator(".results-grid:not(.stale)").first().or(page.getByRole("heading", { name: "No tutors match" })).waitFor();
  return names(page);
}

describe("search that forgives", () => {
  it("finds subjects by common names and prefixes in any case, and tutors by name", async () => {
    const page = await (await contextIn(browser, "Europe/Rome")).newPage();
    await page.goto(`${server.url}/tutors`);
    const box = page.getByLabel("Subject or tutor");
    await box.fill("Math");
    const maths = await settled(page);
    expect(maths).toEqual(expect.arrayContaining(["Olivia Bennett", "Jonas Weber", "Anish Shrestha", "Daniel Kim"]));
    expect(maths).not.toContain("Yuki Tanaka");
    await box.fill("SAT");
    expect(await settled(page)).toEqual(["Olivia Bennett"]);
    await box.fill("comp");
    expect((await settled(page)).sort()).toEqual(["Daniel Kim", "Priya Sharma"]);
    await box.fill("olivia");
    expect(await settled(page)).toEqual(["Olivia Bennett"]);
  });

  it("sorts by price, rating and soonest free time", async () => {
    const page = await (await contextIn(browser, "Europe/Rome")).newPage();
    await page.goto(`${server.url}/tutors`);
    await settled(page);
    await page.getByLabel("Sort by").selectOption({ label: "Lowest price" });
    await settled(page);
    // Prices are credit per hour (what students pay); the card carries the number it shows.
    const prices = await page.locator(".results-grid .tutor-card .price").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-credit-minutes"))));
    expect(prices.length).toBeGreaterThan(5);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    await page.getByLabel("Sort by").selectOption({ label: "Soonest free time" });
    await settled(page);
    const next = await page.locator(".results-grid .tutor-card [data-next-free]").evaluateAll((els) => els.map((e) => e.getAttribute("data-next-free")!).filter(Boolean));
    expect(next.length).toBeGreaterThan(5);
    expect(next).toEqual([...next].sort());
    expect(page.url()).toContain("sort=soonest");
  });

  it("shows an invalid filter inline and recovers when it is fixed (no stuck list, no uncaught error)", async () => {
    const page = await (await contextIn(browser, "Europe/Rome")).newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}/tutors`);
    await settled(page);
    const box = page.getByLabel("Subject or tutor");
    await box.fill("x".repeat(150));
    const message = page.locator("#f-subject-err");
    await message.waitFor();
    expect(await message.innerText()).toBe("Search for at most 60 characters (a subject or a tutor's name).");
    expect(await box.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator(".results-count").innerText()).toBe("Fix the highlighted filter to update the list.");
    await page.getByLabel("Max price (credit-minutes per hour)").fill("forty");
    await page.locator("#f-max-err").waitFor();
    await shot(page, "search-invalid-filter");
    await box.fill("physics");
    await page.getByLabel("Max price (credit-minutes per hour)").fill("");
    expect(await settled(page)).toEqual(["Jonas Weber"]);
    expect(await message.count()).toBe(0);
    expect(await page.locator(".results-count").innerText()).toMatch(/^1 tutor for “physics”$/);
    expect(errors).toEqual([]);
  });

  it("in Spanish, finds subjects by the names its cards show and says what is wrong with the text in Spanish", async () => {
    const page = await (await contextIn(browser, "America/Mexico_City", 390)).newPage();
    await page.goto(`${server.url}/tutors`);
    await chooseLanguage(page, "es");
    await page.getByRole("heading", { level: 1, name: "Buscar tutor" }).waitFor();
    const box = page.locator("#f-subject");
    // The box's own example, as a learner types it.
    await box.fill("matemáticas");
    expect(await settled(page)).toEqual(expect.arrayContaining(["Olivia Bennett", "Jonas Weber", "Anish Shrestha", "Daniel Kim"]));
    await box.fill("Química");
    expect((await settled(page)).sort()).toEqual(["Anish Shrestha", "Charlotte Nguyen"]);
    await box.fill("inglés");
    expect(await settled(page)).toEqual(expect.arrayContaining(["Amelia Clarke", "Sophie Martin", "Fatima Al-Sayed"]));
    // A tutor's zone is named in Spanish, not by its English city.
    await box.fill("portugués");
    expect(await settled(page)).toEqual(["Lucas Oliveira"]);
    const there = await page.locator(".tutor-card", { hasText: "Lucas Oliveira" }).locator("p", { hasText: "allí son las" }).innerText();
    expect(there).toMatch(/^hora .*Brasilia/);
    expect(there).not.toMatch(/Sao Paulo|America/);
    await box.fill("x".repeat(150));
    const message = page.locator("#f-subject-err");
    await message.waitFor();
    expect(await message.innerText()).toBe("Escribe como máximo 60 caracteres (una materia o el nombre de un tutor).");
  });

  it("in Spanish, the count line's 'free between' agrees with the number of tutors (libre / libres)", async () => {
    const page = await (await contextIn(browser, "America/Mexico_City", 390)).newPage();
    // Nearly the whole day, so every tutor of the subject has some of it free.
    await page.goto(`${server.url}/tutors?from=00:00&to=23:30`);
    await chooseLanguage(page, "es");
    await page.getByRole("heading", { level: 1, name: "Buscar tutor" }).waitFor();
    const box = page.locator("#f-subject");
    await box.fill("portugués");
    expect(await settled(page)).toEqual(["Lucas Oliveira"]);
    expect(await page.locator(".results-count").innerText()).toMatch(/^1 tutor para «portugués» libre entre /);
    await box.fill("Química");
    expect((await settled(page)).sort()).toEqual(["Anish Shrestha", "Charlotte Nguyen"]);
    expect(await page.locator(".results-count").innerText()).toMatch(/^2 tutores para «Química» libres entre /);
    await shot(page, "search-es-free-between");
  });
});
