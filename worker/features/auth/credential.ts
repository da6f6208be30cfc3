import { z } from "zod";
import { UserSchema, type User } from "../../../domain/schemas/auth";
import { base64url, fromBase64url, randomBytes, timingSafeEqual } from "../../lib/crypto";

/**
 * The signed session credential: who the caller is, signed by the Worker (HMAC-SHA256) and trusted for at most
 * `CREDENTIAL_TTL_MS` after it was issued. Within that bound a request needs no session-store read; after it,
 * the raw session token (the long-lived secret, hashed in D1) is checked again and a new credential issued.
 * Logout, password changes, suspension and revocation therefore reach every request within this bound.
 */
export const CREDENTIAL_TTL_MS = 60_000;

const PayloadSchema = z.object({
  v: z.literal(1),
  /** The session's public id (the devices list, socket tags). */
  sid: z.string().min(1).max(64),
  /** The first 128 bits of the session token's SHA-256: a credential only counts next to its own token. */
  th: z.string().length(32),
  /** Issued at, UTC ms. */
  iat: z.number().int().nonnegative(),
  user: UserSchema,
});
export type CredentialPayload = z.infer<typeof PayloadSchema>;

/** Used only where ENVIRONMENT is development or test; everywhere else SESSION_SIGNING_KEY must be set. */
const LOCAL_KEY = "tutorly-local-session-signing-key-not-secret";
const LOCAL_ENVIRONMENTS = new Set(["development", "test"]);

export function signingSecret(env: Env): string {
  if (env.SESSION_SIGNING_KEY) return env.SESSION_SIGNING_KEY;
  if (LOCAL_ENVIRONMENTS.has(env.ENVIRONMENT)) return LOCAL_KEY;
  throw new Error("SESSION_SIGNING_KEY is not set: sessions cannot be signed outside local environments");
}

const keys = new Map<string, Promise<CryptoKey>>();
/** One imported key per secret and isolate: importing costs more than signing. */
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}

/** `<payload b64url>.<HMAC b64url>` */
export async function signCredential(secret: string, payload: CredentialPayload): Promise<string> {
  const body = base64url(new TextEncoder().encode(JSON.stringify(payload)));
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), new TextEncoder().encode(body));
  return `${body}.${base64url(new Uint8Array(mac))}`;
}

/**
 * The credential's payload when its signature is good, it belongs next to `tokenHash` and it was issued within
 * the last `CREDENTIAL_TTL_MS` of `now`; otherwise null (the caller falls back to the session store).
 */
export async function verifyCredential(secret: string, credential: string, tokenHash: string, now: number): Promise<CredentialPayload | null> {
  const [body, mac, extra] = credential.split(".");
  if (!body || !mac || extra !== undefined || body.length > 4096) return null;
  let macBytes: Uint8Array;
  let json: unknown;
  try {
    macBytes = fromBase64url(mac);
    if (!(await crypto.subtle.verify("HMAC", await hmacKey(secret), macBytes as BufferSource, new TextEncoder().encode(body)))) return null;
    json = JSON.parse(new TextDecoder().decode(fromBase64url(body)));
  } catch {
    return null;
  }
  const parsed = PayloadSchema.safeParse(json);
  if (!parsed.success) return null;
  const p = parsed.data;
  if (p.th !== tokenHash.slice(0, 32) || p.iat > now + 5_000 || now - p.iat >= CREDENTIAL_TTL_MS) return null;
  return p;
}

/** A credential's payload: the user as `UserSchema` has them (nothing else an object passed in may carry). */
export const credentialFor = (sid: string, tokenHash: string, user: User, now: number): CredentialPayload => ({ v: 1, sid, th: tokenHash.slice(0, 32), iat: now, user: UserSchema.parse(user) });

/** Whom a known-device mark vouches for: the account that owns the address, in its current password's generation. */
export type MarkedAccount = { id: string; passwordHash: string };

/**
 * The "known device" mark for sign-in throttling, `<nonce>.<HMAC>`: set on a browser after it proved the password
 * of the account that owns an address, so the owner's own browser is never held back by failures others caused on
 * their account. The HMAC covers the account's id (a mark for one account is nobody else's), a random nonce drawn
 * per browser (no two browsers carry the same mark) and the stored password hash (salted, so new with every
 * password: a new password voids every mark given before it, and a copied mark with it).
 */
export async function knownDeviceMark(secret: string, account: MarkedAccount, nonce = base64url(randomBytes(16))): Promise<string> {
  const input = `known-device\u0000${account.id}\u0000${nonce}\u0000${account.passwordHash}`;
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), new TextEncoder().encode(input));
  return `${nonce}.${base64url(new Uint8Array(mac).slice(0, 18))}`;
}

/** Whether `mark` was given to this browser for `owner` under its current password (no owner: nobody's device is known). */
export async function isKnownDevice(secret: string, mark: string | undefined, owner: MarkedAccount | undefined): Promise<boolean> {
  if (!mark || !owner) return false;
  const [nonce, mac, extra] = mark.split(".");
  if (!nonce || !mac || extra !== undefined || nonce.length > 64) return false;
  const expected = await knownDeviceMark(secret, owner, nonce);
  return timingSafeEqual(new TextEncoder().encode(mark), new TextEncoder().encode(expected));
}
