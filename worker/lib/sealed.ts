import { isLocalEnvironment } from "../../platform/environment";
import { log } from "../../platform/log";
import { base64url, fromBase64url, sha256Hex } from "./crypto";
import { ApiError } from "./errors";

/**
 * Secrets users hand us (outside calendar addresses, Calendly access tokens) are kept encrypted in D1:
 * AES-256-GCM under a key derived (HKDF-SHA256) from the DATA_ENCRYPTION_KEY secret, a fresh 96-bit IV per
 * value, and the row the value belongs to as associated data, so a value copied into another row does not
 * open. A stored value reads `sealed:v1:<key id>:<iv>:<ciphertext>`; the key id lets a rotation keep reading
 * values sealed under DATA_ENCRYPTION_KEY_PREVIOUS until they are sealed again. A value without the prefix
 * is a row from before encryption (see `sealPlainSecrets`).
 */
const PREFIX = "sealed:v1:";
/** A missing key falls back to this one only in development and tests (never staging or production). */
const LOCAL_KEY = "tutorly-local-data-key-not-for-production";

type KeyEnv = { ENVIRONMENT?: string; DATA_ENCRYPTION_KEY?: string; DATA_ENCRYPTION_KEY_PREVIOUS?: string };
type Key = { id: string; key: CryptoKey };

const utf8 = new TextEncoder();
const derived = new Map<string, Promise<Key>>();

function derive(secret: string): Promise<Key> {
  let key = derived.get(secret);
  if (!key) {
    key = (async () => {
      const material = await crypto.subtle.importKey("raw", utf8.encode(secret), "HKDF", false, ["deriveKey"]);
      const aes = await crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: utf8.encode("tutorly data encryption"), info: utf8.encode("aes-256-gcm v1") },
        material,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"],
      );
      return { id: (await sha256Hex(`key id\u0000${secret}`)).slice(0, 8), key: aes };
    })();
    derived.set(secret, key);
  }
  return key;
}

/** The current key; a fixed one in development and tests; a 503 anywhere else without the secret. */
function currentSecret(env: KeyEnv): string {
  if (env.DATA_ENCRYPTION_KEY) return env.DATA_ENCRYPTION_KEY;
  if (isLocalEnvironment(env)) return LOCAL_KEY;
  log.error("DATA_ENCRYPTION_KEY is not set; outside calendars and Calendly are off");
  throw new ApiError(503, "encryption_unavailable", "Calendar connections are not available right now.");
}

export const isSealed = (value: string) => value.startsWith(PREFIX);

/** Encrypts `plaintext` for the row named by `context` (e.g. `external_calendars.url:<id>`). */
export async function seal(env: KeyEnv, plaintext: string, context: string): Promise<string> {
  const { id, key } = await derive(currentSecret(env));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: utf8.encode(context) }, key, utf8.encode(plaintext));
  return `${PREFIX}${id}:${base64url(iv)}:${base64url(new Uint8Array(ct))}`;
}

/**
 * Decrypts a stored value for the row named by `context`. A plain (pre-encryption) value is returned as it is.
 * Throws when the value was tampered with, moved from another row, or sealed under a key we no longer hold.
 */
export async function unseal(env: KeyEnv, stored: string, context: string): Promise<string> {
  if (!isSealed(stored)) return stored;
  const [id, iv, ct] = stored.slice(PREFIX.length).split(":");
  if (!id || !iv || !ct) throw new Error("Malformed sealed value");
  const secrets = [currentSecret(env), env.DATA_ENCRYPTION_KEY_PREVIOUS].filter((s): s is string => !!s);
  for (const secret of secrets) {
    const k = await derive(secret);
    if (k.id !== id) continue;
    const pt = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64url(iv), additionalData: utf8.encode(context) }, k.key, fromBase64url(ct));
    return new TextDecoder().decode(pt);
  }
  throw new Error(`No key ${id} to open a sealed value`);
}

/** Whether a stored value should be sealed again: plain, or sealed under a key other than the current one. */
export async function needsSealing(env: KeyEnv, stored: string): Promise<boolean> {
  if (!isSealed(stored)) return true;
  return !stored.startsWith(`${PREFIX}${(await derive(currentSecret(env))).id}:`);
}
