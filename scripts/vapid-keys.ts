/**
 * Prints a new VAPID key pair (RFC 8292) for Web Push, in the form the Worker reads (platform/push/vapid.ts):
 * the public key as the uncompressed P-256 point, the private key as the scalar `d`, both base64url.
 *
 *   npx tsx scripts/vapid-keys.ts
 *   then: npx wrangler secret put VAPID_PUBLIC_KEY --env production (and VAPID_PRIVATE_KEY, VAPID_SUBJECT)
 *
 * Changing the pair makes every browser's subscription useless: people turn push on again on each device.
 */
import { generateKeyPairSync } from "node:crypto";

const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const pub = publicKey.export({ format: "jwk" });
const priv = privateKey.export({ format: "jwk" });
if (!pub.x || !pub.y || !priv.d) throw new Error("Node did not export the P-256 key as a JWK");
const point = Buffer.concat([Buffer.from([4]), Buffer.from(pub.x, "base64url"), Buffer.from(pub.y, "base64url")]);
console.log(`VAPID_PUBLIC_KEY=${point.toString("base64url")}`);
console.log(`VAPID_PRIVATE_KEY=${priv.d}`);
