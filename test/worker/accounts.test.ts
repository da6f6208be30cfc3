import { createExecutionContext, runDurableObjectAlarm, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker from "../../worker/index";
import { Client, ORIGIN, approvedTutor, fundedStudent, mailedToken, signup, slotAhead, uniqueEmail, verifyEmail } from "./helpers";
import { CHAT_RETENTION_MS } from "../../durable-objects/room/chat";
import { calendarOf, roomOf } from "../../worker/lib/stubs";
import { bookedSession, enter, groupSession, moveBooking } from "./videoHelpers";

const PASSWORD = "correct horse battery";
const mailsTo = (email: string) =>
  env.DB.prepare("SELECT subject, text FROM email_outbox WHERE to_email = ? ORDER BY created_at, rowid").bind(email).all<{ subject: string; text: string }>().then((r) => r.results);
/** The same signed-in device after its 60 s credential ran out (the store decides). */
const later = (client: Client) => {
  const c = new Client();
  c.cookie = client.cookie;
  c.jar.delete("tutorly_cred");
  return c;
};

/** A browser whose every request returns only once the work it started after the answer (its emails) is done. */
const settledClient = () =>
  new Client(ORIGIN, async (req) => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(req, env, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  });
/** The newest reset email to `email`, as its links, each with the line above it that says which account it is for. */
const resetLinks = async (email: string) => {
  const text = await vi.waitFor(
    async () => {
      const row = await env.DB.prepare("SELECT text FROM email_outbox WHERE to_email = ? AND text LIKE '%/reset-password?token=%' ORDER BY created_at DESC, rowid DESC LIMIT 1").bind(email).first<{ text: string }>();
      if (!row) throw new Error(`no reset link was mailed to ${email}`);
      return row.text;
    },
    { timeout: 10_000 },
  );
  const lines = text.split("\n");
  return lines.flatMap((line, i) => {
    const token = line.match(/\/reset-password\?token=([\w-]+)/)?.[1];
    return token ? [{ about: lines[i - 1] ?? "", token }] : [];
  });
};
const confirmedAccountsOn = async (email: string) =>
  (await env.DB.prepare("SELECT id FROM users WHERE email = ? AND email_verified_at IS NOT NULL").bind(email).all<{ id: string }>()).results.map((r) => r.id);

describe("password reset", () => {
  it("one of them gets my password reset to open their account", async () => {
    const email = uniqueEmail("maya");
    const me = await new Client().post("/api/auth/signup", { email, password: "my own long password", name: "Maya", role: "student", timezone: "UTC" });
    const stranger = new Client();
    expect((await stranger.post("/api/auth/signup", { email, password: "stranger password", name: "Maya", role: "student", timezone: "UTC" })).status).toBe(201);
    await new Client().post("/api/auth/password-reset/request", { email });
    // Nobody has confirmed the address: the email lists each account on it, in the order they signed up, with its own link.
    const links = await resetLinks(email);
    expect(links).toHaveLength(2);
    const mine = links.find((l) => l.about.startsWith("1."))!;
    const strangers = links.find((l) => l.about.startsWith("2."))!;
    const browser = new Client();
    const reset = await browser.post("/api/auth/password-reset/confirm", { token: mine.token, password: "my reset long password" });
    expect(reset.status).toBe(200);
    expect(reset.json.user.id).toBe(me.json.user.id);
    expect(reset.json.user.emailVerified).toBe(true);
    // The stranger's links can no longer take the address: neither its reset link nor its confirmation link.
    const late = await new Client().post("/api/auth/password-reset/confirm", { token: strangers.token, password: "stranger takes over" });
    expect(late.status).toBe(400);
    expect(late.json.error.code).toBe("invalid_token");
    expect((await new Client().post("/api/auth/verify-email", { token: await mailedToken(email, "verify-email") })).status).toBe(400);
    expect(await confirmedAccountsOn(email)).toEqual([me.json.user.id]);
    // From now on a reset of the address is the owner's alone.
    await new Client().post("/api/auth/password-reset/request", { email });
    await vi.waitFor(async () => expect((await resetLinks(email))[0]!.token).not.toBe(mine.token), { timeout: 10_000 });
    const next = await resetLinks(email);
    expect(next).toHaveLength(1);
    expect((await new Client().post("/api/auth/password-reset/confirm", { token: next[0]!.token, password: "my third long password" })).json.user.id).toBe(me.json.user.id);
  });

  it("names each unconfirmed account on the address in the reset email, so the inbox owner picks theirs even when a stranger signed up first", async () => {
    const email = uniqueEmail("owner");
    const stranger = await new Client().post("/api/auth/signup", { email, password: "stranger password", name: "Stranger Danger", role: "tutor", timezone: "UTC" });
    const me = await new Client().post("/api/auth/signup", { email, password: "my own long password", name: "Olga Owner", role: "student", timezone: "Europe/Berlin" });
    await new Client().post("/api/auth/password-reset/request", { email });
    const links = await resetLinks(email);
    expect(links.map((l) => l.about)).toEqual([expect.stringMatching(/^1\. .*Stranger Danger.*tutor/), expect.stringMatching(/^2\. .*Olga Owner.*student/)]);
    const mine = links.find((l) => l.about.includes("Olga Owner"))!;
    const reset = await new Client().post("/api/auth/password-reset/confirm", { token: mine.token, password: "my reset long password" });
    expect(reset.json.user.id).toBe(me.json.user.id);
    expect(await confirmedAccountsOn(email)).toEqual([me.json.user.id]);
    const other = links.find((l) => l.about.includes("Stranger Danger"))!;
    expect((await new Client().post("/api/auth/password-reset/confirm", { token: other.token, password: "stranger takes over" })).status).toBe(400);
    expect((await new Client().post("/api/auth/login", { email, password: "my reset long password" })).json.user.id).toBe(me.json.user.id);
    expect(stranger.json.user.id).not.toBe(me.json.user.id);
  });

  it("shows the address's reader no stranger's line break or direction override: such names are refused, and one saved before is shown without them", async () => {
    const email = uniqueEmail("owner");
    expect((await new Client().post("/api/auth/signup", { email, password: "my own long password", name: "Maya", role: "student", timezone: "UTC" })).status).toBe(201);
    for (const name of ["Tutorly support\u2028Only link 3 is safe", "Maya\u202E)CTU( MA 00:9", "x\u0085Tutorly support: use link 3", "Ana\u2066 Lopez"]) {
      const refused = await new Client().post("/api/auth/signup", { email, password: "stranger password", name, role: "student", timezone: "UTC" });
      expect(refused.status).toBe(400);
      expect(refused.json.error.issues[0].path).toBe("name");
    }
    // A name saved before the form refused these (written here straight to D1).
    const stranger = await new Client().post("/api/auth/signup", { email, password: "stranger password", name: "Placeholder", role: "student", timezone: "UTC" });
    expect(stranger.status).toBe(201);
    await env.DB.prepare("UPDATE users SET name = ? WHERE id = ?").bind("Tutorly support\u2028Only link 2 is safe\u202E", stranger.json.user.id).run();
    await new Client().post("/api/auth/password-reset/request", { email });
    const links = await resetLinks(email);
    expect(links).toHaveLength(2);
    const text = links.map((l) => l.about).join("\n");
    expect(text).not.toMatch(/[\u0080-\u009f\u2028\u2029\u202a-\u202e]/);
    // Each name sits alone between isolates, so a right-to-left one cannot reorder its line.
    expect(links[1]!.about).toContain("\u2068Tutorly supportOnly link 2 is safe\u2069");
  });

  it("mails one address at most 3 reset emails an hour, even when 12 requests arrive at once, each answered 202", async () => {
    const { user } = await signup("student");
    const answers = await Promise.all(Array.from({ length: 12 }, () => settledClient().post("/api/auth/password-reset/request", { email: user.email })));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(202));
    const mailed = await env.DB.prepare("SELECT count(*) AS n FROM email_outbox WHERE to_email = ? AND text LIKE '%/reset-password?token=%'").bind(user.email).first<{ n: number }>();
    expect(mailed!.n).toBe(3);
  });

  it("answers 202 alike for a known and an unknown address, and mails only the known one", async () => {
    const { user } = await signup("student");
    const unknown = uniqueEmail("nobody");
    const known = await new Client().post("/api/auth/password-reset/request", { email: user.email });
    const other = await new Client().post("/api/auth/password-reset/request", { email: unknown });
    expect([known.status, other.status]).toEqual([202, 202]);
    expect(known.json).toEqual(other.json);
    await vi.waitFor(async () => expect((await mailsTo(user.email)).map((m) => m.subject)).toContain("Reset your Tutorly password"), { timeout: 10_000 });
    expect(await mailsTo(unknown)).toEqual([]);
  });

  it("sets a new password by a single-use link, ends every session and signs this device in", async () => {
    const { client, user } = await signup("student");
    await new Client().post("/api/auth/password-reset/request", { email: user.email });
    const token = await vi.waitFor(() => mailedToken(user.email, "reset-password"), { timeout: 10_000 });
    // Only the token's hash is stored.
    const stored = await env.DB.prepare("SELECT token_hash FROM account_tokens WHERE user_id = ? AND purpose = 'password_reset'").bind(user.id).first<{ token_hash: string }>();
    expect(stored!.token_hash).not.toContain(token);
    const device = new Client();
    const done = await device.post("/api/auth/password-reset/confirm", { token, password: "a fresh password" });
    expect(done.status).toBe(200);
    expect(done.json.user.id).toBe(user.id);
    expect((await device.get("/api/me")).status).toBe(200);
    expect((await later(client).get("/api/me")).status).toBe(401);
    expect((await new Client().post("/api/auth/login", { email: user.email, password: PASSWORD })).status).toBe(401);
    expect((await new Client().post("/api/auth/login", { email: user.email, password: "a fresh password" })).status).toBe(200);
    const again = await new Client().post("/api/auth/password-reset/confirm", { token, password: "yet another password" });
    expect(again.status).toBe(400);
    expect(again.json.error.code).toBe("invalid_token");
  });

  it("refuses an expired link", async () => {
    const { user } = await signup("student");
    await new Client().post("/api/auth/password-reset/request", { email: user.email });
    const token = await vi.waitFor(() => mailedToken(user.email, "reset-password"), { timeout: 10_000 });
    await env.DB.prepare("UPDATE account_tokens SET expires_at = ? WHERE user_id = ? AND purpose = 'password_reset'").bind(new Date(Date.now() - 1000).toISOString(), user.id).run();
    expect((await new Client().post("/api/auth/password-reset/confirm", { token, password: "a fresh password" })).status).toBe(400);
  });

  it("lets exactly one of two simultaneous uses of a link through", async () => {
    const { user } = await signup("student");
    await new Client().post("/api/auth/password-reset/request", { email: user.email });
    const token = await vi.waitFor(() => mailedToken(user.email, "reset-password"), { timeout: 10_000 });
    const results = await Promise.all([1, 2].map((i) => new Client().post("/api/auth/password-reset/confirm", { token, password: `new password ${i}` })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
  });
});

describe("email verification", () => {
  it("lets an unverified student browse and buy but not book, until the link is opened", async () => {
    const tutor = await approvedTutor();
    const s = await signup("student", { verified: false });
    expect(s.user).toMatchObject({ emailVerified: false });
    expect((await s.client.get("/api/tutors")).status).toBe(200);
    expect((await s.client.post("/api/billing/checkout", { packId: "pack-60" })).status).toBe(200);
    const admin = (await import("./helpers")).adminClient;
    await (await admin()).post("/api/admin/credits", { userId: s.user.id, minutes: 120, reason: "test" });
    const body = { tutorId: tutor.user.id, start: slotAhead(48 * 60), durationMinutes: 60, subject: "mathematics" };
    const refused = await s.client.post("/api/bookings", body);
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe("email_unverified");
    await verifyEmail(s.client, s.user.email);
    expect((await s.client.get("/api/me")).json.user.emailVerified).toBe(true);
    expect((await s.client.post("/api/bookings", body)).status).toBe(201);
  });

  it("keeps an unverified tutor out of search and unbookable, even when approved", async () => {
    const t = await signup("tutor", { timezone: "UTC", verified: false });
    await t.client.put("/api/tutors/me/profile", { bio: "x", subjects: ["unverifiedology"], hourlyRateCents: 4000, timezone: "UTC" });
    const admin = await (await import("./helpers")).adminClient();
    await admin.post(`/api/admin/tutors/${t.user.id}/approve`);
    await t.client.put("/api/tutors/me/availability", (await import("./helpers")).ALL_WEEK());
    const student = await fundedStudent(120);
    const listed = async () => ((await student.client.get("/api/tutors?subject=unverifiedology")).json.tutors as { id: string }[]).map((x) => x.id);
    expect(await listed()).toEqual([]);
    expect((await student.client.get(`/api/tutors/${t.user.id}`)).status).toBe(404);
    const body = { tutorId: t.user.id, start: slotAhead(48 * 60), durationMinutes: 60, subject: "unverifiedology" };
    expect((await student.client.post("/api/bookings", body)).status).toBe(404);
    await verifyEmail(t.client, t.user.email);
    expect(await listed()).toEqual([t.user.id]);
    expect((await student.client.post("/api/bookings", body)).status).toBe(201);
  });

  it("resends at most 3 links an hour (the signup's included)", async () => {
    const s = await signup("student", { verified: false });
    expect((await s.client.post("/api/auth/verify-email/resend")).status).toBe(202);
    expect((await s.client.post("/api/auth/verify-email/resend")).status).toBe(202);
    const limited = await s.client.post("/api/auth/verify-email/resend");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
  });

  it("answers resends alike whether or not a confirmed account owns the address: the count tells nothing", async () => {
    const owner = await signup("student");
    const resends = async (email: string) => {
      const c = new Client();
      expect((await c.post("/api/auth/signup", { email, password: "attacker password", name: "X", role: "student", timezone: "UTC" })).status).toBe(201);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await c.post("/api/auth/verify-email/resend")).status);
      return statuses;
    };
    const free = await resends(uniqueEmail("free"));
    expect(free).toEqual([202, 202, 429, 429]);
    expect(await resends(owner.user.email)).toEqual(free);
  });

  it("refuses a used link", async () => {
    const s = await signup("student", { verified: false });
    const token = await mailedToken(s.user.email, "verify-email");
    expect((await new Client().post("/api/auth/verify-email", { token })).status).toBe(200);
    expect((await new Client().post("/api/auth/verify-email", { token })).json.error.code).toBe("invalid_token");
  });

  it("does not let the owner of an address confirm a stranger's account with it while signed in to their own", async () => {
    const email = uniqueEmail("owner");
    // A stranger signs up with the address first; its link lands in the owner's inbox.
    expect((await new Client().post("/api/auth/signup", { email, password: "stranger password", name: "Stranger", role: "student", timezone: "UTC" })).status).toBe(201);
    const strangers = await mailedToken(email, "verify-email");
    const me = new Client();
    const mine = await me.post("/api/auth/signup", { email, password: "my own password 1", name: "Owner", role: "student", timezone: "UTC" });
    expect(mine.status).toBe(201);
    const refused = await me.post("/api/auth/verify-email", { token: strangers });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe("link_for_another_account");
    // The owner's own link still confirms the owner's account.
    const own = (await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ? AND email_verified_at IS NOT NULL").bind(email).first<{ n: number }>())!.n;
    expect(own).toBe(0);
    const token = await mailedToken(email, "verify-email");
    const confirmed = await me.post("/api/auth/verify-email", { token });
    expect(confirmed.json.user?.id).toBe(mine.json.user.id);
  });
});

describe("changing what the account says", () => {
  it("changes the password with the current one: other devices are signed out, this one stays", async () => {
    const { client, user } = await signup("student");
    const phone = new Client();
    await phone.post("/api/auth/login", { email: user.email, password: PASSWORD });
    const wrong = await client.post("/api/me/password", { current: "not it at all", password: "a new password" });
    expect(wrong.status).toBe(401);
    const ok = await client.post("/api/me/password", { current: PASSWORD, password: "a new password" });
    expect(ok.status).toBe(200);
    expect((await later(client).get("/api/me")).status).toBe(200);
    expect((await later(phone).get("/api/me")).status).toBe(401);
    expect((await mailsTo(user.email)).map((m) => m.subject)).toContain("Your Tutorly password was changed");
  });

  it("moves the account to a new address once its link is opened, telling the old one", async () => {
    const { client, user } = await signup("student");
    const next = uniqueEmail("moved");
    const asked = await client.post("/api/me/email", { email: next, password: PASSWORD });
    expect(asked.status).toBe(202);
    expect((await client.get("/api/me")).json.user.email).toBe(user.email);
    expect((await mailsTo(user.email)).map((m) => m.subject)).toContain("Your Tutorly email address is about to change");
    expect((await client.get("/api/me/account")).json.pendingEmail).toBe(next);
    const moved = await client.post("/api/auth/verify-email", { token: await mailedToken(next, "verify-email") });
    expect(moved.status).toBe(200);
    expect((await client.get("/api/me")).json.user.email).toBe(next);
    expect((await new Client().post("/api/auth/login", { email: next, password: PASSWORD })).status).toBe(200);
    expect((await mailsTo(user.email)).map((m) => m.subject)).toContain("Your Tutorly email address was changed");
  });

  it("answers alike when the new address belongs to someone else, who is told instead", async () => {
    const owner = await signup("student");
    const { client } = await signup("student");
    const asked = await client.post("/api/me/email", { email: owner.user.email, password: PASSWORD });
    expect(asked.status).toBe(202);
    const last = (await mailsTo(owner.user.email)).at(-1)!;
    expect(last.subject).toBe("You already have a Tutorly account");
  });

  it("mails an address named for a change at most 3 times an hour however often it is asked, each still answered 202", async () => {
    const { client } = await signup("student");
    const next = uniqueEmail("target");
    for (let i = 0; i < 8; i++) expect((await client.post("/api/me/email", { email: next, password: PASSWORD })).status).toBe(202);
    expect(await mailsTo(next)).toHaveLength(3);
  });

  it("greets the new address of a change neutrally: neither the greeting nor the To name carries the requester's name", async () => {
    const { client } = await signup("student", { name: "https://evil.example/pay Support" });
    const next = uniqueEmail("target");
    expect((await client.post("/api/me/email", { email: next, password: PASSWORD })).status).toBe(202);
    const mail = await env.DB.prepare("SELECT subject, text, to_name FROM email_outbox WHERE to_email = ?").bind(next).first<{ subject: string; text: string; to_name: string | null }>();
    expect(mail!.subject).toBe("Confirm your new email address");
    expect(mail!.to_name).toBeNull();
    expect(mail!.text.split("\n")[0]).toBe("Hello,");
    expect(mail!.text).not.toContain("evil.example");
  });

  it("edits name, time zone, locale and a student's learning goals", async () => {
    const { client } = await signup("student");
    const res = await client.request("PATCH", "/api/me", { name: "Ada K. Lovelace", timezone: "Asia/Calcutta", locale: "en-GB", learningGoals: "Pass calculus in June" });
    expect(res.status).toBe(200);
    expect(res.json.user).toMatchObject({ name: "Ada K. Lovelace", timezone: "Asia/Kolkata", locale: "en-GB" });
    expect(res.json.learningGoals).toBe("Pass calculus in June");
    expect((await client.get("/api/me")).json.user.name).toBe("Ada K. Lovelace");
  });

  it.each([
    ["US/Eastern", "America/New_York"],
    ["us/eastern", "America/New_York"],
    ["Canada/Pacific", "America/Vancouver"],
  ])("stores the zone %s by its canonical name %s, the one search finds its clock changes by", async (given, stored) => {
    const { client } = await signup("student");
    const res = await client.request("PATCH", "/api/me", { timezone: given });
    expect(res.status).toBe(200);
    expect(res.json.user.timezone).toBe(stored);
    expect((await client.get("/api/me")).json.user.timezone).toBe(stored);
  });

  it("stores a tutor's zone given as US/Eastern as America/New_York on the profile and the weekly hours", async () => {
    const tutor = await approvedTutor();
    const profile = { bio: "Test tutor", subjects: ["mathematics"], hourlyRateCents: 3000, timezone: "US/Eastern" };
    expect((await tutor.client.put("/api/tutors/me/profile", profile)).status).toBe(200);
    expect((await tutor.client.get("/api/tutors/me/profile")).json.tutor.timezone).toBe("America/New_York");
    const hours = { timezone: "US/Eastern", weekly: [{ weekday: 1, start: "09:00", end: "10:00" }], overrides: [], bufferMinutes: 0, minNoticeMinutes: 0, horizonDays: 60 };
    expect((await tutor.client.put("/api/tutors/me/availability", hours)).status).toBe(200);
    expect((await tutor.client.get("/api/tutors/me/availability")).json.availability.timezone).toBe("America/New_York");
    const row = await env.DB.prepare("SELECT timezone FROM tutor_profiles WHERE user_id = ?").bind(tutor.user.id).first<{ timezone: string }>();
    expect(row?.timezone).toBe("America/New_York");
  });

  it.each([
    ["a name with a line break (a header injection)", { name: "Eve\r\nBcc: everyone@example.com" }, "name"],
    ["an unknown zone", { timezone: "Mars/Base" }, "timezone"],
    ["a locale that is not a language tag", { locale: "english please" }, "locale"],
    ["nothing to change", {}, ""],
  ])("refuses %s", async (_, body, field) => {
    const { client } = await signup("student");
    const res = await client.request("PATCH", "/api/me", body);
    expect(res.status).toBe(400);
    expect(res.json.error.issues.map((i: { path: string }) => i.path)).toContain(field);
  });

  it("keeps learning goals for students", async () => {
    const { client } = await signup("tutor");
    const res = await client.request("PATCH", "/api/me", { learningGoals: "x" });
    expect(res.status).toBe(400);
  });
});

describe("links that must not outlive what they were for", () => {
  const resetLink = async (email: string) => {
    await new Client().post("/api/auth/password-reset/request", { email });
    return vi.waitFor(() => mailedToken(email, "reset-password"), { timeout: 10_000 });
  };

  it("a new password voids a pending change of address: its link no longer moves the account", async () => {
    const { client, user } = await signup("student");
    const evil = uniqueEmail("evil");
    expect((await client.post("/api/me/email", { email: evil, password: PASSWORD })).status).toBe(202);
    const token = await mailedToken(evil, "verify-email");
    expect((await client.post("/api/me/password", { current: PASSWORD, password: "brand new password" })).status).toBe(200);
    const moved = await new Client().post("/api/auth/verify-email", { token });
    expect(moved.status).toBe(400);
    expect(moved.json.error.code).toBe("invalid_token");
    expect((await client.get("/api/me")).json.user.email).toBe(user.email);
    expect((await client.get("/api/me/account")).json.pendingEmail).toBeNull();
  });

  it("a new password voids the reset links mailed before it, whichever way it was set", async () => {
    const { client, user } = await signup("student");
    const before = await resetLink(user.email);
    expect((await client.post("/api/me/password", { current: PASSWORD, password: "changed password 1" })).status).toBe(200);
    expect((await new Client().post("/api/auth/password-reset/confirm", { token: before, password: "attacker password" })).status).toBe(400);
    // Two links, one used: the other is void.
    const [first, second] = [await resetLink(user.email), await resetLink(user.email)];
    expect(first).not.toBe(second);
    expect((await new Client().post("/api/auth/password-reset/confirm", { token: second, password: "changed password 2" })).status).toBe(200);
    expect((await new Client().post("/api/auth/password-reset/confirm", { token: first, password: "attacker password" })).status).toBe(400);
    expect((await new Client().post("/api/auth/login", { email: user.email, password: "changed password 2" })).status).toBe(200);
  });

  it("a reset link mailed to the old address does nothing once the account has moved", async () => {
    const { client, user } = await signup("student");
    const old = await resetLink(user.email);
    const next = uniqueEmail("moved");
    expect((await client.post("/api/me/email", { email: next, password: PASSWORD })).status).toBe(202);
    expect((await client.post("/api/auth/verify-email", { token: await mailedToken(next, "verify-email") })).status).toBe(200);
    expect((await new Client().post("/api/auth/password-reset/confirm", { token: old, password: "attacker password" })).status).toBe(400);
    expect((await new Client().post("/api/auth/login", { email: next, password: PASSWORD })).status).toBe(200);
  });

  it("confirming an address another account confirmed first is a 409, not a 500", async () => {
    const email = uniqueEmail("dup");
    const a = await signup("student", { email, verified: false });
    const ta = await mailedToken(email, "verify-email");
    const b = await signup("student", { email, verified: false });
    const tb = await mailedToken(email, "verify-email");
    expect(tb).not.toBe(ta);
    expect((await a.client.post("/api/auth/verify-email", { token: ta })).status).toBe(200);
    const late = await b.client.post("/api/auth/verify-email", { token: tb });
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe("email_taken");
  });

  it("an account deleted from another device cannot be renamed by a credential still inside its bound", async () => {
    const { client, user } = await signup("student");
    const other = new Client();
    other.cookie = client.cookie;
    expect((await client.request("DELETE", "/api/me", { password: PASSWORD })).status).toBe(200);
    const renamed = await other.request("PATCH", "/api/me", { name: "Not deleted at all" });
    expect(renamed.status).toBe(401);
    const row = await env.DB.prepare("SELECT name, status FROM users WHERE id = ?").bind(user.id).first<{ name: string; status: string }>();
    expect(row).toMatchObject({ status: "deleted" });
    expect(row!.name).not.toBe("Not deleted at all");
  });
});

describe("signed-in devices", () => {
  it("lists the sessions, signs one out, and signs out everywhere", async () => {
    const { client, user } = await signup("student");
    const laptop = new Client();
    await laptop.post("/api/auth/login", { email: user.email, password: PASSWORD }, { "User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0" });
    const list = (await client.get("/api/me/sessions")).json.sessions as { id: string; current: boolean; device: string; browser: string | null; os: string | null }[];
    expect(list).toHaveLength(2);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    const other = list.find((s) => !s.current)!;
    expect(other.device).toBe("Firefox on Windows");
    // The parts, for a screen to say in the viewer's language ("Firefox en Windows"); null where unknown.
    expect(other).toMatchObject({ browser: "Firefox", os: "Windows" });
    const unknown = list.find((s) => s.current)!;
    expect(unknown).toMatchObject({ device: "Unknown device", browser: null, os: null });
    expect((await client.request("DELETE", `/api/me/sessions/${other.id}`)).status).toBe(204);
    expect((await later(laptop).get("/api/me")).status).toBe(401);
    expect((await client.get("/api/me")).status).toBe(200);
    // Someone else's session id is simply not found.
    const stranger = await signup("student");
    const theirs = (await stranger.client.get("/api/me/sessions")).json.sessions[0].id;
    expect((await client.request("DELETE", `/api/me/sessions/${theirs}`)).status).toBe(404);
    expect((await client.post("/api/me/sessions/revoke-all")).status).toBe(204);
    expect((await client.get("/api/me")).status).toBe(401);
  });
});

describe("export and deletion", () => {
  it("exports everything held about the caller, without secrets", async () => {
    const tutor = await approvedTutor();
    const s = await fundedStudent(120);
    await s.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(48 * 60), durationMinutes: 60, subject: "mathematics" });
    const res = await s.client.get("/api/me/export");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toMatch(/attachment; filename="tutorly-data-\d{4}-\d{2}-\d{2}\.json"/);
    expect(res.json.account).toMatchObject({ id: s.user.id, email: s.user.email });
    expect(res.json.sessions).toHaveLength(1);
    expect(res.json.credits.length).toBeGreaterThan(0);
    expect(res.json.signedInDevices.length).toBe(1);
    expect(res.text).not.toMatch(/pbkdf2|token_hash|tokenHash|passwordHash/);
  });

  it("an account deleted on one device books nothing from another device afterwards", async () => {
    const tutor = await approvedTutor();
    const s = await fundedStudent(600);
    const phone = new Client();
    expect((await phone.post("/api/auth/login", { email: s.user.email, password: "correct horse battery" })).status).toBe(200);
    expect((await s.client.request("DELETE", "/api/me", { password: "correct horse battery" })).status).toBe(200);
    const booked = await phone.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(48 * 60), durationMinutes: 60, subject: "mathematics" }, { "Idempotency-Key": crypto.randomUUID() });
    expect(booked.status).toBe(403);
    expect(booked.json.error.code).toBe("account_closed");
  });

  it("a tutor deleting their account while students book them keeps no booking: every one that got in is cancelled", async () => {
    const tutor = await approvedTutor();
    const students = await Promise.all(Array.from({ length: 8 }, () => fundedStudent(600)));
    const bookings = students.map((s, i) =>
      s.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(48 * 60 + i * 120), durationMinutes: 60, subject: "mathematics" }, { "Idempotency-Key": crypto.randomUUID() }),
    );
    const [gone, ...answers] = await Promise.all([tutor.client.request("DELETE", "/api/me", { password: PASSWORD }), ...bookings]);
    expect(gone.status).toBe(200);
    // Then the rest of the students, once the deletion has answered: a deleted tutor is not found.
    const late = await Promise.all(students.map((s, i) => s.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(72 * 60 + i * 120), durationMinutes: 60, subject: "mathematics" }, { "Idempotency-Key": crypto.randomUUID() })));
    expect(late.map((r) => r.status)).toEqual(late.map(() => 404));
    const kept = [];
    for (const r of answers) {
      if (r.status !== 201) continue;
      const s = (await calendarOf(env, tutor.user.id).getSession(r.json.booking.id))!;
      if (s.booking.status !== "cancelled") kept.push(r.json.booking.id);
    }
    expect(kept).toEqual([]);
  });

  it("deletes an account: upcoming sessions cancelled first, personal data erased, the books kept", async () => {
    const tutor = await approvedTutor();
    const s = await fundedStudent(240);
    const booked = await s.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(72 * 60), durationMinutes: 60, subject: "mathematics" });
    expect(booked.status).toBe(201);
    expect((await s.client.request("DELETE", "/api/me", { password: "wrong one" })).status).toBe(401);
    const gone = await s.client.request("DELETE", "/api/me", { password: PASSWORD });
    expect(gone.status).toBe(200);
    expect(gone.json).toMatchObject({ deleted: true, cancelledSessions: 1 });
    const seen = (await tutor.client.get("/api/bookings")).json.bookings.find((b: { id: string }) => b.id === booked.json.booking.id);
    expect(seen.status).toBe("cancelled");
    const row = await env.DB.prepare("SELECT email, name, status, email_verified_at FROM users WHERE id = ?").bind(s.user.id).first();
    expect(row).toEqual({ email: `deleted+${s.user.id}@deleted.invalid`, name: "Deleted user", status: "deleted", email_verified_at: null });
    const ledger = await env.DB.prepare("SELECT count(*) AS n FROM credit_ledger WHERE user_id = ?").bind(s.user.id).first<{ n: number }>();
    expect(ledger!.n).toBeGreaterThan(0);
    expect((await new Client().post("/api/auth/login", { email: s.user.email, password: PASSWORD })).status).toBe(401);
    expect((await later(s.client).get("/api/me")).status).toBe(401);
    // The address is free again.
    expect((await signup("student", { email: s.user.email })).user.email).toBe(s.user.email);
  });

  it("a group's room chat stops naming a classmate who deleted their account", async () => {
    const { tutor, students, id } = await groupSession({ students: 2, startsInMinutes: -10 });
    const [a, b] = students;
    expect((await a.client.request("PATCH", "/api/me", { name: "Xenia Private" })).status).toBe(200);
    const host = await enter(tutor.client, id);
    const roomA = await enter(a.client, id);
    roomA.send({ type: "chat", text: "call me on 555-0142" });
    await host.next("chat");
    roomA.send({ type: "leave" });
    await roomA.closed;
    expect((await a.client.request("DELETE", "/api/me", { password: PASSWORD })).status).toBe(200);
    const roomB = await enter(b.client, id);
    const chat = JSON.stringify((await roomB.next("welcome")).chat);
    expect(chat).not.toContain("Xenia Private");
    expect(chat).not.toContain("555-0142");
    // The line stays in its place, from nobody the room can name.
    expect(chat).toContain("Deleted user");
    host.ws.close();
    roomB.ws.close();
  });

  it("a room deletes its chat once the session is past the chat's retention", async () => {
    const { tutor, student, bookingId } = await bookedSession({ startsInMinutes: -5 });
    const room = await enter(student.client, bookingId);
    room.send({ type: "chat", text: "see you next week" });
    await room.next("chat");
    room.send({ type: "leave" });
    await room.closed;
    expect(await roomOf(env, bookingId).chatBy({ userId: student.user.id })).toHaveLength(1);
    // The session is moved back past retention; the summary written now tells the room its new times.
    const start = Date.now() - CHAT_RETENTION_MS - 2 * 86_400_000;
    await moveBooking(tutor.client, bookingId, start, start + 3_600_000);
    expect((await tutor.client.request("PUT", `/api/bookings/${bookingId}/summary`, { summary: "Fractions.", homework: "" })).status).toBe(200);
    await runDurableObjectAlarm(roomOf(env, bookingId));
    expect(await roomOf(env, bookingId).chatBy({ userId: student.user.id })).toEqual([]);
    expect((await student.client.get("/api/me/export")).json.roomChat).toEqual([]);
  });

  it("exports the room chat, session records, filed reports and waitlist places; a reported user's export leaves the report out", async () => {
    const { tutor, students, id } = await groupSession({ students: 1, startsInMinutes: -10 });
    const [s] = students;
    const room = await enter(s.client, id);
    room.send({ type: "chat", text: "my phone is 555-0199" });
    await room.next("chat");
    room.send({ type: "leave" });
    await room.closed;
    const summary = await tutor.client.request("PUT", `/api/bookings/${id}/summary`, { summary: "We factored trinomials.", homework: "Exercises 4-9" });
    expect(summary.status).toBe(200);

    const talk = await s.client.post("/api/conversations", { tutorId: tutor.user.id });
    const conversationId: string = talk.json.conversation.id;
    const report = await s.client.post(`/api/conversations/${conversationId}/report`, { reason: "harassment", details: "He asked for my home address" });
    expect(report.status).toBe(201);

    // A full two-seat group elsewhere: the student waits in line for it.
    const other = await approvedTutor();
    const start = slotAhead(72 * 60);
    const full = await other.client.post("/api/tutors/me/group-sessions", { start, durationMinutes: 60, subject: "mathematics", seats: 2 }, { "Idempotency-Key": crypto.randomUUID() });
    expect(full.status).toBe(201);
    for (const seated of [await fundedStudent(600), await fundedStudent(600)]) {
      expect((await seated.client.post("/api/bookings", { tutorId: other.user.id, start, durationMinutes: 60, subject: "mathematics", group: true })).status).toBe(201);
    }
    expect((await s.client.post(`/api/group-sessions/${full.json.booking.id}/waitlist`, {}, { "Idempotency-Key": crypto.randomUUID() })).status).toBe(201);

    const res = await s.client.get("/api/me/export");
    expect(res.status).toBe(200);
    expect(res.json.roomChat).toEqual([expect.objectContaining({ bookingId: id, lines: [expect.objectContaining({ text: "my phone is 555-0199" })] })]);
    expect(res.json.sessionRecords).toEqual([expect.objectContaining({ bookingId: id, summary: "We factored trinomials.", homework: "Exercises 4-9" })]);
    expect(res.json.reportsFiled).toEqual([expect.objectContaining({ id: report.json.report.id, conversationId, reason: "harassment", details: "He asked for my home address", status: "open" })]);
    expect(res.json.waitlist).toEqual([expect.objectContaining({ sessionId: full.json.booking.id, tutorId: other.user.id })]);

    // The tutor's export has the session's record and chat, but not the report made about them.
    const theirs = await tutor.client.get("/api/me/export");
    expect(theirs.status).toBe(200);
    expect(theirs.json.sessionRecords).toEqual([expect.objectContaining({ bookingId: id, summary: "We factored trinomials." })]);
    expect(theirs.text).not.toContain("He asked for my home address");
    expect(theirs.text).not.toContain(report.json.report.id);
    expect(theirs.json.reportsFiled).toEqual([]);
  });
});

describe("GET /api/dev/mailbox", () => {
  it("shows the emails with their links to anyone, in local environments", async () => {
    const s = await signup("student", { verified: false });
    const res = await new Client().get("/api/dev/mailbox");
    expect(res.status).toBe(200);
    const mail = res.json.emails.find((m: { toEmail: string }) => m.toEmail === s.user.email);
    expect(mail.links[0]).toMatch(/^http:\/\/localhost\/verify-email\?token=[\w-]{43}$/);
  });
});
