import type { Browser } from "playwright-core";
import { describe, expect, it } from "vitest";
import { audit } from "./axe";
import { shot } from "./browser";
import { contextIn, logIn } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;

useApp((s, b) => ((server = s), (browser = b)));

describe("pausing a plan (local payment mode)", () => {
  it("a subscriber pauses for 2 weeks, sees until when and the moved renewal, then resumes early", async () => {
    const context = await contextIn(browser, "America/Chicago");
    const page = await logIn(context, server.url, "maya@tutorly.dev");
    await page.goto(`${server.url}/billing`);
    await page.locator('.plan-card[data-plan="starter"]').getByRole("button", { name: "Choose Starter" }).click();
    await page.waitForURL(/\/billing\/checkout\/cs_local_/);
    await page.getByRole("button", { name: "Pay (test)" }).click();
    await page.waitForURL(/\/billing$/);
    await page.locator('[data-testid="current-plan"][data-plan="starter"]').waitFor();

    const plan = page.getByTestId("current-plan");
    const renewsBefore = await plan.getByText(/^Renews on/).textContent();
    const card = page.getByTestId("pause-plan");
    await card.getByText("Pause for 1 to 4 weeks, once per billing period", { exact: false }).waitFor();
    await card.getByLabel("Pause for").selectOption("2");
    await shot(page, "pause-before");
    await card.getByRole("button", { name: "Pause plan" }).click();

    const until = card.getByTestId("paused-until");
    await until.getByText(/^Paused until .+\(C[SD]T\)\.$/).waitFor();
    await until.getByText(/Your plan renews on/).waitFor();
    await card.getByText(/^Paused until .+ Your plan now renews on /).waitFor();
    const renewsAfter = await plan.getByText(/^Renews on/).textContent();
    expect(renewsAfter).not.toBe(renewsBefore);
    await shot(page, "pause-paused");
    expect((await audit(page)).map((v) => v.id)).toEqual([]);

    // A reload shows the same pause (it is the server's, not the page's).
    await page.reload();
    await page.getByTestId("paused-until").waitFor();

    await page.getByTestId("pause-plan").getByRole("button", { name: "Resume now" }).click();
    await page.getByTestId("pause-plan").getByText(/^Welcome back\. Your plan renews on /).waitFor();
    // Paused once this period: the card says so instead of offering another pause.
    await page.getByTestId("pause-unavailable").getByText(/You paused this billing period already/).waitFor();
    expect(await plan.getByText(/^Renews on/).textContent()).toBe(renewsBefore);
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "pause-resumed-phone");
    await context.close();
  });
});
