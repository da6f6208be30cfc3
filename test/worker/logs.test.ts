import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Client, signup, uniqueEmail } from "./helpers";
import { deliver, stripeEvent } from "./stripeHelpers";
import { redact } from "../../platform/log";
import { env } from "cloudflare:workers";

let lines: string[] = [];
beforeEach(() => {
  lines = [];
  for (const level of ["log", "warn", "error"] as const) vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
});
afterEach(() => vi.restoreAllMocks());

describe("logs", () => {
  it("are JSON lines carrying the request id, and never the password, session token or secrets", async () => {
    const password = "my very secret passphrase";
    const email = uniqueEmail("logs");
    const client = new Client();
    const res = await client.post("/api/auth/signup", { email, password, name: "Log Test", role: "student", timezone: "UTC" });
    await client.post("/api/auth/login", { email, password: "wrong but also secret" });
    await client.post("/api/auth/login", { email, password });
    await deliver(stripeEvent("payment_method.attached", { id: "pm_1", object: "payment_method" }));
    const token = client.cookie.split("=")[1]!;
    const all = lines.join("\n");
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines.filter((l) => l.startsWith("{"))) expect(() => JSON.parse(line)).not.toThrow();
    const access = lines.map((l) => (l.startsWith("{") ? JSON.parse(l) : {})).filter((l) => l.msg === "request");
    expect(access.find((l) => l.path === "/api/auth/signup")).toMatchObject({ requestId: res.headers.get("X-Request-Id"), status: 201 });
    for (const secret of [password, "wrong but also secret", token, env.STRIPE_WEBHOOK_SECRET!, env.STRIPE_SECRET_KEY!]) expect(all).not.toContain(secret);
  });

  it("redacts credential-looking fields whatever is passed", () => {
    expect(redact({ password: "p", nested: { apiKey: "k", Authorization: "Bearer x", ok: 1 }, list: [{ token: "t" }] })).toEqual({
      password: "[redacted]",
      nested: { apiKey: "[redacted]", Authorization: "[redacted]", ok: 1 },
      list: [{ token: "[redacted]" }],
    });
  });

  it("an unexpected error is logged with the request id and answered 500 internal_error without internals", async () => {
    const { app } = await import("../../worker/index");
    const broken = { ...env, DB: undefined } as unknown as Env;
    const { client } = await signup("student");
    // A route that reads D1 (GET /api/me answers from the signed credential alone).
    const res = await app.fetch(new Request("http://localhost/api/notifications", { headers: { Cookie: client.cookie } }), broken);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe("internal_error");
    expect(body.error.message).not.toMatch(/undefined|TypeError|stack/i);
    expect(lines.some((l) => l.includes('"unhandled error"') && l.includes(body.error.requestId))).toBe(true);
  });
});
