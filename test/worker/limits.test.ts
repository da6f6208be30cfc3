import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Client, ORIGIN, approvedTutor, fundedStudent, signup, slotAhead, uniqueEmail } from "./helpers";

const fromIp = (ip: string) => ({ "CF-Connecting-IP": ip });
const randomIp = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}`;

describe("rate limits", () => {
  it("refuses the 21st signup from one address within a minute with 429 and Retry-After", async () => {
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
    const ip = randomIp();
    const results = [];
    for (let i = 0; i < 31; i++) results.push((await new Client().post("/api/auth/login", { email: "nobody@example.com", password: "x" }, fromIp(ip))).status);
    expect(results.at(-1)).toBe(429);
  });

  it("refuses a student's 31st booking attempt within a minute", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
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
