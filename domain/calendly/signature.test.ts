import { describe, expect, it } from "vitest";
import { calendlySignature, parseSignatureHeader, verifyCalendlySignature } from "./signature";

const KEY = "calendly-test-signing-key";
const BODY = '{"event":"invitee.created","payload":{}}';
const T = 1_803_000_000; // 2027-02-20T…Z, in Unix seconds
const NOW = T * 1000;

const header = async (t = T, body = BODY, key = KEY) => `t=${t},v1=${await calendlySignature(key, t, body)}`;

describe("parseSignatureHeader", () => {
  it("reads t and every v1", () => {
    expect(parseSignatureHeader(`t=${T},v1=${"a".repeat(64)},v1=${"B".repeat(64)}`)).toEqual({ t: T, v1: ["a".repeat(64), "b".repeat(64)] });
  });
  it.each([undefined, "", "t=1", `v1=${"a".repeat(64)}`, `t=x,v1=${"a".repeat(64)}`, "t=1,v1=short", "garbage"])("rejects %j", (h) => {
    expect(parseSignatureHeader(h)).toBeNull();
  });
});

describe("verifyCalendlySignature", () => {
  it("accepts a delivery signed with the key over t.body", async () => {
    expect(await verifyCalendlySignature({ header: await header(), body: BODY, key: KEY, now: NOW })).toEqual({ ok: true });
  });

  it("accepts up to 3 minutes of clock difference either way", async () => {
    expect(await verifyCalendlySignature({ header: await header(T - 180), body: BODY, key: KEY, now: NOW })).toEqual({ ok: true });
    expect(await verifyCalendlySignature({ header: await header(T + 180), body: BODY, key: KEY, now: NOW })).toEqual({ ok: true });
  });

  it.each([
    ["a replay older than 3 minutes", async () => ({ header: await header(T - 181), body: BODY, key: KEY }), "stale"],
    ["a timestamp more than 3 minutes ahead", async () => ({ header: await header(T + 181), body: BODY, key: KEY }), "stale"],
    ["another key", async () => ({ header: await header(T, BODY, "other-key"), body: BODY, key: KEY }), "mismatch"],
    ["a changed body", async () => ({ header: await header(), body: BODY.replace("created", "canceled"), key: KEY }), "mismatch"],
    ["a signature moved to another timestamp", async () => ({ header: (await header()).replace(`t=${T}`, `t=${T + 1}`), body: BODY, key: KEY }), "mismatch"],
    ["no header", async () => ({ header: undefined, body: BODY, key: KEY }), "malformed"],
    ["no key configured", async () => ({ header: await header(), body: BODY, key: undefined }), "missing_key"],
  ])("refuses %s", async (_, make, reason) => {
    expect(await verifyCalendlySignature({ ...(await make()), now: NOW })).toEqual({ ok: false, reason });
  });
});
