import { env } from "cloudflare:workers";
import { expect, vi } from "vitest";
import { Client, adminClient, mailedToken, signup, uniqueEmail } from "../helpers";
import { type Persona, type Scene, userOf } from "../scene";
import { type Row, all, signedIn } from "../surface";

/** Someone with an account (a suspended one included). */
const me = (p: Persona) => p !== "anonymous";
/** Signed in: not a visitor, and not suspended (the suspension ended their session). */
const signedInAs = (p: Persona) => me(p) && p !== "suspended";
const NEW_PASSWORD = "a brand new password";

/** The newest link of a kind mailed to an address; some are sent after the answer, so it is waited for. */
const mailed = (email: string, path: "verify-email" | "reset-password" | "accept-invite") => vi.waitFor(() => mailedToken(email, path), { timeout: 10_000 });

/** The same device once its 60 s signed credential has run out: the session store decides who it is. */
const later = (client: Client) => {
  const c = new Client();
  c.cookie = client.cookie;
  c.jar.delete("tutorly_cred");
  return c;
};

/** An admin of its own sends each invitation (an admin may send 10 a minute; the scene's admin has rows of its own). */
const inviter = () => adminClient();

/** Who a client is signed in as (null: nobody). */
const whoIs = async (client: Client) => ((await client.get("/api/auth/session")).json.user?.id as string | undefined) ?? null;

/** A persona's second device: its session id (from its own list of sessions) and the client. */
async function secondDevice(s: Scene, p: Exclude<Persona, "anonymous">) {
  const client = await s.signIn(p);
  const sessions = (await client.get("/api/me/sessions")).json.sessions as { id: string; current: boolean }[];
  return { client, id: sessions.find((x) => x.current)!.id };
}

/** Signing up and in, the caller's own account. */
export const accountRows: Record<string, Row> = {
  "POST /api/auth/signup": {
    who: all("ok"),
    client: "fresh",
    request: () => ({ body: { email: `matrix-${crypto.randomUUID()}@example.com`, password: "long enough pw", name: "Matrix", role: "student", timezone: "UTC" } }),
    effect: ({ res, call }) => {
      expect(res.status).toBe(201);
      expect(res.json.user).toMatchObject({ email: (call.body as { email: string }).email, role: "student" });
    },
  },
  // Each persona with its own credentials (a visitor with wrong ones); a fresh client, so no session is replaced.
  "POST /api/auth/login": {
    who: { ...all("ok"), anonymous: "401:invalid_credentials", suspended: "403:account_suspended" },
    client: "fresh",
    request: (s, p) => ({ body: me(p) ? { email: userOf(s, p).email, password: userOf(s, p).password } : { email: "nobody@example.com", password: "nope nope nope" } }),
    effect: ({ s, p, res }) => expect(res.json.user.id).toBe(userOf(s, p).id),
  },
  "GET /api/me": {
    who: signedIn(),
    effect: ({ s, p, res }) => expect(res.json.user.id).toBe(userOf(s, p).id),
  },
  "GET /api/auth/session": {
    who: all("ok"),
    effect: ({ s, p, res }) => expect(res.json.user?.id ?? null).toBe(signedInAs(p) ? userOf(s, p).id : null),
  },
  // A second session of each persona signs out; the shared one stays signed in.
  "POST /api/auth/logout": {
    who: signedIn(),
    client: "ownSession",
    effect: async ({ s, p, res, client }) => {
      expect(res.status).toBe(204);
      expect((await client.get("/api/me")).status).toBe(401);
      expect((await s.people[p].get("/api/me")).status).toBe(200);
    },
  },

  // Mailed links carry their own credential: whoever holds one may use it, signed in as anyone or nobody.
  "POST /api/auth/password-reset/request": {
    who: all("ok"),
    request: (s, p) => ({ body: { email: me(p) ? userOf(s, p).email : `nobody-${crypto.randomUUID()}@example.com` } }),
    effect: async ({ s, p, res }) => {
      expect(res.status).toBe(202);
      // A suspended account gets no link (the answer is the same, so it tells nobody which accounts exist).
      if (signedInAs(p)) expect(await mailed(userOf(s, p).email, "reset-password")).toMatch(/^[\w-]{43}$/);
    },
  },
  // A link mailed to a new account: its password changes, and the caller's device is signed in to it.
  "POST /api/auth/password-reset/confirm": {
    who: all("ok"),
    client: "fresh",
    request: async () => {
      const { user } = await signup("student");
      expect((await new Client().post("/api/auth/password-reset/request", { email: user.email })).status).toBe(202);
      return { body: { token: await mailed(user.email, "reset-password"), password: NEW_PASSWORD } };
    },
    effect: async ({ res, client }) => {
      expect(await whoIs(client)).toBe(res.json.user.id);
      const login = await new Client().post("/api/auth/login", { email: res.json.user.email, password: NEW_PASSWORD });
      expect(login.status).toBe(200);
    },
  },
  // A new account's signup link, opened on the persona's device: signed out, the new account is confirmed; signed in
  // to another account, it is refused unused (nobody confirms a stranger's account while looking at their own).
  "POST /api/auth/verify-email": {
    who: { ...all("409:link_for_another_account"), anonymous: "ok", suspended: "ok" },
    request: async () => {
      const { user } = await signup("student", { verified: false });
      return { body: { token: await mailed(user.email, "verify-email") } };
    },
    effect: async ({ s, p, res, client }) => {
      expect(res.json.user).toMatchObject({ emailVerified: true });
      const row = await env.DB.prepare("SELECT email_verified_at AS at FROM users WHERE id = ?").bind(res.json.user.id).first<{ at: string | null }>();
      expect(row?.at).toBeTypeOf("string");
      expect(await whoIs(client)).toBe(signedInAs(p) ? userOf(s, p).id : null);
    },
  },
  // Only the unverified student has a link to ask for again.
  "POST /api/auth/verify-email/resend": {
    who: { ...signedIn("409:already_verified"), unverified: "ok" },
    effect: async ({ s, p, res }) => {
      expect(res.status).toBe(202);
      const sent = await env.DB.prepare("SELECT count(*) AS n FROM email_outbox WHERE to_email = ? AND text LIKE '%/verify-email?token=%'").bind(userOf(s, p).email).first<number>("n");
      expect(sent).toBe(2);
    },
  },
  // An invitation to a new address, accepted on a fresh device: an admin account exists and is signed in.
  "POST /api/auth/admin-invite/accept": {
    who: all("ok"),
    client: "fresh",
    request: async () => {
      const email = uniqueEmail("invited");
      const invite = await (await inviter()).post("/api/admin/admins/invite", { email });
      expect(invite.status, invite.text).toBe(201);
      return { body: { token: await mailed(email, "accept-invite"), name: "New Admin", password: NEW_PASSWORD, timezone: "UTC" } };
    },
    effect: async ({ res, client }) => {
      expect(res.status).toBe(201);
      expect(res.json.user).toMatchObject({ role: "admin", emailVerified: true });
      expect((await client.get("/api/admin/audit")).status).toBe(200);
    },
  },

  "GET /api/me/account": {
    who: signedIn(),
    effect: ({ s, p, res }) => expect(res.json.user).toMatchObject({ id: userOf(s, p).id, email: userOf(s, p).email }),
  },
  "PATCH /api/me": {
    who: signedIn(),
    request: (_, p) => ({ body: { name: `Matrix ${p}` } }),
    effect: async ({ p, res, client }) => {
      expect(res.json.user.name).toBe(`Matrix ${p}`);
      expect((await client.get("/api/me/account")).json.user.name).toBe(`Matrix ${p}`);
    },
  },
  // A new password (the right current one) on a second device: the old one stops working and every other session
  // ends; the effect changes it back and signs the shared client in again.
  "POST /api/me/password": {
    who: signedIn(),
    client: "ownSession",
    late: true,
    request: (s, p) => ({ body: { current: me(p) ? userOf(s, p).password : "x", password: NEW_PASSWORD } }),
    effect: async ({ s, p, res, client }) => {
      const { email, password } = userOf(s, p);
      expect(res.json.user.id).toBe(userOf(s, p).id);
      expect((await new Client().post("/api/auth/login", { email, password })).status).toBe(401);
      expect((await later(s.people[p]).get("/api/me")).status).toBe(401);
      expect((await later(client).get("/api/me")).status).toBe(200);
      expect((await client.post("/api/me/password", { current: NEW_PASSWORD, password })).status).toBe(200);
      await s.signBackIn(p as Exclude<Persona, "anonymous">);
    },
  },
  // A new address waits for its link; the account keeps its address until then.
  "POST /api/me/email": {
    who: signedIn(),
    request: (s, p) => ({ body: { email: uniqueEmail(`new-${p.toLowerCase()}`), password: me(p) ? userOf(s, p).password : "x" } }),
    effect: async ({ s, p, res, call, client }) => {
      const wanted = (call.body as { email: string }).email;
      expect(res.json.pendingEmail).toBe(wanted);
      const account = (await client.get("/api/me/account")).json;
      expect(account).toMatchObject({ pendingEmail: wanted, user: { email: userOf(s, p).email } });
      expect(await mailed(wanted, "verify-email")).toMatch(/^[\w-]{43}$/);
    },
  },
  "GET /api/me/sessions": {
    who: signedIn(),
    effect: ({ res }) => expect((res.json.sessions as { current: boolean }[]).filter((x) => x.current)).toHaveLength(1),
  },
  // Each persona signs its own second device out; another student naming the student's device finds nothing.
  "DELETE /api/me/sessions/:id": {
    who: { ...signedIn(), otherStudent: 404 },
    params: async (s, p) => (!signedInAs(p) ? { id: "nobody" } : { id: (await secondDevice(s, p === "otherStudent" ? "student" : (p as Exclude<Persona, "anonymous">))).id }),
    effect: async ({ s, p, params, res }) => {
      expect(res.status).toBe(204);
      const left = (await s.people[p].get("/api/me/sessions")).json.sessions as { id: string }[];
      expect(left.map((x) => x.id)).not.toContain(params.id);
      expect((await later(s.people[p]).get("/api/me")).status).toBe(200);
    },
  },
  // Signs out everywhere: the shared client too (the effect signs it in again).
  "POST /api/me/sessions/revoke-all": {
    who: signedIn(),
    client: "ownSession",
    late: true,
    effect: async ({ s, p, res, client }) => {
      expect(res.status).toBe(204);
      expect((await later(client).get("/api/me")).status).toBe(401);
      expect((await later(s.people[p]).get("/api/me")).status).toBe(401);
      await s.signBackIn(p as Exclude<Persona, "anonymous">);
    },
  },
  "GET /api/me/export": {
    who: signedIn(),
    effect: ({ s, p, res }) => {
      expect(res.headers.get("Content-Disposition")).toMatch(/^attachment;/);
      expect(res.json.account).toMatchObject({ id: userOf(s, p).id, email: userOf(s, p).email });
    },
  },
  // Deleting an account cannot be undone, so the matrix sends a wrong password: refused for everyone signed in.
  "DELETE /api/me": {
    who: { ...signedIn("401:invalid_credentials"), anonymous: "401:unauthenticated" },
    request: () => ({ body: { password: "not my password" } }),
  },
};
