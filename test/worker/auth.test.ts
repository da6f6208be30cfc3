import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { PBKDF2_ITERATIONS, hashPassword, parsePasswordHash, verifyPassword } from "../../worker/lib/password";
import { sha256Hex } from "../../worker/lib/crypto";
import { UNCONFIRMED_PER_ADDRESS } from "../../worker/features/auth/repo";
import { TOKEN_TTL_MS } from "../../worker/features/auth/tokens";
import { Client, fund, runCron, signup, testAddress, uniqueEmail, verifyEmail } from "./helpers";

const signupBody = (over: Record<string, unknown> = {}) => ({
  email: uniqueEmail(),
  password: "correct horse battery",
  name: "Ada Lovelace",
  role: "student",
  timezone: "Asia/Kathmandu",
  ...over,
});

const mailsTo = (email: string) =>
  env.DB.prepare("SELECT subject, text, to_name FROM email_outbox WHERE to_email = ? ORDER BY created_at, rowid").bind(email).all<{ subject: string; text: string; to_name: string | null }>().then((r) => r.results);

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

  it("gives the same answer for an address that already has an account, and tells only that address", async () => {
    const body = signupBody();
    const first = await new Client().post("/api/auth/signup", body);
    expect(first.status).toBe(201);
    const again = await new Client().post("/api/auth/signup", { ...body, email: body.email.toUpperCase(), name: "Someone Else" });
    // The same status, shape and cookies as a fresh signup: nothing says the address was known.
    expect(again.status).toBe(201);
    expect(Object.keys(again.json.user).sort()).toEqual(Object.keys(first.json.user).sort());
    expect(again.json.user).toMatchObject({ email: body.email.toLowerCase(), emailVerified: false });
    expect(again.headers.getSetCookie().map((c) => c.split("=")[0])).toEqual(first.headers.getSetCookie().map((c) => c.split("=")[0]));
    const mails = await env.DB.prepare("SELECT subject, text FROM email_outbox WHERE to_email = ? ORDER BY created_at").bind(body.email.toLowerCase()).all<{ subject: string; text: string }>();
    expect(mails.results.map((m) => m.subject)).toEqual(["Confirm your email address", "Confirm your email address"]);
  });

  it("mails 'you already have an account' (and no link) when the address belongs to a confirmed account", async () => {
    const { user } = await signup("student");
    const again = await new Client().post("/api/auth/signup", signupBody({ email: user.email }));
    expect(again.status).toBe(201);
    const last = await env.DB.prepare("SELECT subject, text FROM email_outbox WHERE to_email = ? ORDER BY created_at DESC, rowid DESC LIMIT 1").bind(user.email).first<{ subject: string; text: string }>();
    expect(last!.subject).toBe("You already have a Tutorly account");
    expect(last!.text).not.toMatch(/verify-email\?token=/);
    // The newcomer's account can never claim the address: the owner still signs in as before.
    expect((await new Client().post("/api/auth/login", { email: user.email, password: "correct horse battery" })).json.user.id).toBe(user.id);
  });

  it("mails one address at most 3 confirmation links an hour however many clients sign up with it, each still answered 201", async () => {
    const body = signupBody();
    const results = await Promise.all(Array.from({ length: 8 }, () => new Client(undefined, undefined, testAddress()).post("/api/auth/signup", body)));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 201));
    expect(await mailsTo(body.email)).toHaveLength(3);
  });

  it("mails a confirmed owner at most 3 'you already have an account' notes an hour however many signups name the address", async () => {
    const { user } = await signup("student");
    const results = await Promise.all(Array.from({ length: 8 }, () => new Client(undefined, undefined, testAddress()).post("/api/auth/signup", signupBody({ email: user.email }))));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 201));
    const notes = (await mailsTo(user.email)).filter((m) => m.subject === "You already have a Tutorly account");
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.length).toBeLessThanOrEqual(3);
  });

  it("greets an address nobody has confirmed neutrally, never by the name the signup typed", async () => {
    const body = signupBody({ name: "https://evil.example/pay Support" });
    expect((await new Client().post("/api/auth/signup", body)).status).toBe(201);
    const [mail] = await mailsTo(body.email);
    expect(mail!.subject).toBe("Confirm your email address");
    expect(mail!.to_name).toBeNull();
    expect(mail!.text.split("\n")[0]).toBe("Hello,");
    expect(mail!.text).not.toContain("evil.example");
  });

  it("answers concurrent signups with one address alike (201 each), and the address stays unclaimed until a link is opened", async () => {
    const body = signupBody();
    const results = await Promise.all(Array.from({ length: 6 }, () => new Client().post("/api/auth/signup", body)));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const verified = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ? AND email_verified_at IS NOT NULL").bind(body.email).first<{ n: number }>();
    expect(verified!.n).toBe(0);
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

  it("takes an address pasted with spaces around it, or in capitals, as the address", async () => {
    const body = signupBody();
    const signedUp = await new Client().post("/api/auth/signup", { ...body, email: ` ${body.email.toUpperCase()}\t` });
    expect(signedUp.status).toBe(201);
    expect(signedUp.json.user.email).toBe(body.email);
    const res = await new Client().post("/api/auth/login", { email: `${body.email} `, password: body.password });
    expect(res.status).toBe(200);
  });

  it("three of them lock me out of my own account", async () => {
    const email = uniqueEmail("maya");
    expect((await new Client().post("/api/auth/signup", { email, password: "my own long password", name: "Maya", role: "student", timezone: "UTC" })).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await new Client().post("/api/auth/signup", { email, password: `stranger password ${i}`, name: "X", role: "tutor", timezone: "UTC" })).status).toBe(201);
    expect((await new Client().post("/api/auth/login", { email, password: "my own long password" })).status).toBe(200);
  });

  it("signs each unconfirmed account on an address in with its own password, however many strangers try to sign up after it", async () => {
    const email = uniqueEmail("maya");
    const mine = await new Client().post("/api/auth/signup", { email, password: "my own long password", name: "Maya", role: "student", timezone: "UTC" });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await new Client().post("/api/auth/signup", { email, password: `stranger password ${i}`, name: "X", role: "tutor", timezone: "UTC" })).status);
    expect(statuses).toEqual([...Array(UNCONFIRMED_PER_ADDRESS - 1).fill(201), 429, 429, 429]);
    const me = await new Client().post("/api/auth/login", { email, password: "my own long password" });
    expect(me.status).toBe(200);
    expect(me.json.user.id).toBe(mine.json.user.id);
  });
});

describe("unconfirmed accounts on one address", () => {
  const stranger = (email: string, i: number) => new Client().post("/api/auth/signup", { email, password: `stranger pw ${i}`, name: "Maya Owner", role: "student", timezone: "UTC" });
  const unconfirmedOn = (email: string) =>
    env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ? AND email_verified_at IS NULL AND status != 'deleted'").bind(email).first<{ n: number }>().then((r) => r!.n);
  const resetTokensOf = (userId: string) =>
    env.DB.prepare("SELECT count(*) AS n FROM account_tokens WHERE user_id = ? AND purpose = 'password_reset'").bind(userId).first<{ n: number }>().then((r) => r!.n);

  it("the inbox owner who signed up after strangers on the address can still sign in, and gets a reset link for their account", async () => {
    const email = uniqueEmail("victim");
    for (let i = 0; i < UNCONFIRMED_PER_ADDRESS - 1; i++) expect((await stranger(email, i)).status).toBe(201);
    const me = new Client();
    const mine = await me.post("/api/auth/signup", { email, password: "my own long password", name: "Maya Owner", role: "student", timezone: "UTC" });
    expect(mine.status).toBe(201);
    // The address is full: the next stranger is refused, and cannot push the owner's account out.
    const refused = await stranger(email, 99);
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe("address_busy");
    expect(refused.headers.getSetCookie().filter((c) => c.startsWith("tutorly_session="))).toEqual([]);
    expect(await unconfirmedOn(email)).toBe(UNCONFIRMED_PER_ADDRESS);
    expect((await me.post("/api/auth/logout")).status).toBe(204);
    const login = await new Client().post("/api/auth/login", { email, password: "my own long password" });
    expect(login.status).toBe(200);
    expect(login.json.user.id).toBe(mine.json.user.id);
    expect((await new Client().post("/api/auth/password-reset/request", { email })).status).toBe(202);
    await vi.waitFor(async () => expect(await resetTokensOf(mine.json.user.id)).toBe(1), { timeout: 10_000 });
  });

  it("admits exactly as many concurrent signups as the address has room for", async () => {
    const email = uniqueEmail("rush");
    for (let i = 0; i < UNCONFIRMED_PER_ADDRESS - 2; i++) expect((await stranger(email, i)).status).toBe(201);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => new Client(undefined, undefined, testAddress()).post("/api/auth/signup", { email, password: `rushing pw ${i}`, name: "R", role: i % 2 ? "tutor" : "student", timezone: "UTC" })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(2);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
    expect(await unconfirmedOn(email)).toBe(UNCONFIRMED_PER_ADDRESS);
    // Each refused signup left nothing behind: no account, no role row.
    const orphans = await env.DB.prepare("SELECT (SELECT count(*) FROM students s WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id)) + (SELECT count(*) FROM tutor_profiles t WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = t.user_id)) AS n").first<{ n: number }>();
    expect(orphans!.n).toBe(0);
    // Every admitted account is one a sign-in checks.
    for (const [i, r] of results.entries()) if (r.status === 201) expect((await new Client().post("/api/auth/login", { email, password: `rushing pw ${i}` })).json.user.id).toBe(r.json.user.id);
  });

  it("refuses a full address alike whether or not an account owns it", async () => {
    const { user } = await signup("student");
    const unowned = uniqueEmail("unowned");
    for (let i = 0; i < UNCONFIRMED_PER_ADDRESS; i++) {
      expect((await stranger(user.email, i)).status).toBe(201);
      expect((await stranger(unowned, i)).status).toBe(201);
    }
    const [owned, free] = [await stranger(user.email, 99), await stranger(unowned, 99)];
    expect([owned.status, free.status]).toEqual([429, 429]);
    expect(owned.json.error.code).toBe("address_busy");
    expect(owned.json.error.message).toBe(free.json.error.message);
    // The owner still signs in: their confirmed account is no unconfirmed one, and goes before them.
    expect((await new Client().post("/api/auth/login", { email: user.email, password: "correct horse battery" })).json.user.id).toBe(user.id);
  });
});

describe("unconfirmed accounts nobody came back for", () => {
  const HOUR = 60 * 60_000;
  /** Past the life of a confirmation link, and an hour more. */
  const LINK_LIFE_PASSED = TOKEN_TTL_MS.verify_email + HOUR;
  const ids = (userIds: string[]) => JSON.stringify(userIds);
  /**
   * Moves `ms` into the past what the accounts left and what their address was sent: their signups, links and
   * sessions, and the emails counted against the address, as if that long had gone by since.
   */
  async function timePasses(email: string, userIds: string[], ms: number) {
    const shifted = (...columns: string[]) => columns.map((c) => `${c} = strftime('%Y-%m-%dT%H:%M:%fZ', ${c}, ?2)`).join(", ");
    const by = `-${ms / 1000} seconds`;
    await env.DB.batch([
      env.DB.prepare(`UPDATE users SET ${shifted("created_at")} WHERE id IN (SELECT value FROM json_each(?1))`).bind(ids(userIds), by),
      env.DB.prepare(`UPDATE account_tokens SET ${shifted("created_at", "expires_at", "used_at")} WHERE user_id IN (SELECT value FROM json_each(?1))`).bind(ids(userIds), by),
      env.DB.prepare(`UPDATE auth_sessions SET ${shifted("created_at", "last_seen_at", "expires_at", "absolute_expires_at")} WHERE user_id IN (SELECT value FROM json_each(?1))`).bind(ids(userIds), by),
      env.DB.prepare("UPDATE address_mails SET at = at - ?2 WHERE address_hash = ?1").bind(await sha256Hex(email), ms),
    ]);
  }
  const left = (table: string, column: string, userIds: string[]) =>
    env.DB.prepare(`SELECT count(*) AS n FROM "${table}" WHERE "${column}" IN (SELECT value FROM json_each(?1))`).bind(ids(userIds)).first<number>("n");
  const stranger = (email: string, i: number) => new Client().post("/api/auth/signup", { email, password: `stranger pw ${i}`, name: "Maya Owner", role: i % 2 ? "tutor" : "student", timezone: "UTC" });

  it("lets the inbox's owner sign up once the links of the strangers' accounts on it have expired, then confirm and sign in", async () => {
    const email = uniqueEmail("flooded");
    const strangers: string[] = [];
    for (let i = 0; i < UNCONFIRMED_PER_ADDRESS; i++) {
      const res = await stranger(email, i);
      expect(res.status).toBe(201);
      strangers.push(res.json.user.id);
    }
    const owner = { email, password: "my own long password", name: "Maya Owner", role: "student", timezone: "UTC" };
    const early = await new Client().post("/api/auth/signup", owner);
    expect(early.status).toBe(429);
    expect(early.json.error.code).toBe("address_busy");

    // Two days later nobody opened the strangers' links: the owner signs up at once, without waiting for the night.
    await timePasses(email, strangers, LINK_LIFE_PASSED);
    const me = new Client();
    const mine = await me.post("/api/auth/signup", owner);
    expect(mine.status, mine.text).toBe(201);
    await verifyEmail(me, email);
    const login = await new Client().post("/api/auth/login", { email, password: owner.password });
    expect(login.status).toBe(200);
    expect(login.json.user).toMatchObject({ id: mine.json.user.id, emailVerified: true });
    // The strangers' accounts went, with their sessions and links.
    expect(await left("users", "id", strangers)).toBe(0);
    expect(await left("auth_sessions", "user_id", strangers)).toBe(0);
    expect(await left("account_tokens", "user_id", strangers)).toBe(0);
  });

  it("the daily job deletes an unconfirmed account whose link expired and that holds nothing, and keeps every other", async () => {
    const { user: confirmed } = await signup("student");
    const { user: emptyStudent } = await signup("student", { verified: false });
    const { user: emptyTutor } = await signup("tutor", { verified: false });
    const { user: relinked, client: relinkedClient } = await signup("student", { verified: false });
    const { user: funded } = await signup("student", { verified: false });
    const { user: teaching, client: teachingClient } = await signup("tutor", { verified: false });
    await fund(funded.id, 60);
    const profile = await teachingClient.put("/api/tutors/me/profile", { bio: "Algebra, patiently", subjects: ["mathematics"], hourlyRateCents: 4000, timezone: "UTC" });
    expect(profile.status, profile.text).toBe(200);
    const all = [confirmed, emptyStudent, emptyTutor, relinked, funded, teaching];
    for (const u of all) await timePasses(u.email, [u.id], LINK_LIFE_PASSED);
    // One of them asked for a new link just now: it works for two more days.
    expect((await relinkedClient.post("/api/auth/verify-email/resend")).status).toBe(202);

    await runCron("0 3 * * *");

    const kept = Object.fromEntries(await Promise.all(Object.entries({ confirmed, emptyStudent, emptyTutor, relinked, funded, teaching }).map(async ([k, u]) => [k, (await left("users", "id", [u.id])) === 1])));
    expect(kept).toEqual({ confirmed: true, emptyStudent: false, emptyTutor: false, relinked: true, funded: true, teaching: true });
    // What hung off the deleted accounts went with them.
    const gone = [emptyStudent.id, emptyTutor.id];
    for (const [table, column] of [["auth_sessions", "user_id"], ["account_tokens", "user_id"], ["students", "user_id"], ["tutor_profiles", "user_id"], ["email_outbox", "user_id"]] as const) {
      expect(await left(table, column, gone), table).toBe(0);
    }
  });
});

describe("sign-in throttling", () => {
  const fromIp = (ip: string) => ({ "CF-Connecting-IP": ip });
  let n = 0;
  const ip = () => `198.51.100.${(++n % 250) + 1}`;
  const attempts = (key: string) => env.DB.prepare("SELECT count(*) AS n FROM login_attempts WHERE key = ?").bind(key).first<{ n: number }>().then((r) => r!.n);
  /** 60 failures on the account from elsewhere in the last hour: past its limit of 50. */
  const flood = async (email: string) => {
    const insert = env.DB.prepare("INSERT INTO login_attempts (key, attempt_id, at) VALUES (?, 'x', ?)");
    await env.DB.batch(Array.from({ length: 60 }, () => insert.bind(`e:${email}`, Date.now())));
  };

  it("delays an address after 5 failures on one account, but the owner signs in from another address", async () => {
    const body = signupBody();
    await new Client().post("/api/auth/signup", body);
    const attacker = ip();
    const tries: number[] = [];
    for (let i = 0; i < 10; i++) tries.push((await new Client().post("/api/auth/login", { email: body.email, password: `nope-${i}-xx` }, fromIp(attacker))).status);
    expect(tries).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
    const held = await new Client().post("/api/auth/login", { email: body.email, password: body.password }, fromIp(attacker));
    expect(held.status).toBe(429);
    expect(held.json.error.code).toBe("too_many_attempts");
    expect(Number(held.headers.get("Retry-After"))).toBeGreaterThan(0);
    // Anyone can make an attacker wait; nobody can lock the owner out.
    expect((await new Client().post("/api/auth/login", { email: body.email, password: body.password }, fromIp(ip()))).status).toBe(200);
  });

  it("grows the delay with each failure past the free ones: 1 s, 2 s, 4 s …", async () => {
    const body = signupBody();
    await new Client().post("/api/auth/signup", body);
    const from = ip();
    const key = `ae:${from}|${body.email}`;
    const login = () => new Client().post("/api/auth/login", { email: body.email, password: "wrong password" }, fromIp(from));
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) expect((await login()).status).toBe(401);
    for (let i = 0; i < 4; i++) {
      const held = await login();
      expect(held.status).toBe(429);
      waits.push(Number(held.headers.get("Retry-After")));
      // As if the caller waited just long enough: every earlier attempt moves back in time; the next one is checked.
      await env.DB.prepare("UPDATE login_attempts SET at = at - 20000 WHERE key = ?").bind(key).run();
      expect((await login()).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8]);
  });

  it("counts parallel attempts exactly: of 30 at once, 5 are checked and 25 wait", async () => {
    const body = signupBody();
    await new Client().post("/api/auth/signup", body);
    const from = ip();
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => new Client().post("/api/auth/login", { email: body.email, password: `guess-${i}-xx` }, fromIp(from))));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    expect(await attempts(`ae:${from}|${body.email}`)).toBe(5);
  });

  it("delays one address trying many accounts", async () => {
    const from = ip();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await new Client().post("/api/auth/login", { email: uniqueEmail("spray"), password: "password1" }, fromIp(from))).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it("lets the owner's known device past failures spread over many addresses", async () => {
    const body = signupBody();
    await signup("student", body);
    const owner = new Client();
    expect((await owner.post("/api/auth/login", { email: body.email, password: body.password }, fromIp(ip()))).status).toBe(200);
    const insert = env.DB.prepare("INSERT INTO login_attempts (key, attempt_id, at) VALUES (?, 'x', ?)");
    await env.DB.batch(Array.from({ length: 60 }, () => insert.bind(`e:${body.email}`, Date.now())));
    // A new device waits (the account is under attack) …
    expect((await new Client().post("/api/auth/login", { email: body.email, password: body.password }, fromIp(ip()))).status).toBe(429);
    // … the owner's browser, which signed in before, does not.
    expect((await owner.post("/api/auth/login", { email: body.email, password: body.password }, fromIp(ip()))).status).toBe(200);
  });

  it("lets the owner's signed-in browser past the account's limit where their settings ask for the password again", async () => {
    const victim = await signup("student");
    const email = victim.user.email;
    const browser = new Client();
    const login = await browser.post("/api/auth/login", { email, password: "correct horse battery" });
    expect(login.status).toBe(200);
    // The mark is sent wherever the password is asked for: sign-in, and the account routes under /api/me.
    const path = /;\s*Path=([^;]*)/i.exec(login.headers.getSetCookie().find((c) => /^tutorly_device=[^;]/.test(c)) ?? "")?.[1];
    await flood(email);
    // The signup's own browser never proved the password (a signup gives no mark): it waits like anyone else.
    const unmarked = await victim.client.post("/api/me/email", { email: uniqueEmail("moved"), password: "correct horse battery" });
    const address = await browser.post("/api/me/email", { email: uniqueEmail("moved"), password: "correct horse battery" });
    const changed = await browser.post("/api/me/password", { current: "correct horse battery", password: "a brand new password" });
    expect({ path, unmarked: unmarked.status, address: address.status, changed: changed.status }).toEqual({ path: "/api", unmarked: 429, address: 202, changed: 200 });
  });

  it("a stranger who signs up a throwaway account with the victim's address gets no known-device mark that passes the account's limit", async () => {
    const victim = await signup("student");
    const email = victim.user.email;
    await flood(email);
    expect((await new Client().post("/api/auth/login", { email, password: "guess number one" })).status).toBe(429);
    const attacker = new Client();
    expect((await attacker.post("/api/auth/signup", { email, password: "attacker password", name: "X", role: "student", timezone: "UTC" })).status).toBe(201);
    // Signing in to the throwaway account (it matches the attacker's password) gives no mark for the address either.
    await attacker.post("/api/auth/login", { email, password: "attacker password" });
    const mark = attacker.jar.get("tutorly_device");
    const bot = new Client();
    if (mark) bot.cookie = `tutorly_device=${mark}`;
    expect((await bot.post("/api/auth/login", { email, password: "guess number two" })).status).toBe(429);
  });

  it("keeps the owner's own browser, signed in before an attack, past the account's limit; its mark is for that account only", async () => {
    const victim = await signup("student");
    const email = victim.user.email;
    const browser = new Client();
    expect((await browser.post("/api/auth/login", { email, password: "correct horse battery" })).status).toBe(200);
    expect((await new Client().post("/api/auth/signup", { email, password: "attacker password", name: "X", role: "student", timezone: "UTC" })).status).toBe(201);
    await flood(email);
    expect((await new Client().post("/api/auth/login", { email, password: "correct horse battery" })).status).toBe(429);
    expect((await browser.post("/api/auth/login", { email, password: "correct horse battery" })).status).toBe(200);
    // The same cookie copied to another account's sign-in counts for nothing there.
    const other = await signup("student");
    await flood(other.user.email);
    const copy = new Client();
    copy.cookie = `tutorly_device=${browser.jar.get("tutorly_device")}`;
    expect((await copy.post("/api/auth/login", { email: other.user.email, password: "correct horse battery" })).status).toBe(429);
  });

  it("a known-device mark stops counting once the password changes; the device that changed it keeps passing", async () => {
    const victim = await signup("student");
    const email = victim.user.email;
    const laptop = new Client();
    const phone = new Client();
    expect((await laptop.post("/api/auth/login", { email, password: "correct horse battery" })).status).toBe(200);
    expect((await phone.post("/api/auth/login", { email, password: "correct horse battery" })).status).toBe(200);
    expect((await phone.post("/api/me/password", { current: "correct horse battery", password: "a brand new password" })).status).toBe(200);
    await flood(email);
    expect((await laptop.post("/api/auth/login", { email, password: "a brand new password" })).status).toBe(429);
    expect((await phone.post("/api/auth/login", { email, password: "a brand new password" })).status).toBe(200);
  });

  it("a stranger's right password on a throwaway account with the victim's address forgives none of the victim's failures", async () => {
    const victim = await signup("student");
    const email = victim.user.email;
    expect((await new Client().post("/api/auth/signup", { email, password: "attacker password", name: "X", role: "student", timezone: "UTC" })).status).toBe(201);
    const from = ip();
    for (let i = 0; i < 4; i++) expect((await new Client().post("/api/auth/login", { email, password: `guess-${i}-xx` }, fromIp(from))).status).toBe(401);
    // Signs in to the throwaway account (its password matches it) …
    expect((await new Client().post("/api/auth/login", { email, password: "attacker password" }, fromIp(from))).status).toBe(200);
    // … and the four guesses still count: one more is checked, then the address waits.
    const next: number[] = [];
    for (let i = 4; i < 6; i++) next.push((await new Client().post("/api/auth/login", { email, password: `guess-${i}-xx` }, fromIp(from))).status);
    expect(next).toEqual([401, 429]);
    expect(await attempts(`e:${email}`)).toBe(5);
  });

  it("forgets failures older than an hour", async () => {
    const body = signupBody();
    await new Client().post("/api/auth/signup", body);
    const from = ip();
    const insert = env.DB.prepare("INSERT INTO login_attempts (key, attempt_id, at) VALUES (?, 'old', ?)");
    await env.DB.batch(Array.from({ length: 10 }, () => insert.bind(`ae:${from}|${body.email}`, Date.now() - 61 * 60_000)));
    expect((await new Client().post("/api/auth/login", { email: body.email, password: body.password }, fromIp(from))).status).toBe(200);
  });

  it("refuses a suspended account after a right password with 403 account_suspended", async () => {
    const body = signupBody();
    await new Client().post("/api/auth/signup", body);
    await env.DB.prepare("UPDATE users SET status = 'suspended' WHERE email = ?").bind(body.email).run();
    const res = await new Client().post("/api/auth/login", { email: body.email, password: body.password });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("account_suspended");
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
    expect(client.jar.has("tutorly_session")).toBe(false);
    expect(client.jar.has("tutorly_cred")).toBe(false);
    const replay = new Client();
    replay.cookie = stolen;
    // Past the signed credential's 60 s (test/worker/sessionCredential.test.ts covers the bound itself).
    replay.jar.delete("tutorly_cred");
    const me = await replay.get("/api/me");
    expect(me.status).toBe(401);
    expect(me.json.error.code).toBe("unauthenticated");
  });

  it("slide: a session used after a day gets its 30-day expiry renewed", async () => {
    const { client, user } = await signup("student");
    const soon = new Date(Date.now() + 20 * 86_400_000).toISOString();
    await env.DB.prepare("UPDATE auth_sessions SET expires_at = ? WHERE user_id = ?").bind(soon, user.id).run();
    client.jar.delete("tutorly_cred"); // the signed credential would answer without the store for up to 60 s
    const res = await client.get("/api/me");
    expect(res.status).toBe(200);
    expect(res.headers.get("Set-Cookie")).toMatch(/tutorly_session=/);
    const row = await env.DB.prepare("SELECT expires_at FROM auth_sessions WHERE user_id = ?").bind(user.id).first<{ expires_at: string }>();
    expect(new Date(row!.expires_at).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
  });

  it("expire: an expired session is refused", async () => {
    const { client, user } = await signup("student");
    await env.DB.prepare("UPDATE auth_sessions SET expires_at = ? WHERE user_id = ?").bind(new Date(Date.now() - 1000).toISOString(), user.id).run();
    client.jar.delete("tutorly_cred");
    expect((await client.get("/api/me")).status).toBe(401);
  });

  it("end 90 days after sign-in however often they are used", async () => {
    const { client, user } = await signup("student");
    await env.DB.prepare("UPDATE auth_sessions SET absolute_expires_at = ? WHERE user_id = ?").bind(new Date(Date.now() - 1000).toISOString(), user.id).run();
    client.jar.delete("tutorly_cred");
    expect((await client.get("/api/me")).status).toBe(401);
  });

  it("never slide past their absolute lifetime", async () => {
    const { client, user } = await signup("student");
    const absolute = new Date(Date.now() + 10 * 86_400_000).toISOString();
    await env.DB.prepare("UPDATE auth_sessions SET expires_at = ?, absolute_expires_at = ? WHERE user_id = ?").bind(new Date(Date.now() + 2 * 86_400_000).toISOString(), absolute, user.id).run();
    client.jar.delete("tutorly_cred");
    expect((await client.get("/api/me")).status).toBe(200);
    const row = await env.DB.prepare("SELECT expires_at FROM auth_sessions WHERE user_id = ?").bind(user.id).first<{ expires_at: string }>();
    expect(row!.expires_at).toBe(absolute);
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
