import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePasswordHash, verifyPassword } from "../../worker/lib/password";

/** `npm run admin:create` against a fresh local D1 (its own state directory), the password on stdin. */
const state = mkdtempSync(join(tmpdir(), "tutorly-admin-create-"));
const env = { ...process.env, WRANGLER_SEND_METRICS: "false" };
const createAdmin = (args: string[], password: string) =>
  spawnSync("npx", ["tsx", "scripts/admin-create.ts", "--local", "--persist-to", state, "--password-stdin", ...args], { input: `${password}\n`, encoding: "utf8", env });
const query = (sql: string) => {
  const r = spawnSync("npx", ["wrangler", "d1", "execute", "DB", "--local", "--persist-to", state, "--json", "--command", sql], { encoding: "utf8", env });
  if (r.status !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout) as { results: Record<string, unknown>[] }[])[0]!.results;
};

beforeAll(() => {
  const r = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state], { encoding: "utf8", env });
  if (r.status !== 0) throw new Error(r.stderr || r.stdout);
});
afterAll(() => rmSync(state, { recursive: true, force: true }));

describe("npm run admin:create (local database)", () => {
  it("creates a verified admin whose password hash the Worker verifies", async () => {
    const r = createAdmin(["--email", "Boss@Example.com", "--name", "Grace Hopper", "--timezone", "America/New_York"], "first admin password");
    expect(r.status, r.stderr).toBe(0);
    const [row] = query("SELECT role, name, timezone, status, email_verified_at, password_hash FROM users WHERE email = 'boss@example.com'");
    expect(row).toMatchObject({ role: "admin", name: "Grace Hopper", timezone: "America/New_York", status: "active" });
    expect(row!.email_verified_at).toEqual(expect.any(String));
    const hash = String(row!.password_hash);
    expect(parsePasswordHash(hash)!.iterations).toBe(100_000);
    expect(await verifyPassword("first admin password", hash)).toBe(true);
  });

  it("replaces the password of an existing admin instead of creating a second one", async () => {
    expect(createAdmin(["--email", "boss@example.com"], "a replaced password").status).toBe(0);
    const rows = query("SELECT password_hash FROM users WHERE email = 'boss@example.com'");
    expect(rows).toHaveLength(1);
    expect(await verifyPassword("a replaced password", String(rows[0]!.password_hash))).toBe(true);
  });

  it("signs the admin out everywhere and voids open reset links when it replaces the password", async () => {
    const [admin] = query("SELECT id FROM users WHERE email = 'boss@example.com'");
    const id = String(admin!.id);
    const now = new Date().toISOString();
    const later = new Date(Date.now() + 3_600_000).toISOString();
    query(`INSERT INTO auth_sessions (token_hash, id, user_id, created_at, expires_at) VALUES ('stolen-session', 'stolen-session', '${id}', '${now}', '${later}')`);
    query(`INSERT INTO account_tokens (token_hash, user_id, purpose, email, created_at, expires_at) VALUES ('open-reset', '${id}', 'password_reset', 'boss@example.com', '${now}', '${later}')`);
    const r = createAdmin(["--email", "boss@example.com"], "a third password");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/signed out/);
    const left = {
      sessions: query(`SELECT id FROM auth_sessions WHERE user_id = '${id}'`).length,
      openResets: query(`SELECT token_hash FROM account_tokens WHERE user_id = '${id}' AND purpose = 'password_reset' AND used_at IS NULL`).length,
    };
    expect(left).toEqual({ sessions: 0, openResets: 0 });
  });

  it("refuses an address of a student or tutor, a short password and a missing target", () => {
    query("INSERT INTO users (id, email, name, role, timezone, password_hash, email_verified_at) VALUES ('s1', 'kid@example.com', 'Kid', 'student', 'UTC', 'x', '2026-01-01T00:00:00Z')");
    const taken = createAdmin(["--email", "kid@example.com"], "long enough password");
    expect(taken.status).toBe(1);
    expect(taken.stderr).toMatch(/belongs to a student account/);
    expect(createAdmin(["--email", "new@example.com"], "short").status).toBe(1);
    const nowhere = spawnSync("npx", ["tsx", "scripts/admin-create.ts", "--email", "x@example.com", "--password-stdin"], { input: "long enough password\n", encoding: "utf8", env });
    expect(nowhere.status).toBe(1);
    expect(nowhere.stderr).toMatch(/--env staging\|production \(remote\) or --local/);
  });
});
