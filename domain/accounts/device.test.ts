import { describe, expect, it } from "vitest";
import { deviceLabel, deviceOf } from "./device";

const CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

describe("deviceLabel", () => {
  it.each([
    [CHROME_LINUX, "Chrome on Linux"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Windows"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "Safari on iOS"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge on Windows"],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "Safari on macOS"],
    ["curl/8.5.0", "Unknown device"],
    [null, "Unknown device"],
  ])("names %s as %s", (ua, label) => {
    expect(deviceLabel(ua)).toBe(label);
  });
});

describe("deviceOf (the parts a screen puts into a sentence of its own language)", () => {
  it.each([
    [CHROME_LINUX, { browser: "Chrome", os: "Linux" }],
    ["Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", { browser: "Chrome", os: "Android" }],
    ["Mozilla/5.0 (X11; CrOS x86_64 14541.0.0)", { browser: null, os: "ChromeOS" }],
    ["curl/8.5.0", { browser: null, os: null }],
    [undefined, { browser: null, os: null }],
  ])("reads %s as %o", (ua, parts) => {
    expect(deviceOf(ua)).toEqual(parts);
  });
});
