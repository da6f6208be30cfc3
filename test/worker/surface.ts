import { exports } from "cloudflare:workers";
import { app } from "../../worker/index";
import type { Client } from "./helpers";
import { PERSONAS, type Persona, STUDENTS, type Scene, TUTORS } from "./scene";

/** Every route the app serves, from its own route table ("METHOD /path"), minus middleware-only registrations. */
export function routeTable(): string[] {
  const seen = new Set<string>();
  for (const r of app.routes) {
    if (r.method === "ALL" || r.path.includes("*")) continue;
    seen.add(`${r.method} ${r.path}`);
  }
  return [...seen];
}

/** Fills a route's path parameters. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? "unknown-id"));
}

// ───────────────────────── the authorization matrix, as data ─────────────────────────

/**
 * What a persona gets from a route: "ok" — a 2xx whose `effect` holds (the record changed, the body has what
 * was asked); "101" — a real WebSocket upgrade; a status; or "status:code" (status and the envelope's code).
 */
export type Expect = "ok" | "101" | 400 | 401 | 403 | 404 | 409 | 426 | `${number}:${string}`;
export type Who = Record<Persona, Expect>;
export type Res = { status: number; json: any; text: string; headers: Headers; socket?: { first: unknown } };
export type Call = { query?: string; body?: unknown; headers?: Record<string, string | null> };
export type Ctx = { s: Scene; p: Persona; params: Record<string, string>; call: Call; res: Res; client: Client };

export type Row = {
  who: Who;
  /** Path parameters for a persona (a fresh record when the call changes it); default `defaultParams`. */
  params?: (s: Scene, p: Persona) => Record<string, string> | Promise<Record<string, string>>;
  /** What a persona sends; default nothing (GET) or `{}`. */
  request?: (s: Scene, p: Persona, params: Record<string, string>) => Call | Promise<Call>;
  /** Checked on every "ok" (and "101") answer: what the call did. Required when any persona is "ok". */
  effect?: (c: Ctx) => void | Promise<void>;
  /** A WebSocket upgrade rather than a request. */
  socket?: boolean;
  /** Who calls: the persona's own session (default), a fresh anonymous client (sign-up, log-in) or a new session of the persona (log-out). */
  client?: "own" | "fresh" | "ownSession";
  /** Runs after the other rows (it changes what they rely on). */
  late?: boolean;
};

/** Visitors, and a suspended user whose session ended with the suspension. */
const SIGNED_OUT: Persona[] = ["anonymous", "suspended"];

/** Everyone gets `e` (a public route: a suspended user's dead session makes them a visitor). */
export const all = (e: Expect): Who => Object.fromEntries(PERSONAS.map((p) => [p, e])) as Who;
/** Everyone signed in gets `e` (default "ok"); visitors 401. */
export const signedIn = (e: Expect = "ok"): Who => Object.fromEntries(PERSONAS.map((p) => [p, SIGNED_OUT.includes(p) ? 401 : e])) as Who;
/** Only these personas get `e` (default "ok"); other signed-in callers 403, visitors 401. */
export const only = (who: Persona[], e: Expect = "ok"): Who =>
  Object.fromEntries(PERSONAS.map((p) => [p, SIGNED_OUT.includes(p) ? 401 : who.includes(p) ? e : 403])) as Who;
export const students = (e: Expect = "ok") => only(STUDENTS, e);
export const tutors = (e: Expect = "ok") => only(TUTORS, e);
export const admins = (e: Expect = "ok") => only(["admin"], e);
/**
 * A record belonging to `owners`: they get "ok", other signed-in callers 404 (its existence does not leak),
 * visitors 401; `extra` overrides cells.
 */
export const theirs = (owners: Persona[], extra: Partial<Who> = {}): Who => ({
  ...(Object.fromEntries(PERSONAS.map((p) => [p, SIGNED_OUT.includes(p) ? 401 : owners.includes(p) ? "ok" : 404])) as Who),
  ...extra,
});

/** The record a route's `:id` names unless its row says otherwise. */
export function defaultParams(s: Scene, path: string): Record<string, string> {
  const id = path.startsWith("/api/bookings/") || path.startsWith("/api/admin/bookings/") || path.startsWith("/api/dev/bookings/")
    ? s.ids.group
    : path.startsWith("/api/admin/conversations/reports/")
      ? s.ids.report
      : path.startsWith("/api/conversations/") || path.startsWith("/api/admin/conversations/")
        ? s.ids.conversation
        : path.startsWith("/api/offers/")
          ? s.ids.offer
          : path.startsWith("/api/series/")
            ? s.ids.series
            : s.users.tutor.id;
  return { id, userId: s.users.student.id };
}

/** A WebSocket upgrade as a browser on our page sends it; a 101 is accepted, its first message kept, and closed. */
export async function upgrade(client: Client, path: string, headers: Record<string, string | null> = {}): Promise<Res> {
  const all: Record<string, string | null> = { Upgrade: "websocket", Origin: client.origin, "CF-Connecting-IP": client.address, ...(client.cookie ? { Cookie: client.cookie } : {}), ...headers };
  const res = await exports.default.fetch(new Request(client.origin + path, { headers: Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== null)) }));
  const ws = res.webSocket;
  if (!ws) {
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, headers: res.headers };
  }
  ws.accept();
  const first = await new Promise<unknown>((resolve) => {
    ws.addEventListener("message", (e) => resolve(JSON.parse(String(e.data))), { once: true });
    setTimeout(() => resolve(undefined), 5_000);
  });
  ws.close(1000, "matrix");
  return { status: res.status, json: undefined, text: "", headers: res.headers, socket: { first } };
}
