import { describe, expect, it } from "vitest";
import { ApiError } from "../../worker/lib/errors";
import { isSealed, needsSealing, seal, unseal } from "../../worker/lib/sealed";

const dev = { ENVIRONMENT: "test" };
const prod = { ENVIRONMENT: "production", DATA_ENCRYPTION_KEY: "prod-key-0123456789abcdef0123456789abcdef" };
const secret = "https://calendar.google.com/calendar/ical/x%40group.calendar.google.com/private-0f3c9a/basic.ics";

describe("sealed values (AES-GCM at rest)", () => {
  it("round-trips, with a fresh IV each time, and never shows the plaintext", async () => {
    const a = await seal(prod, secret, "external_calendars.url:a");
    const b = await seal(prod, secret, "external_calendars.url:a");
    expect(a).toMatch(/^sealed:v1:[0-9a-f]{8}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("private-0f3c9a");
    expect(await unseal(prod, a, "external_calendars.url:a")).toBe(secret);
  });

  it("does not open under another row, another key, or after tampering", async () => {
    const sealed = await seal(prod, secret, "external_calendars.url:a");
    await expect(unseal(prod, sealed, "external_calendars.url:b")).rejects.toThrow();
    await expect(unseal({ ...prod, DATA_ENCRYPTION_KEY: "another-key-0123456789abcdef0123456789" }, sealed, "external_calendars.url:a")).rejects.toThrow(/No key/);
    const last = sealed.at(-2) === "A" ? "B" : "A";
    await expect(unseal(prod, `${sealed.slice(0, -2)}${last}${sealed.at(-1)}`, "external_calendars.url:a")).rejects.toThrow();
  });

  it("reads values sealed under the previous key during a rotation, and says they need sealing again", async () => {
    const old = await seal(prod, secret, "ctx");
    const rotated = { ...prod, DATA_ENCRYPTION_KEY: "next-key-0123456789abcdef0123456789abcdef", DATA_ENCRYPTION_KEY_PREVIOUS: prod.DATA_ENCRYPTION_KEY };
    expect(await unseal(rotated, old, "ctx")).toBe(secret);
    expect(await needsSealing(rotated, old)).toBe(true);
    expect(await needsSealing(rotated, await seal(rotated, secret, "ctx"))).toBe(false);
  });

  it("passes a value from before encryption through, and marks it for sealing", async () => {
    expect(isSealed(secret)).toBe(false);
    expect(await unseal(dev, secret, "ctx")).toBe(secret);
    expect(await needsSealing(dev, secret)).toBe(true);
  });

  it("uses a fixed key only in development and tests; elsewhere a missing key is a 503, never a silent default", async () => {
    expect(await unseal(dev, await seal(dev, secret, "ctx"), "ctx")).toBe(secret);
    expect(await unseal({ ENVIRONMENT: "development" }, await seal(dev, secret, "ctx"), "ctx")).toBe(secret);
    for (const ENVIRONMENT of ["production", "staging", "bench", undefined]) {
      const failure = await seal({ ENVIRONMENT }, secret, "ctx").catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ApiError);
      expect((failure as ApiError).status).toBe(503);
    }
  });
});
