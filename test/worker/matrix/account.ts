import { expect } from "vitest";
import { type Persona, userOf } from "../scene";
import { type Row, all, signedIn } from "../surface";

const me = (p: Persona) => p !== "anonymous";

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
    who: { ...all("ok"), anonymous: "401:invalid_credentials" },
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
    effect: ({ s, p, res }) => expect(res.json.user?.id ?? null).toBe(me(p) ? userOf(s, p).id : null),
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
};
