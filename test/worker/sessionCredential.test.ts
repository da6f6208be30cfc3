import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CREDENTIAL_TTL_MS, credentialFor, signCredential, signingSecret } from "../../worker/features/auth/credential";
import { app } from "../../worker/index";
import { sha256Hex } from "../../worker/lib/crypto";
import { exports } from "cloudflare:workers";
import { Client, ORIGIN, adminClient, approvedTutor, signup } from "./helpers";

/** A D1 binding that fails on any use: a request that answers through it read nothing from D1. */
/** A D1 that fails any statement; opening a session on it (no query) is allowed, as every request does. */
const failing = new Proxy({} as D1Database, {
  get() {
    throw new Error("D1 was used");
  },
});
const noD1 = new Proxy({} as D1Database, {
  get(_, prop) {
    if (prop === "withSession") return () => Object.assign(Object.create(failing), { getBookmark: () => null });
    throw new Error("D1 was used");
  },
});
const withoutD1 = async (req: Request) => app.fetch(req, { ...env, DB: noD1 }, createExecutionContext());

/** The same cookies as `client`, with its credential re-signed as issued `ageMs` ago (a clock input). */
async function agedCredential(client: Client, ageMs: number) {
  const token = client.jar.get("tutorly_session")!;
  const me = await client.get("/api/me");
  const sid = (await client.get("/api/me/sessions")).json.sessions.find((s: { current: boolean }) => s.current).id;
  const aged = new Client();
  aged.cookie = client.cookie;
  aged.jar.set("tutorly_cred", await signCredential(signingSecret(env), credentialFor(sid, await sha256Hex(token), me.json.user, Date.now() - ageMs)));
  return aged;
}

const payloadOf = (credential: string) => JSON.parse(atob(credential.split(".")[0]!.replace(/-/g, "+").replace(/_/g, "/")));

/**
 * The same cookies as `client`, `ms` later (a clock input): its credential re-signed as issued `ms` before it was. A
 * credential a request renewed is young again; one nobody renewed keeps ageing.
 */
async function later(client: Client, ms: number) {
  const signed = client.jar.get("tutorly_cred");
  if (!signed) return client; // signed out: nothing left to age
  const credential = payloadOf(signed);
  const next = new Client();
  next.cookie = client.cookie;
  next.jar.set("tutorly_cred", await signCredential(signingSecret(env), credentialFor(credential.sid, await sha256Hex(client.jar.get("tutorly_session")!), credential.user, credential.iat - ms)));
  return next;
}

describe("the signed session credential", () => {
  it("identifies the caller with no D1 read at all", async () => {
    const { client, user } = await signup("student");
    const fast = new Client(undefined, withoutD1);
    fast.cookie = client.cookie;
    const me = await fast.get("/api/me");
    expect(me.status).toBe(200);
    expect(me.json.user).toMatchObject({ id: user.id, role: "student", emailVerified: true });
  });

  it("is trusted for 60 s at most: a signed-out session still answers at 59 s and is refused at 61 s", async () => {
    expect(CREDENTIAL_TTL_MS).toBe(60_000);
    const { client } = await signup("student");
    const at59 = await agedCredential(client, 59_000);
    const at61 = await agedCredential(client, 61_000);
    // Revoked from another device: the session row is gone.
    expect((await client.post("/api/me/sessions/revoke-all")).status).toBe(204);
    expect((await at59.get("/api/me")).status).toBe(200);
    const late = await at61.get("/api/me");
    expect(late.status).toBe(401);
    expect(late.json.error.code).toBe("unauthenticated");
  });

  it("is re-checked after 60 s and re-issued while the session lives", async () => {
    const { client } = await signup("student");
    const aged = await agedCredential(client, 61_000);
    const before = aged.jar.get("tutorly_cred");
    expect((await aged.get("/api/me")).status).toBe(200);
    expect(aged.jar.get("tutorly_cred")).not.toBe(before);
  });

  it("takes a password change into account within the bound", async () => {
    const { client } = await signup("student");
    const other = new Client();
    other.cookie = (await agedCredential(client, 61_000)).cookie;
    const changed = await client.post("/api/me/password", { current: "correct horse battery", password: "another long password" });
    expect(changed.status).toBe(200);
    expect((await other.get("/api/me")).status).toBe(401);
    expect((await client.get("/api/me")).status).toBe(200);
  });

  it("only counts next to its own session token", async () => {
    const a = await signup("student");
    const b = await signup("student");
    const mixed = new Client();
    mixed.cookie = `tutorly_session=${b.client.jar.get("tutorly_session")}; tutorly_cred=${a.client.jar.get("tutorly_cred")}`;
    // A's credential is ignored; the store answers for B's token.
    expect((await mixed.get("/api/me")).json.user.id).toBe(b.user.id);
  });

  it("cannot be forged: a credential that claims another role fails its signature and the store answers", async () => {
    const { client } = await signup("student");
    const [body, mac] = client.jar.get("tutorly_cred")!.split(".");
    const payload = JSON.parse(atob(body!.replace(/-/g, "+").replace(/_/g, "/")));
    payload.user.role = "admin";
    const forged = btoa(JSON.stringify(payload)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    client.jar.set("tutorly_cred", `${forged}.${mac}`);
    expect((await client.get("/api/admin/users")).status).toBe(403);
    expect((await client.get("/api/me")).json.user.role).toBe("student");
  });

  it("carries who the caller is and nothing more: no password hash in the cookie or in any answer about the account", async () => {
    const { client, user } = await signup("student");
    const signedIn = new Client();
    const login = await signedIn.post("/api/auth/login", { email: user.email, password: "correct horse battery" });
    expect(login.status).toBe(200);
    const fields = ["email", "emailVerified", "id", "locale", "name", "role", "timezone"];
    expect(Object.keys(login.json.user).sort()).toEqual(fields);
    const payload = JSON.parse(atob(signedIn.jar.get("tutorly_cred")!.split(".")[0]!.replace(/-/g, "+").replace(/_/g, "/")));
    expect(Object.keys(payload.user).sort()).toEqual(fields);
    expect(Object.keys((await client.get("/api/me/account")).json.user).sort()).toEqual(fields);
    expect(Object.keys((await client.request("PATCH", "/api/me", { name: "Renamed" })).json.user).sort()).toEqual(fields);
    const admin = await adminClient();
    // An admin also sees the account's standing.
    expect(Object.keys((await admin.post(`/api/admin/users/${user.id}/suspend`, { reason: "checking" })).json.user).sort()).toEqual([...fields, "status", "suspendedAt"].sort());
    expect(JSON.stringify((await admin.post(`/api/admin/users/${user.id}/restore`, {})).json)).not.toMatch(/pbkdf2|passwordHash/);
  });

  it("is not kept alive past its bound by editing the account: a revoked session's credential is not re-issued", async () => {
    const { client } = await signup("student");
    const thief = await agedCredential(client, 55_000);
    expect((await client.post("/api/me/sessions/revoke-all")).status).toBe(204);
    // Within the bound the edit is still the caller's; the credential it answers with keeps the old issue time.
    expect((await thief.request("PATCH", "/api/me", { name: "Still here" })).status).toBe(200);
    const [body] = thief.jar.get("tutorly_cred")!.split(".");
    const payload = JSON.parse(atob(body!.replace(/-/g, "+").replace(/_/g, "/")));
    expect(payload.user.name).toBe("Still here");
    expect(Date.now() - payload.iat).toBeGreaterThanOrEqual(55_000);
  });

  it("is not kept alive past its bound by a suspended account changing its password: no new session, and its messages closed to it", async () => {
    const tutor = await approvedTutor();
    const { client, user } = await signup("student");
    const convo = (await client.post("/api/conversations", { tutorId: tutor.user.id })).json.conversation.id as string;
    expect((await tutor.client.post(`/api/conversations/${convo}/messages`, { text: "hello from the tutor" })).status).toBe(201);
    let device = await later(client, 59_000);
    expect((await (await adminClient()).post(`/api/admin/users/${user.id}/suspend`, { reason: "harassing tutors" })).status).toBe(200);
    let password = "correct horse battery";
    const changes: number[] = [];
    // A minute at a time, each change made just inside the bound of the credential the one before it gave.
    for (let minute = 1; minute <= 3; minute++) {
      const next = `new password number ${minute}`;
      const changed = await device.post("/api/me/password", { current: password, password: next });
      changes.push(changed.status);
      if (changed.status === 200) password = next;
      device = await later(device, 59_000);
    }
    const read = await device.get(`/api/conversations/${convo}/messages`);
    const sessions = await env.DB.prepare("SELECT COUNT(*) AS n FROM auth_sessions WHERE user_id = ?").bind(user.id).first<{ n: number }>();
    expect({ changes, read: read.status, sessions: sessions?.n, password }).toEqual({ changes: [401, 401, 401], read: 401, sessions: 0, password: "correct horse battery" });
  });

  it("lets an account suspended inside its credential's minute neither erase itself nor move its address: the suspension stays for review", async () => {
    const { client, user } = await signup("student");
    const device = await later(client, 30_000);
    const before = await env.DB.prepare("SELECT name FROM users WHERE id = ?").bind(user.id).first<{ name: string }>();
    const admin = await adminClient();
    expect((await admin.post(`/api/admin/users/${user.id}/suspend`, { reason: "harassment" })).status).toBe(200);
    expect((await device.request("DELETE", "/api/me", { password: "correct horse battery" })).status).toBe(401);
    expect((await device.post("/api/me/email", { email: `moved-${user.id}@example.com`, password: "correct horse battery" })).status).toBe(401);
    const row = await env.DB.prepare("SELECT status, name, email FROM users WHERE id = ?").bind(user.id).first<{ status: string; name: string; email: string }>();
    expect(row).toEqual({ status: "suspended", name: before?.name, email: user.email });
    const mails = await env.DB.prepare("SELECT count(*) AS n FROM email_outbox WHERE to_email = ?").bind(`moved-${user.id}@example.com`).first<{ n: number }>();
    expect(mails?.n).toBe(0);
    // The admin can still restore what was suspended.
    expect((await admin.post(`/api/admin/users/${user.id}/restore`, {})).status).toBe(200);
  });

  it("opens no live socket for a revoked session, even with a credential still inside its bound", async () => {
    const { client } = await signup("student");
    const thief = await agedCredential(client, 30_000);
    expect((await client.post("/api/me/sessions/revoke-all")).status).toBe(204);
    const res = await exports.default.fetch(new Request(`${ORIGIN}/api/live`, { headers: { Upgrade: "websocket", Cookie: thief.cookie, Origin: ORIGIN } }));
    expect(res.status).toBe(401);
    expect(res.webSocket).toBeNull();
  });

  it("has no key outside local environments unless SESSION_SIGNING_KEY is set", () => {
    expect(() => signingSecret({ ...env, ENVIRONMENT: "production", SESSION_SIGNING_KEY: undefined })).toThrow(/SESSION_SIGNING_KEY/);
    expect(signingSecret({ ...env, ENVIRONMENT: "production", SESSION_SIGNING_KEY: "k".repeat(32) })).toBe("k".repeat(32));
  });
});
