import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PBKDF2_ITERATIONS, hashPassword, parsePasswordHash, verifyPassword } from "../../worker/lib/password";
import { Client, signup, uniqueEmail } from "./helpers";

const signupBody = (over: Record<string, unknown> = {}) => ({
  email: uniqueEmail(),
  password: "correct horse battery",
  name: "Ada Lovelace",
  role: "student",
  timezone: "Asia/Kathmandu",
  ...over,
});

describe("POST /api/auth/signup", () => {
  it("creates a student, sets an HttpOnly SameSite=Lax session cookie and returns the user", async () => {
    const client = new Client();
    const email = uniqueEmail("Mixed.Case");
    const res = await client.post("/api/auth/signup", signupBody({ email: email.toUpperCase() }));
    expect(res.status).toBe(201);
    expect(res.json.user).toMatchObject({ email: email.toLowerCase(), name: "Ada Lovelace", role: "student", timezone: "Asia/Kathmandu" });
    expect(res.json.user).not.toHaveProperty("passwordHash");
    const cookie = res.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^tutorly_session=[\w-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // http://localhost is local dev
    const me = await client.get("/api/me");
    expect(me.status).toBe(200);
    expect(me.json.user).toEqual(res.json.user);
  });

  it("marks the cookie Secure outside local development", async () => {
    const client = new Client("https://tutorly.example");
    const res = await client.post("/api/auth/signup", signupBody());
    expect(res.status).toBe(201);
    expect(res.headers.get("Set-Cookie")).toMatch(/Secure/);
  });

  it("answers 409 email_taken for an email already registered, whatever its case", async () => {
    const body = signupBody();
    expect((await new Client().post("/api/auth/signup", body)).status).toBe(201);
    const again = await new Client().post("/api/auth/signup", { ...body, email: body.email.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("email_taken");
  });

  it("lets exactly one of several concurrent signups with the same email win", async () => {
    const body = signupBody();
    const results = await Promise.all(Array.from({ length: 6 }, () => new Client().post("/api/auth/signup", body)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
  });

  it.each([
    ["a bad email", { email: "not-an-email" }, "email"],
    ["a short password", { password: "short" }, "password"],
    ["an empty name", { name: "   " }, "name"],
    ["the admin role", { role: "admin" }, "role"],
    ["an unknown time zone", { timezone: "Mars/Olympus_Mons" }, "timezone"],
    ["a UTC offset instead of a zone", { timezone: "+05:45" }, "timezone"],
  ])("refuses %s with 400 invalid_request naming the field", async (_, over, field) => {
    const res = await new Client().post("/api/auth/signup", signupBody(over));
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("invalid_request");
    expect(res.json.error.issues.map((i: { path: string }) => i.path)).toContain(field);
  });

  it("creates a tutor with an unapproved profile", async () => {
    const { user } = await signup("tutor");
    const row = await env.DB.prepare("SELECT approved_at FROM tutor_profiles WHERE user_id = ?").bind(user.id).first();
    expect(row).toEqual({ approved_at: null });
  });
});

describe("passwords", () => {
  it("are hashed with PBKDF2-SHA256 at no more than 100,000 iterations (the Workers production cap)", async () => {
    const { user } = await signup("student");
    const row = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?").bind(user.id).first<{ password_hash: string }>();
    expect(row!.password_hash).toMatch(/^\$pbkdf2-sha256\$v=1\$i=\d+\$/);
    expect(parsePasswordHash(row!.password_hash)!.iterations).toBeLessThanOrEqual(100_000);
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
    expect(row!.password_hash).not.toContain("correct horse");
  });

  it("use a fresh salt per hash and verify only the right password", async () => {
    const [a, b] = [await hashPassword("same password"), await hashPassword("same password")];
    expect(a).not.toBe(b);
    expect(await verifyPassword("same password", a)).toBe(true);
    expect(await verifyPassword("same passwore", a)).toBe(false);
    expect(await verifyPassword("same password", "plain")).toBe(false);
  });
});

describe("POST /api/auth/login", () => {
  it("signs in with the right password and sets a new session", async () => {
    const body = signupBody();
    await new Client().post("/api/auth/signup", body);
    const client = new Client();
    const res = await client.post("/api/auth/login", { email: body.email, password: body.password });
    expect(res.status).toBe(200);
    expect(res.json.user.email).toBe(body.email);
    expect((await client.get("/api/me")).status).toBe(200);
  });

  it("answers 401 invalid_credentials for a wrong password or an unknown email, alike", async () => {
    const body = signupBody();
    await new Client().post("/api/auth/signup", body);
    const wrong = await new Client().post("/api/auth/login", { email: body.email, password: "wrong password" });
    const unknown = await new Client().post("/api/auth/login", { email: uniqueEmail(), password: "whatever123" });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.json.error.code).toBe("invalid_credentials");
    expect(unknown.json.error).toMatchObject({ code: "invalid_credentials", message: wrong.json.error.message });
  });

  it("throttles with 429 too_many_attempts after 10 failures for one email, even for the right password", async () => {
    const body = signupBody();
    await new Client().post("/api/auth/signup", body);
    for (let i = 0; i < 10; i++) {
      expect((await new Client().post("/api/auth/login", { email: body.email, password: `nope-${i}-xx` })).status).toBe(401);
    }
    const throttled = await new Client().post("/api/auth/login", { email: body.email, password: body.password });
    expect(throttled.status).toBe(429);
    expect(throttled.json.error.code).toBe("too_many_attempts");
    expect(Number(throttled.headers.get("Retry-After"))).toBeGreaterThan(0);
    // Another account is not affected.
    const other = signupBody();
    await new Client().post("/api/auth/signup", other);
    expect((await new Client().post("/api/auth/login", { email: other.email, password: other.password })).status).toBe(200);
  });

  it("forgets failures older than 15 minutes", async () => {
    const body = signupBody();
    await new Client().post("/api/auth/signup", body);
    const old = new Date(Date.now() - 16 * 60_000).toISOString();
    const insert = env.DB.prepare("INSERT INTO login_failures (email, at) VALUES (?, ?)");
    await env.DB.batch(Array.from({ length: 10 }, () => insert.bind(body.email, old)));
    expect((await new Client().post("/api/auth/login", { email: body.email, password: body.password })).status).toBe(200);
  });
});

describe("sessions", () => {
  it("store only a hash of the token", async () => {
    const { client, user } = await signup("student");
    const token = client.cookie.split("=")[1]!;
    const rows = await env.DB.prepare("SELECT token_hash FROM auth_sessions WHERE user_id = ?").bind(user.id).all<{ token_hash: string }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]!.token_hash).not.toContain(token);
    expect(rows.results[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("are revoked by logout: the old cookie no longer works", async () => {
    const { client } = await signup("student");
    const stolen = client.cookie;
    expect((await client.post("/api/auth/logout")).status).toBe(204);
    expect(client.cookie).toBe("");
    const replay = new Client();
    replay.cookie = stolen;
    const me = await replay.get("/api/me");
    expect(me.status).toBe(401);
    expect(me.json.error.code).toBe("unauthenticated");
  });

  it("slide: a session used after a day gets its 30-day expiry renewed", async () => {
    const { client, user } = await signup("student");
    const soon = new Date(Date.now() + 20 * 86_400_000).toISOString();
    await env.DB.prepare("UPDATE auth_sessions SET expires_at = ? WHERE user_id = ?").bind(soon, user.id).run();
    const res = await client.get("/api/me");
    expect(res.status).toBe(200);
    expect(res.headers.get("Set-Cookie")).toMatch(/tutorly_session=/);
    const row = await env.DB.prepare("SELECT expires_at FROM auth_sessions WHERE user_id = ?").bind(user.id).first<{ expires_at: string }>();
    expect(new Date(row!.expires_at).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
  });

  it("expire: an expired session is refused", async () => {
    const { client, user } = await signup("student");
    await env.DB.prepare("UPDATE auth_sessions SET expires_at = ? WHERE user_id = ?").bind(new Date(Date.now() - 1000).toISOString(), user.id).run();
    expect((await client.get("/api/me")).status).toBe(401);
  });

  it("answer GET /api/me with 401 for a garbage cookie", async () => {
    const client = new Client();
    client.cookie = "tutorly_session=garbage";
    expect((await client.get("/api/me")).status).toBe(401);
  });
});

describe("origin check", () => {
  it("refuses a state-changing request from another site with 403 forbidden_origin", async () => {
    const res = await new Client().post("/api/auth/signup", signupBody(), { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("forbidden_origin");
  });

  it("refuses a cross-site request without Origin but marked cross-site by the browser", async () => {
    const res = await new Client().post("/api/auth/login", { email: "a@b.co", password: "x" }, { Origin: null, "Sec-Fetch-Site": "cross-site" });
    expect(res.status).toBe(403);
  });

  it("accepts the app's own origin", async () => {
    const res = await new Client().post("/api/auth/signup", signupBody(), { Origin: "http://localhost" });
    expect(res.status).toBe(201);
  });

  it("refuses logout from another site, keeping the session alive", async () => {
    const { client } = await signup("student");
    expect((await client.post("/api/auth/logout", {}, { Origin: "https://evil.example" })).status).toBe(403);
    expect((await client.get("/api/me")).status).toBe(200);
  });
});

describe("time zones", () => {
  it.each([
    ["Asia/Katmandu", "Asia/Kathmandu"],
    ["Asia/Calcutta", "Asia/Kolkata"],
    ["Europe/Kiev", "Europe/Kyiv"],
    ["America/Sao_Paulo", "America/Sao_Paulo"],
  ])("stores the browser's %s as the IANA name %s", async (given, stored) => {
    const res = await new Client().post("/api/auth/signup", signupBody({ timezone: given }));
    expect(res.status).toBe(201);
    expect(res.json.user.timezone).toBe(stored);
  });
});
