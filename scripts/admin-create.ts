/**
 * `npm run admin:create -- --env production --email ada@example.com [--name "Ada"] [--timezone Europe/London]`
 *
 * Creates the first admin of a deployment (signup offers student or tutor only): prompts for the password
 * (twice, not echoed), hashes it HERE with the Worker's own PBKDF2 format, and writes the account through
 * `wrangler d1 execute` — `--remote` for `--env staging|production`, or `--local` for the local database
 * (`--persist-to DIR` picks another local state directory). The password never leaves this machine; only its
 * hash is sent. For an address that already has an admin, the password is replaced (and a suspension lifted) in
 * the same statement that signs that admin out everywhere and voids their open reset links, as a password change in
 * the app does (whoever held the old password keeps nothing); an address that belongs to a student or tutor is refused. `--password-stdin` reads the password from
 * standard input instead of prompting (for scripts and tests).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { EmailSchema, NameSchema, PasswordSchema } from "../domain/schemas/auth";
import { TimeZoneSchema } from "../domain/schemas/common";
import { hashPassword } from "../worker/lib/password";

const { values } = parseArgs({
  options: {
    env: { type: "string" },
    local: { type: "boolean", default: false },
    "persist-to": { type: "string" },
    email: { type: "string" },
    name: { type: "string", default: "Admin" },
    timezone: { type: "string", default: "UTC" },
    "password-stdin": { type: "boolean", default: false },
  },
});

function fail(message: string): never {
  console.error(`admin:create: ${message}`);
  process.exit(1);
}

if (!values.local && !values.env) fail("say where: --env staging|production (remote) or --local");
if (values.local && values.env) fail("--local and --env do not go together");
const email = EmailSchema.safeParse(values.email ?? "");
if (!email.success) fail("--email needs a valid address");
const name = NameSchema.safeParse(values.name);
if (!name.success) fail("--name is not a valid name");
const timezone = TimeZoneSchema.safeParse(values.timezone);
if (!timezone.success) fail("--timezone needs an IANA zone like Europe/Berlin");

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    if (!stdin.isTTY) return reject(new Error("no terminal to prompt on: pass --password-stdin"));
    process.stdout.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    let typed = "";
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          process.stdout.write("\n");
          return resolve(typed);
        }
        if (ch === "\u0003") {
          stdin.setRawMode(false);
          process.stdout.write("\n");
          process.exit(130);
        }
        if (ch === "\u007f" || ch === "\b") typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on("data", onData);
  });
}

async function readStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, "");
}

async function askPassword(): Promise<string> {
  if (values["password-stdin"]) return readStdin();
  const first = await promptHidden("Password for the new admin: ");
  const again = await promptHidden("Again: ");
  if (first !== again) fail("the passwords differ");
  return first;
}

/** A SQL string literal (wrangler d1 execute takes no bound parameters). */
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

function wrangler(args: string[]): string {
  const target = values.local ? ["--local", ...(values["persist-to"] ? ["--persist-to", values["persist-to"]] : [])] : ["--remote", "--env", values.env!];
  const r = spawnSync("npx", ["wrangler", "d1", "execute", "DB", ...target, "--yes", ...args], { encoding: "utf8" });
  if (r.status !== 0) fail(`wrangler d1 execute failed:\n${r.stderr || r.stdout}`);
  return r.stdout;
}

const password = PasswordSchema.safeParse(await askPassword());
if (!password.success) fail(password.error.issues[0]?.message ?? "the password is not valid");

const found = JSON.parse(wrangler(["--json", "--command", `SELECT id, role FROM users WHERE email = ${lit(email.data)} AND email_verified_at IS NOT NULL`])) as { results: { id: string; role: string }[] }[];
const owner = found[0]?.results[0];
if (owner && owner.role !== "admin") fail(`${email.data} belongs to a ${owner.role} account; use another address`);

/**
 * Replaces an admin's password and ends what the old one opened, in the same SQL file `wrangler d1 execute` runs: every
 * signed-in session, every open password reset link, and every address confirmation but one for the account's own
 * address (worker/features/auth/tokens.ts `voidStaleTokens`, what a password change in the app voids).
 */
function replacePasswordSql(userId: string, hash: string, now: string): string {
  const id = lit(userId);
  return [
    `UPDATE users SET password_hash = ${lit(hash)}, status = 'active', suspended_at = NULL WHERE id = ${id};`,
    `DELETE FROM auth_sessions WHERE user_id = ${id};`,
    `UPDATE account_tokens SET used_at = ${lit(now)} WHERE user_id = ${id} AND used_at IS NULL AND (purpose = 'password_reset' OR (purpose = 'verify_email' AND email <> (SELECT email FROM users WHERE id = ${id})));`,
  ].join("\n");
}

const hash = await hashPassword(password.data);
const now = new Date().toISOString();
const sql = owner
  ? replacePasswordSql(owner.id, hash, now)
  : `INSERT INTO users (id, email, name, role, timezone, locale, password_hash, email_verified_at, status, created_at) VALUES (${lit(crypto.randomUUID())}, ${lit(email.data)}, ${lit(name.data)}, 'admin', ${lit(timezone.data)}, 'en', ${lit(hash)}, ${lit(now)}, 'active', ${lit(now)});`;
// Through a file, so the hash is not on any process list.
const dir = mkdtempSync(join(tmpdir(), "tutorly-admin-"));
try {
  const file = join(dir, "admin.sql");
  writeFileSync(file, sql, { mode: 0o600 });
  wrangler(["--file", file]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  owner ? `Admin ${email.data}: password replaced; signed out everywhere and open reset links voided.` : `Admin ${email.data} created. Sign in at /login.`,
);
