import { env, exports } from "cloudflare:workers";
import { hashPassword } from "../../worker/lib/password";

export const ORIGIN = "http://localhost";

type Json = Record<string, unknown> | unknown[];

/** A tiny cookie-keeping client for one user against the Worker under test. */
export class Client {
  cookie = "";
  constructor(readonly origin = ORIGIN) {}

  async request(method: string, path: string, body?: Json | string, headers: Record<string, string> = {}) {
    const res = await exports.default.fetch(new Request(this.origin + path, {
      method,
      headers: {
        ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        ...(this.cookie ? { Cookie: this.cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    }));
    const setCookie = res.headers.get("Set-Cookie");
    if (setCookie) {
      const pair = setCookie.split(";")[0]!;
      this.cookie = pair.endsWith("=") ? "" : pair;
    }
    const text = await res.text();
    let json: any = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text };
  }
  get = (path: string, headers?: Record<string, string>) => this.request("GET", path, undefined, headers);
  post = (path: string, body?: Json | string, headers?: Record<string, string>) => this.request("POST", path, body ?? {}, headers);
  put = (path: string, body?: Json | string, headers?: Record<string, string>) => this.request("PUT", path, body ?? {}, headers);
}

let seq = 0;
export const uniqueEmail = (prefix = "user") => `${prefix}-${Date.now().toString(36)}-${++seq}@example.com`;

export async function signup(role: "student" | "tutor", overrides: Record<string, unknown> = {}) {
  const client = new Client();
  const res = await client.post("/api/auth/signup", {
    email: uniqueEmail(role),
    password: "correct horse battery",
    name: role === "tutor" ? "Test Tutor" : "Test Student",
    role,
    timezone: "Europe/Berlin",
    ...overrides,
  });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.text}`);
  return { client, user: res.json.user as { id: string; email: string; role: string } };
}

/** Signs in a freshly inserted admin (admins are never created through signup). */
export async function adminClient() {
  const email = uniqueEmail("admin");
  await env.DB.prepare("INSERT INTO users (id, email, name, role, timezone, password_hash) VALUES (?, ?, 'Admin', 'admin', 'UTC', ?)")
    .bind(crypto.randomUUID(), email, await hashPassword("admin password"))
    .run();
  const client = new Client();
  const res = await client.post("/api/auth/login", { email, password: "admin password" });
  if (res.status !== 200) throw new Error(res.text);
  return client;
}

