import type { Browser, Page } from "playwright-core";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { shot } from "./browser";
import { contextIn, logIn } from "./helpers";
import { type DevServer, useApp } from "./server";

let server: DevServer;
let browser: Browser;
useApp((s, b) => ((server = s), (browser = b)));

/** The local payment mode's signing secret (worker/integrations/stripe/client.ts): events are signed as Stripe signs them. */
const LOCAL_SECRET = "whsec_tutorly_local_payment_mode";
const sec = (ms: number) => Math.floor(ms / 1000);

async function send(type: string, object: Record<string, unknown>, created = sec(Date.now())): Promise<string> {
  const payload = JSON.stringify({ id: `evt_${crypto.randomUUID().replace(/-/g, "")}`, object: "event", api_version: "2026-10-28.endive", created, livemode: false, type, data: { object } });
  const res = await fetch(`${server.url}/api/webhooks/stripe`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: LOCAL_SECRET }) },
    body: payload,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: string }).result;
}

const row = (page: Page, id: string) => page.locator(`tr[data-dispute="${id}"]`);

describe("the admin Disputes page", () => {
  it("shows a chargeback of a pack with its credit on hold, then taken back when lost, at desktop and phone sizes", async () => {
    // Maya buys a 3-hour pack ($99) and disputes the payment with her bank.
    const student = await contextIn(browser, "America/Chicago");
    const maya = await logIn(student, server.url, "maya@tutorly.dev");
    const userId = ((await (await maya.request.get(`${server.url}/api/auth/session`)).json()) as { user: { id: string } }).user.id;
    await student.close();
    const pi = `pi_e2e_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
    const paid = { id: `cs_e2e_${pi}`, object: "checkout.session", mode: "payment", payment_status: "paid", status: "complete", customer: null, payment_intent: pi, amount_total: 9_900, metadata: { userId, packId: "pack-180" } };
    expect(await send("checkout.session.completed", paid)).toBe("processed");
    const dispute = { id: `dp_e2e_${pi.slice(7)}`, object: "dispute", amount: 9_900, currency: "usd", charge: `ch_e2e_${pi.slice(7)}`, payment_intent: pi, reason: "fraudulent", status: "needs_response" };
    // The purchase is found through the wallet's projection, written just after the grant: ask until it is there.
    await expect.poll(() => send("charge.dispute.created", dispute), { timeout: 15_000, interval: 500 }).toBe("processed");

    for (const width of [1280, 390]) {
      const ctx = await contextIn(browser, "America/Chicago", width);
      const page = await logIn(ctx, server.url, "admin@tutorly.dev", "tutorly-admin");
      await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Disputes" }).click();
      await page.waitForURL(/\/admin\/disputes$/);
      await page.getByLabel("Status").selectOption("open");
      const open = row(page, dispute.id);
      await open.getByText("Open (needs response): credit on hold").waitFor();
      expect(await open.getByTestId("amount").innerText()).toBe("$99");
      expect(await open.getByTestId("frozen").innerText()).toBe("3 h");
      expect(await open.getByTestId("taken").innerText()).toBe("0 min");
      await expect.poll(() => page.getByRole("status").first().innerText()).toMatch(/Times in UTC/); // the admin account's own zone
      await shot(page, `admin-disputes-${width}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      await ctx.close();
    }

    // The bank decides for Maya: the unspent credit is taken back, and the page says so.
    expect(await send("charge.dispute.closed", { ...dispute, status: "lost" }, sec(Date.now()) + 5)).toBe("processed");
    const ctx = await contextIn(browser, "America/Chicago");
    const page = await logIn(ctx, server.url, "admin@tutorly.dev", "tutorly-admin");
    await page.goto(`${server.url}/admin/disputes?status=closed`);
    const lost = row(page, dispute.id);
    await lost.getByText("Lost: credit taken back").waitFor();
    expect(await lost.getByTestId("taken").innerText()).toBe("3 h");
    expect(await row(page, dispute.id).getByRole("link", { name: /Maya/ }).getAttribute("href")).toBe(`/admin/credits?user=${userId}`);
    await ctx.close();
  });
});
