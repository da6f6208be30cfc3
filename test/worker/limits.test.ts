import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Client, ORIGIN, approvedTutor, freshLimiterMinute, fundedStudent, signup, slotAhead, uniqueEmail } from "./helpers";

const fromIp = (ip: string) => ({ "CF-Connecting-IP": ip });
const randomIp = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}`;

describe("rate limits", () => {
  // Local limiters count in windows aligned to the wall clock: each test starts early in one, so its attempts are not
  // split across two (a clean CI run saw the 21st signup accepted when a minute rolled over among them).
  it("refuses the 21st signup from one address within a minute with 429 and Retry-After", async () => {
    await freshLimiterMinute();
    const ip = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await new Client().post("/api/auth/signup", { email: uniqueEmail("rl"), password: "long enough pw", name: "R", role: "student", timezone: "UTC" }, fromIp(ip));
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.json.error.code).toBe("rate_limited");
        expect(res.headers.get("Retry-After")).toBe("60");
      }
    }
    expect(statuses.slice(0, 20).every((s) => s === 201)).toBe(true);
    expect(statuses[20]).toBe(429);
    // Another address is unaffected.
    const other = await new Client().post("/api/auth/signup", { email: uniqueEmail("rl"), password: "long enough pw", name: "R", role: "student", timezone: "UTC" }, fromIp(randomIp()));
    expect(other.status).toBe(201);
  });

  it("refuses a burst of logins from one address", async () => {
    await freshLimiterMinute();
    const ip = randomIp();
    const results = [];
    for (let i = 0; i < 31; i++) results.push((await new Client().post("/api/auth/login", { email: "nobody@example.com", password: "x" }, fromIp(ip))).status);
    expect(results.at(-1)).toBe(429);
  });

  it("refuses a student's 31st booking attempt within a minute", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    await freshLimiterMinute();
    let last = 0;
    for (let i = 0; i < 31; i++) {
      last = (await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(48 * 60 + i * 30), durationMinutes: 30, subject: "mathematics" })).status;
    }
    expect(last).toBe(429);
  });
});

describe("body size limits", () => {
  it("answers an oversized JSON body with 413 payload_too_large", async () => {
    const res = await new Client().post("/api/auth/login", { email: "a@b.co", password: "x".repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe("payload_too_large");
  });

  it("lets webhooks carry larger payloads (still verified)", async () => {
    const res = await new Client().request("POST", "/api/webhooks/stripe", JSON.stringify({ pad: "x".repeat(200 * 1024) }), { "Stripe-Signature": "t=1,v1=00" });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("invalid_signature");
  });
});

describe("WebSocket limits", () => {
  async function socket() {
    const { client } = await signup("student");
    const res = await exports.default.fetch(new Request(`${ORIGIN}/api/live`, { headers: { Upgrade: "websocket", Cookie: client.cookie } }));
    const ws = res.webSocket!;
    ws.accept();
    const closed = new Promise<number>((r) => ws.addEventListener("close", (e) => r(e.code)));
    return { ws, closed };
  }

  it("closes a socket that sends an oversized message (1009)", async () => {
    const { ws, closed } = await socket();
    ws.send(JSON.stringify({ type: "ping", pad: "x".repeat(5000) }));
    expect(await closed).toBe(1009);
  });

  it("closes a socket that floods messages (1008)", async () => {
    const { ws, closed } = await socket();
    for (let i = 0; i < 40; i++) ws.send(JSON.stringify({ type: "ping" }));
    expect(await closed).toBe(1008);
  });
});

describe("limits on routes that cost money, outside calls or heavy reads", { timeout: 150_000 }, () => {
  /** Calls `send` until it answers 429 (at most `max` times); returns how many went through first. */
  async function allowedBefore429(send: () => Promise<{ status: number; headers: Headers }>, max: number) {
    await freshLimiterMinute();
    for (let i = 0; i < max; i++) {
      const res = await send();
      if (res.status === 429) {
        expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
        return i;
      }
    }
    return max;
  }

  it("limits data exports to 3 a minute per user", async () => {
    const { client } = await signup("student");
    expect(await allowedBefore429(() => client.get("/api/me/export"), 6)).toBe(3);
  });

  it("limits checkout and the billing portal to 10 a minute per user", async () => {
    const { client } = await signup("student");
    expect(await allowedBefore429(() => client.post("/api/billing/portal"), 14)).toBe(10);
    expect((await client.post("/api/billing/checkout", { packId: "pack-60" })).status).toBe(429);
  });

  it("limits feed rotations to 10 a minute per user", async () => {
    const { client } = await signup("student");
    expect(await allowedBefore429(() => client.post("/api/me/calendar-feed/rotate"), 14)).toBe(10);
  });

  it("limits each iCal feed to 30 fetches a minute, whoever asks", async () => {
    const { client } = await signup("student");
    const url = new URL((await client.get("/api/me/calendar-feed")).json.url as string);
    expect(await allowedBefore429(() => new Client().get(url.pathname), 40)).toBe(30);
  });

  it("limits password reset requests per address", async () => {
    const ip = randomIp();
    expect(await allowedBefore429(() => new Client().post("/api/auth/password-reset/request", { email: uniqueEmail() }, fromIp(ip)), 14)).toBe(10);
  });
});
