/**
 * A local Web Push service for tests, in Node: it hands out subscriptions the way a browser's push service does
 * (a P-256 key pair and a 16-byte auth secret per subscription, an endpoint URL), and for every push it
 * receives it checks the VAPID token (RFC 8292: ES256 over the sender's key, audience = this origin, not
 * expired) and decrypts the body (RFC 8291 / RFC 8188 aes128gcm) with node:crypto's ECDH, HKDF and AES-GCM —
 * independently of the code under test. Control routes under `/__` let tests read what arrived and make an
 * endpoint answer 410 Gone or 404, as push services do for expired subscriptions.
 */
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, randomUUID, verify } from "node:crypto";
import { createServer } from "node:http";

export type ReceivedPush = {
  subscription: string;
  /** The decrypted body, parsed as JSON when it is JSON. */
  payload: unknown;
  headers: { ttl: string | null; urgency: string | null; topic: string | null; contentEncoding: string | null };
  vapid: { aud: string; sub: string; exp: number; publicKey: string };
};
type Subscription = { id: string; ecdh: ReturnType<typeof createECDH>; auth: Buffer; answer: number };

const b64url = (b: Buffer) => b.toString("base64url");

/** RFC 8291 §3.4 and RFC 8188 §2: the plaintext of one aes128gcm body for this subscription. */
export function decryptAes128gcm(body: Buffer, ua: { ecdh: ReturnType<typeof createECDH>; auth: Buffer }): Buffer {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20]!;
  const senderPublic = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  if (idLength !== 65) throw new Error(`keyid is ${idLength} bytes, expected the sender's 65-byte public key`);
  if (record.length > recordSize) throw new Error("more than one record");
  const ecdhSecret = ua.ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), ua.ecdh.getPublicKey(), senderPublic]);
  const ikm = Buffer.from(hkdfSync("sha256", ecdhSecret, ua.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with 0x02 followed by zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error("missing the last-record delimiter");
  return padded.subarray(0, end);
}

/** RFC 8292 §3: `vapid t=<JWT>, k=<key>`, the JWT signed with ES256 by that key. */
export function verifyVapid(header: string | undefined, origin: string, nowSeconds = Date.now() / 1000): ReceivedPush["vapid"] {
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header ?? "");
  if (!m) throw new Error(`not a vapid Authorization header: ${header}`);
  const [, jwt, k] = m as unknown as [string, string, string];
  const [head, claims, signature] = jwt.split(".") as [string, string, string];
  const point = Buffer.from(k, "base64url");
  const key = createPublicKey({ key: { kty: "EC", crv: "P-256", x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33, 65)) }, format: "jwk" });
  const ok = verify("sha256", Buffer.from(`${head}.${claims}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url"));
  if (!ok) throw new Error("VAPID signature does not verify");
  const header_ = JSON.parse(Buffer.from(head, "base64url").toString());
  if (header_.alg !== "ES256") throw new Error(`alg ${header_.alg}`);
  const c = JSON.parse(Buffer.from(claims, "base64url").toString()) as { aud: string; sub: string; exp: number };
  if (c.aud !== origin) throw new Error(`aud ${c.aud} is not ${origin}`);
  if (!(c.exp > nowSeconds && c.exp <= nowSeconds + 24 * 3600)) throw new Error(`exp ${c.exp} is not within 24 hours`);
  if (!/^(mailto:|https:)/.test(c.sub)) throw new Error(`sub ${c.sub}`);
  return { aud: c.aud, sub: c.sub, exp: c.exp, publicKey: k };
}

export function startPushService(): Promise<{ url: string; close(): Promise<void> }> {
  const subs = new Map<string, Subscription>();
  const received: ReceivedPush[] = [];
  const refused: { subscription: string; error: string }[] = [];
  let origin = "";

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (d: Buffer) => chunks.push(d));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const path = new URL(req.url ?? "/", origin).pathname;
      const send = (status: number, json?: unknown) => {
        res.writeHead(status, json === undefined ? {} : { "Content-Type": "application/json" });
        res.end(json === undefined ? undefined : JSON.stringify(json));
      };
      let m: RegExpExecArray | null;
      if (req.method === "POST" && path === "/__subscribe") {
        const ecdh = createECDH("prime256v1");
        ecdh.generateKeys();
        const sub: Subscription = { id: randomUUID(), ecdh, auth: randomBytes(16), answer: 201 };
        subs.set(sub.id, sub);
        return send(200, { id: sub.id, endpoint: `${origin}/push/${sub.id}`, keys: { p256dh: b64url(ecdh.getPublicKey()), auth: b64url(sub.auth) } });
      }
      if (req.method === "GET" && path === "/__received") return send(200, { received, refused });
      if (req.method === "POST" && (m = /^\/__answer\/([\w-]+)\/(\d{3})$/.exec(path))) {
        const sub = subs.get(m[1]!);
        if (!sub) return send(404, {});
        sub.answer = Number(m[2]);
        return send(200, {});
      }
      if (req.method === "POST" && (m = /^\/push\/([\w-]+)$/.exec(path))) {
        const sub = subs.get(m[1]!);
        if (!sub) return send(404);
        if (sub.answer !== 201) return send(sub.answer);
        try {
          if (req.headers["content-encoding"] !== "aes128gcm") throw new Error(`Content-Encoding ${req.headers["content-encoding"]}`);
          if (!req.headers.ttl) throw new Error("TTL header missing");
          const vapid = verifyVapid(req.headers.authorization, origin);
          const plain = decryptAes128gcm(body, sub).toString("utf8");
          let payload: unknown = plain;
          try {
            payload = JSON.parse(plain);
          } catch {
            /* kept as text */
          }
          const h = (name: string) => (req.headers[name] as string | undefined) ?? null;
          received.push({ subscription: sub.id, payload, vapid, headers: { ttl: h("ttl"), urgency: h("urgency"), topic: h("topic"), contentEncoding: h("content-encoding") } });
          return send(201);
        } catch (e) {
          refused.push({ subscription: sub.id, error: String(e) });
          return send(400, { error: String(e) });
        }
      }
      return send(404, {});
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      origin = `http://127.0.0.1:${port}`;
      resolve({ url: origin, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
