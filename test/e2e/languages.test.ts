import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { formatDateTime } from "../../domain/format/time";
import { shot } from "./browser";
import { bookFirstHour, chooseLanguage, chooseLanguageOnAccount, logIn, signUpVerified, tutorId } from "./helpers";
import { type DevServer, useApp } from "./server";

/**
 * Issue 16.2 in the browser: the language comes from the browser, can be switched on any page (visitors too),
 * is stored on the account when signed in, and the page follows it — words, <html lang dir>, and dates written
 * for the locale.
 */
let server: DevServer;
let browser: Browser;
useApp((s, b) => ((server = s), (browser = b)));

const inBrowserOf = (locale: string, timezoneId = "Europe/Madrid", width = 1280) =>
  browser.newContext({ locale, timezoneId, viewport: { width, height: width > 500 ? 900 : 844 } });
const htmlLangDir = (page: Page) => page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);

/** The first tutor card's "next free hour" (sorted by soonest): its instant, and the text the page shows for it. */
async function nextFree(page: Page) {
  const p = page.locator("[data-next-free]:not([data-next-free=''])").first();
  await p.waitFor();
  return { at: (await p.getAttribute("data-next-free"))!, shown: (await p.locator("strong").textContent())! };
}

describe("languages", () => {
  it("speaks the browser's language to a visitor, and switches to Arabic (right to left) from the footer", async () => {
    const ctx = await inBrowserOf("es-ES");
    const page = await ctx.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole("heading", { level: 1, name: "Clases en vivo que encajan en tu semana, en tu zona horaria." }).waitFor();
    expect(await htmlLangDir(page)).toEqual(["es-ES", "ltr"]);

    await page.goto(`${server.url}/tutors?sort=soonest`);
    await page.getByRole("heading", { level: 1, name: "Buscar tutor" }).waitFor();
    await page.getByRole("status").getByText(/\d+ tutores/).waitFor();
    const es = await nextFree(page);
    // Written by Intl for es-ES in the viewer's zone: "lun, 7 dic, 14:00".
    expect(es.shown).toBe(formatDateTime(es.at, "Europe/Madrid", "es-ES"));
    await shot(page, "languages-search-es");

    await chooseLanguage(page, "ar");
    await page.getByRole("heading", { level: 1, name: "ابحث عن مدرّس" }).waitFor();
    expect(await htmlLangDir(page)).toEqual(["ar", "rtl"]);
    const ar = await nextFree(page);
    expect(ar.shown).toBe(formatDateTime(ar.at, "Europe/Madrid", "ar"));
    expect(ar.shown).not.toBe(es.shown);
    // Mirrored: the filters sit on the right of the results in a right-to-left page.
    const filters = (await page.locator("form.filters").boundingBox())!;
    const results = (await page.locator("section.results").boundingBox())!;
    expect(filters.x).toBeGreaterThan(results.x);
    await shot(page, "languages-search-ar");

    // Remembered in this browser: a new page opens in Arabic.
    await page.goto(`${server.url}/tutors/${await tutorId(server.url, "Olivia Bennett")}`);
    await page.getByRole("heading", { level: 2, name: "الأوقات المتاحة" }).waitFor();
    expect(await htmlLangDir(page)).toEqual(["ar", "rtl"]);
    await shot(page, "languages-tutor-ar");
    await ctx.close();
  });

  it("stores a signed-in person's choice on their account: another browser in English opens in Spanish after signing in", async () => {
    const first = await inBrowserOf("en-US");
    const page = await logIn(first, server.url, "maya@tutorly.dev");
    await page.getByRole("link", { name: "Find a tutor" }).first().waitFor();
    await chooseLanguageOnAccount(page, "es");
    await page.getByRole("link", { name: "Buscar tutor" }).first().waitFor();
    await first.close();

    const second = await inBrowserOf("en-US", "America/Chicago");
    const again = await logIn(second, server.url, "maya@tutorly.dev");
    await again.getByRole("link", { name: "Buscar tutor" }).first().waitFor();
    expect(await htmlLangDir(again)).toEqual(["es", "ltr"]);
    // The dashboard after signing in speaks Spanish too, its dates written for es.
    await again.getByRole("heading", { level: 1, name: /^Hola, Maya/ }).waitFor();
    await again.getByRole("heading", { level: 2, name: "Tus créditos" }).waitFor();
    await second.close();
  });

  it("isolates a Latin name inside an Arabic sentence, so the sentence keeps its right-to-left order", async () => {
    const ctx = await inBrowserOf("ar-EG", "Africa/Cairo");
    // Signed in as a student (through the API: this browser's login page speaks Arabic), so the page offers to write to her.
    const page = await ctx.newPage();
    expect((await page.request.post(`${server.url}/api/auth/login`, { data: { email: "maya@tutorly.dev", password: "tutorly-demo" }, headers: { Origin: server.url } })).status()).toBe(200);
    // Her account's language wins over the browser's: Arabic for this test, English again after it.
    expect((await page.request.patch(`${server.url}/api/me`, { data: { locale: "ar-EG" }, headers: { Origin: server.url } })).status()).toBe(200);
    try {
    await page.goto(`${server.url}/tutors/${await tutorId(server.url, "Olivia Bennett")}`);
    await page.getByRole("heading", { level: 2, name: "الأوقات المتاحة" }).waitFor();
    expect(await htmlLangDir(page)).toEqual(["ar-EG", "rtl"]);
    // The offer to write to her tutor comes with her account, after the page's heading: wait for the name in it.
    await page.getByRole("button", { name: /Olivia/ }).waitFor();
    // Every element whose own text holds the name within Arabic words has the name isolated: between U+2068 and
    // U+2069 (first strong isolate … pop) or in a <bdi>/dir="auto" element of its own.
    const mixed = await page.evaluate(() => {
      const out: { text: string; isolated: boolean }[] = [];
      const walker = document.createTreeWalker(document.querySelector("main")!, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n.textContent ?? "";
        const parent = n.parentElement!;
        const sentence = parent.closest("p, li, button, a, h1, h2, h3, span, div")?.textContent ?? text;
        if (!text.includes("Olivia") || !/[\u0600-\u06FF]/.test(sentence)) continue;
        const isolated = text.includes("\u2068Olivia") || !!parent.closest("bdi, [dir=auto]");
        out.push({ text: sentence.trim(), isolated });
      }
      return out;
    });
    expect(mixed.length).toBeGreaterThan(0);
    expect(mixed.filter((m) => !m.isolated)).toEqual([]);
    } finally {
      await shot(page, "languages-isolated-name-ar");
      await page.request.patch(`${server.url}/api/me`, { data: { locale: "en-US" }, headers: { Origin: server.url } });
      await ctx.close();
    }
  });

  it("keeps Latin and Arabic pieces in reading order: the session's tutor and price, a card's English bio, the week arrows and length dividers", async () => {
    const ctx = await inBrowserOf("ar-EG", "Africa/Cairo");
    const page = await ctx.newPage();
    expect((await page.request.post(`${server.url}/api/auth/login`, { data: { email: "maya@tutorly.dev", password: "tutorly-demo" }, headers: { Origin: server.url } })).status()).toBe(200);
    expect((await page.request.patch(`${server.url}/api/me`, { data: { locale: "ar-EG" }, headers: { Origin: server.url } })).status()).toBe(200);
    const olivia = await tutorId(server.url, "Olivia Bennett");
    const booking = await bookFirstHour(page, server.url, olivia);
    try {
      // "with Olivia Bennett · 1 h 30 min of credit": the name and the amount each in an isolate, so the hours stay
      // by their unit instead of jumping next to "with".
      await page.goto(`${server.url}/sessions`);
      const item = page.locator(`li.session[data-booking="${booking.id}"]`);
      await item.waitFor();
      expect(await item.locator(`a[href="/tutors/${olivia}"]`).evaluate((a) => a.parentElement?.tagName)).toBe("BDI");
      expect(await item.locator("bdi").allTextContents()).toContainEqual(expect.stringMatching(/^[\d٠-٩]+ س .*الرصيد$/));
      await shot(page, "languages-session-line-ar");

      // An English bio on a search card runs left to right (its full stop at its end, the clamp's "…" too).
      await page.goto(`${server.url}/tutors`);
      const bio = page.locator(".tutor-card .bio-clamp").filter({ hasText: /^[A-Za-z]/ }).first();
      await bio.waitFor();
      expect(await bio.evaluate((p) => getComputedStyle(p).direction)).toBe("ltr");

      // On the tutor's page, "previous week" (on the right) points right, and every length has its divider.
      await page.goto(`${server.url}/tutors/${olivia}`);
      const previous = page.locator(".week-nav button").first().locator("span[aria-hidden]");
      await previous.waitFor();
      expect(await previous.evaluate((s) => getComputedStyle(s).transform)).toBe("matrix(-1, 0, 0, 1, 0, 0)");
      const dividers = await page.locator(".segmented .segment > span").evaluateAll((spans) => spans.map((s) => getComputedStyle(s).borderLeftWidth));
      expect(dividers).toEqual([...dividers.slice(0, -1).map(() => "1px"), "0px"]);
    } finally {
      await page.request.post(`${server.url}/api/bookings/${booking.id}/cancel`, { data: {}, headers: { Origin: server.url } });
      await page.request.patch(`${server.url}/api/me`, { data: { locale: "en-US" }, headers: { Origin: server.url } });
      await ctx.close();
    }
  });

  it("refuses a tutor's profile, a partial Calendly token, and names signed-in devices in the tutor's language", async () => {
    const ctx = await inBrowserOf("es-ES");
    const page = await ctx.newPage();
    expect((await page.request.post(`${server.url}/api/auth/login`, { data: { email: "amelia@tutorly.dev", password: "tutorly-demo" }, headers: { Origin: server.url } })).status()).toBe(200);
    const speak = async (locale: string) => expect((await page.request.patch(`${server.url}/api/me`, { data: { locale }, headers: { Origin: server.url } })).status()).toBe(200);
    await speak("es-ES");
    const refuseProfile = async () => {
      await page.goto(`${server.url}/dashboard`);
      await page.locator("#f-subjects").fill("");
      await page.locator("#f-hourlyRateCents").fill("2");
      await page.locator("#f-hourlyRateCents").locator("xpath=ancestor::form").locator("button[type=submit]").click();
      await page.locator("#f-hourlyRateCents-err").waitFor();
      return [await page.locator("#f-subjects-err").innerText(), await page.locator("#f-hourlyRateCents-err").innerText()];
    };
    try {
      // The profile's own refusals (no subject, a rate under $5), said in Spanish, the amount written for Spanish.
      const [subjectsEs, rateEs] = await refuseProfile();
      expect(subjectsEs).toBe("Añade al menos una materia que enseñes.");
      expect(rateEs).toMatch(/^La tarifa por hora mínima es de 5\sUS\$\.$/);
      await shot(page, "languages-profile-errors-es");

      // A token cut short is refused in Spanish too (the server's code, said from the errors catalog).
      await page.goto(`${server.url}/calendar-sync`);
      await page.getByLabel("Token de acceso personal de Calendly").fill("too-short");
      await page.getByRole("button", { name: "Vincular Calendly" }).click();
      await page.getByText("Pega el token de acceso personal de Calendly completo", { exact: false }).waitFor();

      // Signed-in devices: the browser and system keep their names, the sentence is Spanish.
      await page.goto(`${server.url}/account`);
      await page.locator("li[data-device]").first().waitFor();
      expect(await page.locator("li[data-device] strong").allInnerTexts()).toContain("Chrome en Linux");

      await speak("ar-EG");
      const [subjectsAr, rateAr] = await refuseProfile();
      expect(subjectsAr).toBe("أضف مادة واحدة على الأقل تدرّسها.");
      expect(rateAr).toMatch(/^أقل سعر بالساعة هو /);
      await shot(page, "languages-profile-errors-ar");
    } finally {
      await speak("en-US");
      await ctx.close();
    }
  });

  it("an Arabic-speaking tutor lists subjects with the Arabic comma and reads Arabic punctuation in the group offer", async () => {
    const ctx = await inBrowserOf("ar-EG", "Africa/Cairo", 390);
    const page = await ctx.newPage();
    expect((await page.request.post(`${server.url}/api/auth/login`, { data: { email: "fatima@tutorly.dev", password: "tutorly-demo" }, headers: { Origin: server.url } })).status()).toBe(200);
    const speak = async (locale: string) => expect((await page.request.patch(`${server.url}/api/me`, { data: { locale }, headers: { Origin: server.url } })).status()).toBe(200);
    await speak("ar-EG");
    try {
      // The hint says "separated by commas, e.g. رياضيات، فيزياء": written so, they are two subjects. Mathematics, typed
      // by its Arabic name, is stored as the subject everyone finds ("mathematics"); a subject the app has no name for, as typed.
      await page.goto(`${server.url}/dashboard`);
      await page.locator("#f-subjects").fill("رياضيات، فقه");
      await page.locator("#f-subjects").locator("xpath=ancestor::form").locator("button[type=submit]").click();
      await page.getByText("تم الحفظ.").first().waitFor();
      const { tutor } = (await (await page.request.get(`${server.url}/api/tutors/${await tutorId(server.url, "Fatima Al-Sayed")}`)).json()) as { tutor: { subjects: string[] } };
      expect(tutor.subjects).toEqual(["mathematics", "فقه"]);
      // And the box reads them back in Arabic, with the Arabic comma.
      await page.reload();
      await expect.poll(() => page.locator("#f-subjects").inputValue()).toBe("الرياضيات، فقه");

      // The group offer's price tiers are listed the Arabic way, with no English comma.
      await page.goto(`${server.url}/sessions`);
      const intro = page.locator("section[aria-labelledby=group-title] p").first();
      await intro.waitFor();
      expect(await intro.innerText()).not.toContain(", ");
      await shot(page, "languages-group-offer-ar");
    } finally {
      await speak("en-US");
      await ctx.close();
    }
  });

  it("asks the server in the language picked in the app, not the browser's, so a visitor's refusals come in it", async () => {
    const ctx = await inBrowserOf("en-US");
    const page = await ctx.newPage();
    try {
      await page.goto(`${server.url}/tutors`);
      await page.getByRole("heading", { level: 1, name: "Find a tutor" }).waitFor();
      await chooseLanguage(page, "es");
      await page.getByRole("heading", { level: 1, name: "Buscar tutor" }).waitFor();
      // The choice is kept in this browser: the page's own search, on its next visit, asks in Spanish.
      const asked = page.waitForRequest((r) => new URL(r.url()).pathname === "/api/tutors");
      await page.reload();
      expect((await asked).headers()["accept-language"]).toMatch(/^es\b/);
    } finally {
      await ctx.close();
    }
  });

  it("refuses a visitor's signup in their language, with the schemas' own words (name, password)", async () => {
    const ctx = await inBrowserOf("es-ES");
    const page = await ctx.newPage();
    const refusals = async () => [await page.locator("#f-name-err").innerText(), await page.locator("#f-password-err").innerText()];
    try {
      await page.goto(`${server.url}/signup`);
      await page.getByRole("heading", { name: "Crea tu cuenta" }).waitFor();
      await page.getByRole("button", { name: "Crear cuenta" }).click();
      await page.locator("#f-name-err").waitFor();
      expect(await refusals()).toEqual(["Dinos tu nombre.", "Usa al menos 8 caracteres."]);
      await shot(page, "languages-signup-errors-es");

      await chooseLanguage(page, "ar");
      await page.getByRole("heading", { name: "أنشئ حسابك" }).waitFor();
      await page.getByRole("button", { name: "إنشاء الحساب" }).click();
      await expect.poll(refusals).toEqual(["أخبرنا باسمك.", "استخدم 8 أحرف على الأقل."]);
      await shot(page, "languages-signup-errors-ar");
    } finally {
      await ctx.close();
    }
  });

  it("names the time zones by city, Intl's name and offset in the reader's language, finds one by its city typed, and saves its IANA id", async () => {
    const ctx = await inBrowserOf("en-US", "America/Chicago");
    const page = await ctx.newPage();
    const email = `zones-${Date.now().toString(36)}@example.com`;
    await signUpVerified(ctx, server.url, { email, password: "a long zone password", name: "Zoe Zones", role: "student", timezone: "America/Chicago" });
    const picker = page.locator("#f-timezone");
    const shown = () => picker.locator("option:checked").innerText();
    try {
      await page.goto(`${server.url}/account`);
      await picker.waitFor();
      // A readable name, the id only as the value: the city first (a select jumps to what is typed at a label's start).
      expect(await shown()).toMatch(/^Chicago — Central Time \(GMT-0[56]:00\)$/);
      expect(await picker.inputValue()).toBe("America/Chicago");
      await expect.poll(() => picker.locator("option").count()).toBeGreaterThan(400); // named once the page is idle
      const labels = await picker.locator("option").allInnerTexts();
      expect(labels.filter((l) => /[/_]/.test(l))).toEqual([]);
      // Sorted by offset: Honolulu before Chicago before London before Tokyo.
      const at = (city: string) => labels.findIndex((l) => l.startsWith(`${city} — `));
      expect([at("Honolulu"), at("Chicago"), at("London"), at("Tokyo")].every((i, n, all) => i >= 0 && (n === 0 || i > all[n - 1]!))).toBe(true);

      // Typed from the keyboard, the city finds its zone; saved, the account keeps the IANA id.
      await picker.focus();
      await page.keyboard.type("Buenos");
      expect(await picker.inputValue()).toBe("America/Argentina/Buenos_Aires");
      expect(await shown()).toBe("Buenos Aires, Argentina — Argentina Standard Time (GMT-03:00)");
      const saved = page.waitForResponse((r) => r.url().endsWith("/api/me") && r.request().method() === "PATCH");
      await picker.locator("xpath=ancestor::form").getByRole("button", { name: "Save" }).click();
      expect((await saved).status()).toBe(200);
      const me = (await (await page.request.get(`${server.url}/api/me`)).json()) as { user: { timezone: string } };
      expect(me.user.timezone).toBe("America/Argentina/Buenos_Aires");
      await page.reload();
      await expect.poll(shown).toBe("Buenos Aires, Argentina — Argentina Standard Time (GMT-03:00)");

      // In Spanish and in Arabic, the zone's name is Intl's in that language.
      await chooseLanguageOnAccount(page, "es");
      await expect.poll(shown).toBe("Buenos Aires, Argentina — hora estándar de Argentina (GMT-03:00)");
      await shot(page, "languages-zone-picker-es");
      await chooseLanguageOnAccount(page, "ar");
      // In Arabic the zone's Arabic name comes first, the Latin city after it (it tells apart the zones of one name).
      await expect.poll(shown).toMatch(/^توقيت الأرجنتين الرسمي — Buenos Aires, Argentina \(غرينتش-(03:00|٠٣:٠٠)\)$/);
      expect(await picker.inputValue()).toBe("America/Argentina/Buenos_Aires");
      await shot(page, "languages-zone-picker-ar");
    } finally {
      await ctx.close();
    }
  });

  it("on a phone, finds a time zone by its name typed in Spanish or Arabic, and lists it named in that language", async () => {
    const ctx = await inBrowserOf("es-ES", "Europe/Madrid", 390);
    const page = await ctx.newPage();
    const picker = page.locator("#f-timezone");
    const find = page.locator("#f-timezone-find");
    /** What the picker lists once `typed` is in its search box (the zone held stays listed, first). */
    const listedFor = async (typed: string) => {
      await find.fill(typed);
      await expect.poll(() => picker.locator('option[value="America/Los_Angeles"]').count()).toBe(1);
      return picker.locator("option").allInnerTexts();
    };
    /** The picker opened as a list for the screenshot (a native select's own popup is not in page screenshots). */
    const shotListed = async (name: string) => {
      await picker.evaluate((el: HTMLSelectElement) => (el.size = 6));
      await shot(page, name);
      await picker.evaluate((el: HTMLSelectElement) => (el.size = 0));
    };
    try {
      await page.goto(`${server.url}/signup`);
      await page.getByRole("heading", { name: "Crea tu cuenta" }).waitFor();
      const es = await listedFor("Pacífico");
      expect(es.find((l) => l.startsWith("Los Angeles — "))).toMatch(/^Los Angeles — hora del Pacífico \(GMT-0[78]:00\)$/);
      expect(es.length).toBeLessThan(15);
      expect(await picker.inputValue()).toBe("Europe/Madrid");
      await shotListed("languages-zone-search-es-phone");
      // Enter picks the first zone found, and does not send the form.
      await find.press("Enter");
      expect(await picker.inputValue()).toBe("America/Los_Angeles");
      expect(page.url()).toMatch(/\/signup$/);

      await chooseLanguage(page, "ar");
      await page.getByRole("heading", { name: "أنشئ حسابك" }).waitFor();
      const ar = await listedFor("المحيط الهادي");
      expect(ar.some((l) => /^توقيت المحيط الهادي — Los Angeles \(غرينتش-(0[78]:00|٠[٧٨]:٠٠)\)$/.test(l))).toBe(true);
      expect(ar.length).toBeLessThan(15);
      await shotListed("languages-zone-search-ar-phone");
    } finally {
      await ctx.close();
    }
  });
});
