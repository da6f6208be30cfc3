import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "./browser";
import { contextIn } from "./helpers";
import { freePort } from "./server";

/**
 * `npm run dev` as a developer runs it (scripts/dev.mjs: the SPA watcher and `wrangler dev --live-reload`), with
 * its own local state. What README promises: it answers, keeps answering, and live reload works under the CSP.
 */
let child: ChildProcess;
let output = "";
let url = "";
let answeredAt = 0;
let browser: Browser;
const state = mkdtempSync(join(tmpdir(), "tutorly-dev-mode-"));
// `npm run dev` builds the SPA into dist/client its own way (a watch build with live reload's headers); the browser
// tests after this one run, and the first load is measured, on the build `npm run build` made: kept aside, put back.
const built = join(state, "built-client");

beforeAll(async () => {
  if (existsSync("dist/client")) cpSync("dist/client", built, { recursive: true });
  const port = await freePort();
  child = spawn("node", ["scripts/dev.mjs"], {
    env: { ...process.env, PORT: String(port), TUTORLY_PERSIST_TO: state, WRANGLER_SEND_METRICS: "false", CI: "true" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 280_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm run dev exited early:\n${output}`);
    const ok = await fetch(`${url}/`).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`npm run dev did not answer:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  answeredAt = output.length;
  browser = await launch();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  try {
    process.kill(-child.pid!, "SIGTERM");
  } catch {
    /* gone */
  }
  await new Promise((r) => setTimeout(r, 1000));
  if (existsSync(built)) {
    rmSync("dist/client", { recursive: true, force: true });
    cpSync(built, "dist/client", { recursive: true });
  }
  rmSync(state, { recursive: true, force: true });
});

describe("npm run dev", () => {
  it("keeps answering once it answers: requests right after start-up are not lost to a Worker restart", async () => {
    // The first POST also seeds the demo data (seconds of work): the window a restart would cut into.
    const statuses: (number | string)[] = [];
    const until = Date.now() + 30_000;
    const loop = async () => {
      while (Date.now() < until) {
        const res = await fetch(`${url}/api/auth/login`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Origin: url },
          body: JSON.stringify({ email: "maya@tutorly.dev", password: "not her password" }),
        }).then(
          (r) => r.status,
          (e: Error) => `network error: ${e.message}`,
        );
        statuses.push(res);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    await Promise.all([loop(), loop(), loop()]);
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    // Nothing was edited, so nothing may have restarted the Worker after it first answered.
    expect(output.slice(answeredAt)).not.toContain("Reloading local server");
  });

  it("runs wrangler's live reload under the content security policy, and a visitor's pages log no errors", async () => {
    const ctx = await contextIn(browser, "Europe/Rome");
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(e.message));
    const liveReload = page.waitForEvent("websocket", { predicate: (ws) => ws.url().endsWith("/cdn-cgi/live-reload"), timeout: 30_000 });
    await page.goto(`${url}/`);
    await page.locator("h1").first().waitFor();
    const socket = await liveReload;
    expect(socket.isClosed()).toBe(false);
    await page.goto(`${url}/tutors`);
    await page.locator(".tutor-card").first().waitFor();
    await page.waitForLoadState("networkidle");
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it("lets a visitor who forgot their password read the email in /dev/mailbox and follow its link", async () => {
    const ctx = await contextIn(browser, "Asia/Tokyo");
    const page = await ctx.newPage();
    await page.goto(`${url}/forgot-password`);
    await page.getByLabel("Email").fill("aiko@tutorly.dev");
    await page.getByRole("button", { name: /send/i }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    // Not signed in: the mailbox opens all the same (it exists only in development, as its API does).
    await page.goto(`${url}/dev/mailbox`);
    await page.getByRole("heading", { name: "Dev mailbox" }).waitFor();
    expect(page.url()).toBe(`${url}/dev/mailbox`);
    await page.getByRole("button", { name: /Reset your Tutorly password/ }).first().click();
    const text = (await page.locator(".mail-text").first().textContent()) ?? "";
    const link = /https?:\/\/\S+\/reset-password\?token=\S+/.exec(text)?.[0];
    expect(link, text).toBeTruthy();
    await page.goto(link!);
    await page.getByLabel(/new password/i).first().waitFor();
    await ctx.close();
  });
});
