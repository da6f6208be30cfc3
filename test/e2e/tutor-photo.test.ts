import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { contextIn, logIn, tutorId } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;
useApp((s, b) => ((server = s), (browser = b)));

/** A real 1600×1200 PNG (a phone-sized picture), drawn by the browser itself. */
async function bigPng(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(1600, 1200);
    const g = canvas.getContext("2d")!;
    g.fillStyle = "#3b82f6";
    g.fillRect(0, 0, 1600, 1200);
    g.fillStyle = "#facc15";
    g.beginPath();
    g.arc(800, 600, 400, 0, Math.PI * 2);
    g.fill();
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: "image/png" })).arrayBuffer());
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  });
  return Buffer.from(base64, "base64");
}

describe("a tutor's photo and intro video", () => {
  it("the tutor uploads a photo (shrunk in the browser), adds an intro link; students see both on the page and in search; other tutors still show initials", async () => {
    const charlotte = await logIn(await contextIn(browser, "Australia/Sydney", 390), server.url, "charlotte@tutorly.dev");
    await charlotte.getByRole("heading", { name: "Your profile" }).waitFor();
    const picker = charlotte.getByLabel("Choose a photo…");

    // Not a picture: said plainly, nothing uploaded.
    await picker.setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not a picture at all") });
    await charlotte.getByRole("alert").filter({ hasText: "That file is not a photo we can read." }).waitFor();

    const png = await bigPng(charlotte);
    expect(png.length).toBeGreaterThan(10_000);
    const uploaded = charlotte.waitForResponse((r) => r.url().endsWith("/api/tutors/me/photo") && r.request().method() === "PUT");
    await picker.setInputFiles({ name: "me.png", mimeType: "image/png", buffer: png });
    const sent = (await uploaded).request();
    expect(sent.headers()["content-type"]).toBe("image/jpeg");
    await charlotte.getByRole("status").filter({ hasText: "Photo saved." }).waitFor();
    const mine = charlotte.locator(".photo-field img.avatar.photo");
    await mine.waitFor();
    await expect.poll(() => mine.evaluate((img: HTMLImageElement) => [img.complete, img.naturalWidth, img.naturalHeight])).toEqual([true, 512, 384]);
    await shot(charlotte, "tutor-photo-form-phone");
    expect(await charlotte.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await charlotte.getByLabel("Intro video link (optional)").fill("http://youtube.com/watch?v=abc");
    await charlotte.getByRole("button", { name: "Save profile" }).click();
    await charlotte.getByText("Paste an https link to your video on YouTube or Vimeo.").waitFor();
    await charlotte.getByLabel("Intro video link (optional)").fill("https://www.youtube.com/watch?v=dQw4w9WgXcQ");
    await charlotte.getByRole("button", { name: "Save profile" }).click();
    // Exactly "Saved." (the photo's "Photo saved. …" is still on screen and would match a looser text).
    await charlotte.getByText("Saved.", { exact: true }).waitFor();

    // A visitor, on a desktop: the photo heads her page, the intro is a link (nothing of YouTube loads here).
    const id = await tutorId(server.url, "Charlotte Nguyen");
    const visitor = await (await contextIn(browser, "Europe/Rome", 1280)).newPage();
    const thirdParty: string[] = [];
    visitor.on("request", (r) => void (new URL(r.url()).origin !== server.url && thirdParty.push(r.url())));
    await visitor.goto(`${server.url}/tutors/${id}`);
    const photo = visitor.locator(".profile-head img.avatar.photo");
    await photo.waitFor();
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(512);
    const intro = visitor.getByTestId("intro-video");
    expect(await intro.getAttribute("href")).toBe("https://www.youtube.com/watch?v=dQw4w9WgXcQ");
    expect(await intro.innerText()).toContain("Watch Charlotte's intro video");
    await shot(visitor, "tutor-photo-page-desktop");

    await visitor.goto(`${server.url}/tutors`);
    const card = visitor.locator(`.tutor-card[data-tutor="${id}"]`);
    await card.locator("img.avatar.photo").waitFor();
    // Tutors without a photo keep their initial.
    const olivia = visitor.locator(`.tutor-card[data-tutor="${await tutorId(server.url, "Olivia Bennett")}"]`);
    expect(await olivia.locator(".avatar").innerText()).toBe("O");
    expect(await olivia.locator("img").count()).toBe(0);
    await shot(visitor, "tutor-photo-search-desktop");
    expect(thirdParty).toEqual([]);

    // Removing it brings the initial back.
    await charlotte.getByRole("button", { name: "Remove photo" }).click();
    await charlotte.getByRole("status").filter({ hasText: "Photo removed." }).waitFor();
    expect(await charlotte.locator(".photo-field .avatar").innerText()).toBe("C");
  });
});
