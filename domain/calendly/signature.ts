/**
 * Calendly webhook signatures: `Calendly-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` where the
 * HMAC is over `<t>.<raw body>` with the subscription's signing key. The timestamp bounds replays.
 */
export const SIGNATURE_TOLERANCE_MS = 3 * 60_000;

export type SignatureCheck = { ok: true } | { ok: false; reason: "missing_key" | "malformed" | "stale" | "mismatch" };

/** `t` and every `v1` of the header, or null when it is not of that shape. */
export function parseSignatureHeader(header: string | undefined | null): { t: number; v1: string[] } | null {
  if (!header || header.length > 1000) return null;
  let t: number | undefined;
  const v1: string[] = [];
  for (const part of header.split(",")) {
    const [k, v] = part.trim().split("=", 2);
    if (k === "t" && v && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === "v1" && v && /^[0-9a-f]{64}$/i.test(v)) v1.push(v.toLowerCase());
  }
  return t === undefined || !v1.length ? null : { t, v1 };
}

const hexOf = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** Compares two hex strings of equal length in constant time. */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The `v1` Calendly sends for `body` at `t` (also how tests sign deliveries). */
export async function calendlySignature(key: string, t: number, body: string): Promise<string> {
  const k = await crypto.subtle.importKey("raw", new TextEncoder().encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hexOf(await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(`${t}.${body}`)));
}

/** Checks a delivery's signature over its raw body, within 3 minutes of `now` either way. */
export async function verifyCalendlySignature(input: { header: string | undefined | null; body: string; key: string | undefined; now: number }): Promise<SignatureCheck> {
  if (!input.key) return { ok: false, reason: "missing_key" };
  const parsed = parseSignatureHeader(input.header);
  if (!parsed) return { ok: false, reason: "malformed" };
  if (Math.abs(input.now - parsed.t * 1000) > SIGNATURE_TOLERANCE_MS) return { ok: false, reason: "stale" };
  const expected = await calendlySignature(input.key, parsed.t, input.body);
  return parsed.v1.some((v) => sameHex(v, expected)) ? { ok: true } : { ok: false, reason: "mismatch" };
}
