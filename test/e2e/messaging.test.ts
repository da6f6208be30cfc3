import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { contextIn, logIn, tutorId } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

describe("messaging", () => {
  it("a student and a tutor chat live: the message, the unread badge and the reply arrive without a reload", async () => {
    const id = await tutorId(server.url, "Olivia Bennett");
    const chicago = await contextIn(browser, "America/Chicago");
    const newYork = await contextIn(browser, "America/New_York", 390);
    const maya = await logIn(chicago, server.url, "maya@tutorly.dev");
    const olivia = await logIn(newYork, server.url, "olivia@tutorly.dev");
    await olivia.evaluate(() => ((window as { marker?: string }).marker = "no reload"));
    const oliviaBadge = olivia.getByTestId("messages-count");
    expect(await oliviaBadge.count()).toBe(0);

    // Maya starts from the tutor's page.
    await maya.goto(`${server.url}/tutors/${id}`);
    await maya.getByRole("button", { name: "Message Olivia" }).click();
    await maya.waitForURL(/\/messages\/[\w-]+$/);
    const conversation = maya.url().split("/").pop()!;
    const text = 'Hi Olivia! Could we go over integrals before Friday? <b>not bold</b> https://example.com/worksheet';
    await maya.getByLabel("Message to Olivia Bennett").fill(text);
    await maya.getByLabel("Message to Olivia Bennett").press("Enter");
    const sent = maya.locator(".bubble-row.mine[data-seq]");
    await sent.waitFor();
    // Shown as typed: the markup and the link are text, not HTML.
    expect(await sent.locator(".bubble-text").textContent()).toBe(text);
    expect(await sent.locator(".bubble-text b, .bubble-text a").count()).toBe(0);

    // Olivia, on her phone and on another page, sees the unread count appear live.
    await oliviaBadge.waitFor({ timeout: 10_000 });
    expect(await oliviaBadge.textContent()).toBe("1");
    await olivia.getByRole("link", { name: "Messages, 1 unread" }).click();
    await olivia.locator(`.convo[data-conversation="${conversation}"]`).click();
    const received = olivia.locator(".bubble-row:not(.mine)[data-seq]");
    await received.waitFor();
    expect(await received.locator(".bubble-text").textContent()).toBe(text);
    // Seen: the badge goes away once she has the conversation open.
    await oliviaBadge.waitFor({ state: "detached", timeout: 10_000 });
    await shot(olivia, "messages-tutor-phone");

    // Her reply reaches Maya's open thread live, in order.
    await olivia.getByLabel("Message to Maya Johnson").fill("Of course! Thursday 5 pm your time works.\nBring the practice sheet.");
    await olivia.getByRole("button", { name: "Send" }).click();
    const reply = maya.locator(".bubble-row:not(.mine)[data-seq]");
    await reply.waitFor({ timeout: 10_000 });
    expect(await reply.locator(".bubble-text").textContent()).toBe("Of course! Thursday 5 pm your time works.\nBring the practice sheet.");
    const seqs = await maya.locator(".bubble-row[data-seq]").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-seq"))));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs).toHaveLength(2);
    expect(await olivia.evaluate(() => (window as { marker?: string }).marker)).toBe("no reload");
    await shot(maya, "messages-student-desktop");

    // Search finds the message by a word in it, case and accents aside.
    await maya.getByRole("button", { name: "Search" }).click();
    await maya.getByLabel("Search this conversation").fill("PRACTICE");
    await maya.getByText("1 message contains “PRACTICE”").waitFor();
    await chicago.close();
    await newYork.close();
  });

  it("blocking closes the conversation for both, live", async () => {
    const id = await tutorId(server.url, "Lucas Oliveira");
    const rome = await contextIn(browser, "Europe/Rome");
    const saoPaulo = await contextIn(browser, "America/Sao_Paulo");
    const leo = await logIn(rome, server.url, "leo@tutorly.dev");
    const lucas = await logIn(saoPaulo, server.url, "lucas@tutorly.dev");
    await leo.goto(`${server.url}/tutors/${id}`);
    await leo.getByRole("button", { name: "Message Lucas" }).click();
    await leo.waitForURL(/\/messages\/[\w-]+$/);
    await leo.getByLabel("Message to Lucas Oliveira").fill("Hello!");
    await leo.getByRole("button", { name: "Send" }).click();
    await leo.locator(".bubble-row.mine[data-seq]").waitFor();
    await lucas.goto(`${server.url}/messages/${leo.url().split("/").pop()}`);
    await lucas.locator(".bubble-row[data-seq]").waitFor();

    await leo.getByRole("button", { name: "Block" }).click();
    await leo.getByRole("dialog", { name: "Block Lucas Oliveira?" }).getByRole("button", { name: "Block" }).click();
    await leo.getByText("You blocked Lucas Oliveira.").waitFor();
    await lucas.getByText("You can't send messages in this conversation any more.").waitFor({ timeout: 10_000 });
    expect(await lucas.getByLabel("Message to Leo Rossi").isDisabled()).toBe(true);
    await rome.close();
    await saoPaulo.close();
  });
});
