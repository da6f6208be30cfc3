import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { chooseLanguageOnAccount, contextIn, logIn, showWeekWithSlots, signUpVerified } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;
useApp((s, b) => ((server = s), (browser = b)));

/**
 * Everything visible inside a card stays inside it (what a scrolling or clipping box holds is that box's business), and
 * nothing makes the page wider than the window. Answers the offenders as "card › element: how far out".
 */
async function overflows(page: Page): Promise<string[]> {
  await page.waitForLoadState("networkidle");
  return page.evaluate(() => {
    const out: string[] = [];
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className && typeof el.className === "string" ? `.${el.className.trim().split(/\s+/).join(".")}` : ""}`;
    if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push(`page is ${document.documentElement.scrollWidth - window.innerWidth}px wider than the window`);
    for (const card of Array.from(document.querySelectorAll("main .card"))) {
      const box = card.getBoundingClientRect();
      for (const el of Array.from(card.querySelectorAll("*"))) {
        const r = el.getBoundingClientRect();
        if (!r.width || !r.height) continue;
        let clip: Element | null = el.parentElement;
        while (clip && clip !== card && !/(auto|scroll|hidden)/.test(getComputedStyle(clip).overflowX)) clip = clip.parentElement;
        if (clip && clip !== card) continue; // held by a box that scrolls or clips it (a wide table, visually hidden text)
        const over = Math.max(r.right - box.right, box.left - r.left);
        if (over > 1) out.push(`${name(card)} › ${name(el)}: ${Math.round(over)}px out`);
      }
    }
    return out;
  });
}

describe("small layout faults", () => {
  it.each([1280, 390])("the search filters (the 'To' box too) stay inside their card at %ipx", async (width) => {
    const page = await (await contextIn(browser, "America/Chicago", width)).newPage();
    await page.goto(`${server.url}/tutors`);
    await page.getByLabel("To", { exact: true }).waitFor();
    expect(await overflows(page)).toEqual([]);
    await shot(page, `layout-search-${width}`);
    await page.context().close();
  });

  it.each([1280, 390])("a tutor's group opener (its week buttons and slot labels) stays inside its card at %ipx", async (width) => {
    const page = await logIn(await contextIn(browser, "Asia/Kathmandu", width), server.url, "anish@tutorly.dev");
    await page.goto(`${server.url}/sessions`);
    await page.getByRole("button", { name: "Choose a time…" }).click();
    // From Sunday morning in Kathmandu, Anish's week has no time left to open: the next week's are shown then.
    await showWeekWithSlots(page);
    await page.locator("section[aria-labelledby='group-title'] .slot-chip").first().waitFor();
    expect(await overflows(page)).toEqual([]);
    await shot(page, `layout-group-opener-${width}`);
    await page.context().close();
  });

  it("the header fits one row on a desktop, and on a phone every nav link can be seen without hidden scrolling", async () => {
    for (const [who, width] of [["maya@tutorly.dev", 1280], ["anish@tutorly.dev", 1280], ["maya@tutorly.dev", 390], ["anish@tutorly.dev", 390]] as const) {
      const page = await logIn(await contextIn(browser, "UTC", width), server.url, who);
      const nav = page.getByRole("navigation", { name: "Main" });
      const links = await nav.getByRole("link").evaluateAll((els) => els.map((e) => ({ text: e.textContent, ...e.getBoundingClientRect().toJSON() })));
      for (const l of links) expect(l.right, `${who} ${width}: ${l.text}`).toBeLessThanOrEqual(width);
      expect(await nav.evaluate((n) => n.scrollWidth <= n.clientWidth + 1), `${who} ${width}: nav scrolls`).toBe(true);
      if (width === 1280) {
        const header = await page.locator("header").first().boundingBox();
        expect(header!.height, `${who}: header height`).toBeLessThan(80);
      }
      expect(await overflows(page)).toEqual([]);
      await page.context().close();
    }
  });

  it("the header keeps one row at 1280px in Spanish and Arabic too (a student's six links are the longest)", async () => {
    const page = await logIn(await contextIn(browser, "UTC", 1280), server.url, "maya@tutorly.dev");
    try {
      for (const [lang, link] of [["es", "Sincronizar calendario"], ["ar", "مزامنة التقويم"]] as const) {
        await chooseLanguageOnAccount(page, lang);
        await page.getByRole("navigation").getByRole("link", { name: link }).waitFor();
        const header = await page.locator("header").first().boundingBox();
        expect(header!.height, `${lang}: header height`).toBeLessThan(80);
        await shot(page, `layout-header-${lang}-1280`);
      }
    } finally {
      await chooseLanguageOnAccount(page, "en");
      await page.context().close();
    }
  });

  it("on a phone a card's heading keeps its width: 'Sign out everywhere' goes under the devices' title in Spanish", async () => {
    const page = await logIn(await contextIn(browser, "UTC", 390), server.url, "maya@tutorly.dev");
    try {
      await chooseLanguageOnAccount(page, "es");
      await page.goto(`${server.url}/account`);
      const section = page.getByRole("region", { name: "Dispositivos con sesión iniciada" });
      const title = (await section.getByRole("heading", { level: 2 }).boundingBox())!;
      const button = (await section.getByRole("button", { name: "Cerrar sesión en todas partes" }).boundingBox())!;
      expect(title.width).toBeGreaterThan(250);
      expect(button.y).toBeGreaterThan(title.y + title.height);
      await shot(page, "layout-devices-es-390");
    } finally {
      await chooseLanguageOnAccount(page, "en");
      await page.context().close();
    }
  });

  it("on a phone a new tutor's empty earnings chart says its whole message, in Spanish and Arabic too (it wraps, not cut off)", async () => {
    const context = await contextIn(browser, "Europe/Madrid", 390);
    const email = `chart-${crypto.randomUUID().slice(0, 8)}@example.com`;
    await signUpVerified(context, server.url, { email, password: "empty-chart-1", name: "Lucía Gráfica", role: "tutor", timezone: "Europe/Madrid" });
    const page = await logIn(context, server.url, email, "empty-chart-1");
    for (const [lang, text] of [
      ["en", /^No earnings in the last 12 weeks yet$/],
      ["es", /^Aún no hay ganancias en las últimas 12 semanas$/],
      // Arabic pages write numbers as the browser's Intl does for "ar" (Arabic-Indic or Latin digits).
      ["ar", /^لا أرباح في آخر (12|١٢) أسبوعًا بعد$/],
    ] as const) {
      if (lang !== "en") await chooseLanguageOnAccount(page, lang);
      await page.goto(`${server.url}/earnings`);
      const chart = page.getByTestId("earnings-chart");
      const empty = chart.getByText(text);
      await empty.waitFor();
      // Every line of the message lies inside the chart's box (which clips what passes its edges).
      const fit = await empty.evaluate((el) => {
        const box = el.closest(".chart-box")!.getBoundingClientRect();
        const r = el.getBoundingClientRect();
        return { left: r.left - box.left, right: box.right - r.right, bottom: box.bottom - r.bottom, clipped: el.scrollWidth > el.clientWidth + 1 };
      });
      expect(fit, `${lang}: ${JSON.stringify(fit)}`).toEqual({ left: expect.any(Number), right: expect.any(Number), bottom: expect.any(Number), clipped: false });
      expect(Math.min(fit.left, fit.right, fit.bottom), `${lang}: ${JSON.stringify(fit)}`).toBeGreaterThanOrEqual(0);
      await shot(page, `layout-earnings-empty-${lang}-390`);
    }
    await page.context().close();
  });
});
