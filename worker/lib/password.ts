import { base64url, fromBase64url, randomBytes, timingSafeEqual } from "./crypto";

/**
 * Workers in production reject PBKDF2 above 100,000 iterations (local workerd does not), so this is the
 * ceiling, not a choice to raise. The stored format is versioned so the scheme can change later:
 * `$pbkdf2-sha256$v=1$i=<iterations>$<salt b64url>$<hash b64url>`.
 */
export const PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as BufferSource, iterations },
    key,
    HASH_BITS,
  );
  return new Uint8Array(bits);
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, PBKDF2_ITERATIONS);
  return `$pbkdf2-sha256$v=1$i=${PBKDF2_ITERATIONS}$${base64url(salt)}$${base64url(hash)}`;
}

export function parsePasswordHash(stored: string): { iterations: number; salt: Uint8Array; hash: Uint8Array } | null {
  const m = /^\$pbkdf2-sha256\$v=1\$i=(\d+)\$([\w-]+)\$([\w-]+)$/.exec(stored);
  if (!m) return null;
  return { iterations: Number(m[1]), salt: fromBase64url(m[2]!), hash: fromBase64url(m[3]!) };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (!parsed || parsed.iterations > PBKDF2_ITERATIONS) return false;
  const candidate = await derive(password, parsed.salt, parsed.iterations);
  return timingSafeEqual(candidate, parsed.hash);
}

/** A well-formed hash of a random password: verifying against it costs the same as a real check. */
export const DUMMY_HASH = `$pbkdf2-sha256$v=1$i=${PBKDF2_ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA$${"A".repeat(43)}`;
