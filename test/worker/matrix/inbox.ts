import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { type Row, all, signedIn } from "../surface";

const device = (p: string) => `${env.PUSH_SERVICE_URL}/push/matrix-${p}`;
const keys = { p256dh: `B${"A".repeat(86)}`, auth: "A".repeat(22) };

/** The caller's notifications, mail (development), notice switches and push devices. */
export const inboxRows: Record<string, Row> = {
  "GET /api/live": { who: signedIn("101"), socket: true, effect: ({ res }) => expect(res.socket!.first).toMatchObject({ type: "hello" }) },
  "GET /api/notifications": {
    who: signedIn(),
    effect: ({ res }) => expect(res.json).toMatchObject({ notifications: expect.any(Array), unread: expect.any(Number) }),
  },
  "POST /api/notifications/read": {
    who: signedIn(),
    request: () => ({ body: { all: true } }),
    effect: async ({ res, client }) => {
      expect(res.status).toBe(204);
      expect((await client.get("/api/notifications")).json.unread).toBe(0);
    },
  },
  // Local development's mailbox: open without signing in (a reset link is read before anyone can sign in).
  "GET /api/dev/mailbox": { who: all("ok"), effect: ({ res }) => expect(Array.isArray(res.json.emails)).toBe(true) },
  "GET /api/me/notification-settings": { who: signedIn(), effect: ({ res }) => expect(res.json.settings).toMatchObject({ push: expect.any(Object), email: expect.any(Object) }) },
  "PUT /api/me/notification-settings": {
    who: signedIn(),
    request: () => ({ body: { email: { offers: false } } }),
    effect: async ({ client }) => expect((await client.get("/api/me/notification-settings")).json.settings.email.offers).toBe(false),
  },
  "PUT /api/me/push-subscription": {
    who: signedIn(),
    request: (_, p) => ({ body: { endpoint: device(p), keys } }),
    effect: ({ p, res }) => expect(res.json.subscription.endpoint).toBe(device(p)),
  },
  "DELETE /api/me/push-subscription": {
    who: signedIn(),
    request: (_, p) => ({ body: { endpoint: device(p) } }),
    effect: async ({ p, res }) => {
      expect(res.status).toBe(204);
      const n = await env.DB.prepare("SELECT count(*) AS n FROM push_subscriptions WHERE endpoint = ?").bind(device(p)).first<number>("n");
      expect(n).toBe(0);
    },
  },
};
