import { env } from "cloudflare:workers";

let seq = 0;

/** Calls a control route of the Calendly wire fake (test/fakes/calendly.ts). */
export async function calendlyFake(path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${env.CALENDLY_API_BASE}${path}`, { method: body === undefined ? "GET" : "POST", body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}

/** A fresh Calendly user the fake knows, with the personal access token that proves it. */
export async function calendlyUser(name = "Ana Calendly") {
  const id = `U${Date.now().toString(36).toUpperCase()}${++seq}${crypto.randomUUID().slice(0, 6).toUpperCase()}`;
  const user = { token: `pat_${crypto.randomUUID()}${crypto.randomUUID()}`, uri: `https://api.calendly.com/users/${id}`, name };
  await calendlyFake("/__users", user);
  return user;
}
