import { fromBase64Url, toBase64Url } from "./base64url";

/** The application server's identity towards push services (RFC 8292). */
export type VapidKeys = {
  /** Uncompressed P-256 point, base64url: what the browser's `applicationServerKey` is. */
  publicKey: string;
  /** The private scalar `d`, base64url. */
  privateKey: string;
  /** Who push services can contact about this sender: a `mailto:` or `https:` URL. */
  subject: string;
};

/**
 * A fixed key pair for local development and tests only (never accepted elsewhere), so `npm run dev` works
 * without setup. Deployed environments set VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT.
 */
const LOCAL_KEYS: VapidKeys = {
  publicKey: "BIbMb07PesNGenQefYBja13cgqXwqkpp-YqvyughB9ZBASkHP6mNmdb8BtsMlgI405809l-7WR4vGIEuv2CATVc",
  privateKey: "p5jKCT2WPjl_1lMEZZ0WNA0rSs0J-LIVtkCPVoBMcRY",
  subject: "mailto:push@tutorly.dev",
};

/** The settings `vapidKeys` reads (a part of `Env`, spelled out so Node scripts and tests can use this module). */
type VapidSettings = { ENVIRONMENT?: string; VAPID_PUBLIC_KEY?: string; VAPID_PRIVATE_KEY?: string; VAPID_SUBJECT?: string };

/** The configured keys, the local ones in development and tests, or null (push is then off). */
export function vapidKeys(env: VapidSettings): VapidKeys | null {
  if (env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY) {
    return { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY, subject: env.VAPID_SUBJECT ?? "mailto:push@tutorly.dev" };
  }
  return env.ENVIRONMENT === "development" || env.ENVIRONMENT === "test" ? LOCAL_KEYS : null;
}

/** How long a VAPID token is valid; RFC 8292 §2 allows at most 24 hours. */
const TOKEN_TTL_S = 12 * 3600;

/**
 * The `Authorization: vapid t=…, k=…` header for a push to `endpoint` (RFC 8292 §3): an ES256 JWT whose
 * audience is the push service's origin. `now` is epoch milliseconds.
 */
export async function vapidAuthorization(keys: VapidKeys, endpoint: string, now: number): Promise<string> {
  const point = fromBase64Url(keys.publicKey);
  if (point.length !== 65 || point[0] !== 4) throw new Error("VAPID_PUBLIC_KEY is not an uncompressed P-256 point");
  const key = await crypto.subtle.importKey(
    "jwk",
    { kty: "EC", crv: "P-256", x: toBase64Url(point.slice(1, 33)), y: toBase64Url(point.slice(33, 65)), d: keys.privateKey },
    { name: "ECDSA", namedCurve: "P-256" },
    false,
    ["sign"],
  );
  const encode = (o: object) => toBase64Url(new TextEncoder().encode(JSON.stringify(o)));
  const unsigned = `${encode({ typ: "JWT", alg: "ES256" })}.${encode({ aud: new URL(endpoint).origin, exp: Math.floor(now / 1000) + TOKEN_TTL_S, sub: keys.subject })}`;
  // Web Crypto's ECDSA signature is r‖s, exactly JWS's ES256 form.
  const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, new TextEncoder().encode(unsigned));
  return `vapid t=${unsigned}.${toBase64Url(signature)}, k=${keys.publicKey}`;
}
