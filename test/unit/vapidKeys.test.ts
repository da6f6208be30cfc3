import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { vapidAuthorization } from "../../platform/push/vapid";

describe("scripts/vapid-keys.ts", () => {
  it("prints a key pair the Worker signs VAPID tokens with, and that a push service can verify", async () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/vapid-keys.ts"], { encoding: "utf8" });
    const keys = Object.fromEntries(out.trim().split("\n").map((line) => line.split("=") as [string, string]));
    expect(Object.keys(keys)).toEqual(["VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY"]);

    const header = await vapidAuthorization({ publicKey: keys.VAPID_PUBLIC_KEY!, privateKey: keys.VAPID_PRIVATE_KEY!, subject: "mailto:ops@example.com" }, "https://push.example/send/1", Date.parse("2027-01-01T00:00:00Z"));
    const [, token, k] = header.match(/^vapid t=([^,]+), k=(.+)$/)!;
    expect(k).toBe(keys.VAPID_PUBLIC_KEY);
    const [head, claims, signature] = token!.split(".");
    const point = Buffer.from(k!, "base64url");
    const key = await crypto.subtle.importKey(
      "jwk",
      { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33).toString("base64url") },
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["verify"],
    );
    expect(await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, Buffer.from(signature!, "base64url"), new TextEncoder().encode(`${head}.${claims}`))).toBe(true);
  });
});
