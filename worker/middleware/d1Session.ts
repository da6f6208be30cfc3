import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app";

/** Where a user's last-seen database state travels: a cookie for the SPA, a header for other clients. */
export const BOOKMARK_COOKIE = "tutorly_d1";
export const BOOKMARK_HEADER = "x-d1-bookmark";
const BOOKMARK = /^[0-9A-Za-z-]{1,128}$/;

const isLocalhost = (c: Context<AppEnv>) => {
  const { hostname, protocol } = new URL(c.req.url);
  return protocol === "http:" && (hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]");
};

/**
 * Every D1 query of a request goes through one D1 session (the Sessions API: read replication). Reads may be served
 * by a replica, but never one older than the caller's bookmark, so a user always reads their own writes; writes go
 * to the primary. A request with no bookmark reads unconstrained (GET) or starts at the primary (anything that may
 * write, so read-then-write checks see the latest). The session's newest bookmark goes back with the answer.
 *
 * Routes keep calling `getDb(c.env)` / `c.env.DB`: the binding is swapped for the session for this request only.
 */
export const d1Session = createMiddleware<AppEnv>(async (c, next) => {
  const given = c.req.header(BOOKMARK_HEADER) ?? getCookie(c, BOOKMARK_COOKIE);
  const bookmark = given && BOOKMARK.test(given) ? given : undefined;
  const readOnly = c.req.method === "GET" || c.req.method === "HEAD";
  const primary = c.env.DB;
  const session = open(primary, bookmark ?? (readOnly ? "first-unconstrained" : "first-primary"));
  c.env = { ...c.env, DB: asDatabase(session, primary) };
  await next();
  const latest = session.getBookmark();
  // A WebSocket upgrade's 101 comes from an object with headers that cannot change; the next request carries it.
  if (!latest || latest === bookmark || c.res.status === 101) return;
  c.header(BOOKMARK_HEADER, latest);
  setCookie(c, BOOKMARK_COOKIE, latest, { httpOnly: true, sameSite: "Lax", secure: !isLocalhost(c), path: "/api" });
});

/**
 * For readers with no user (calendar apps polling a feed): any replica will do, and there is no bookmark to carry —
 * a feed shows the projection as the nearest replica has it, at most a moment behind.
 */
export const d1AnyReplica = createMiddleware<AppEnv>(async (c, next) => {
  c.env = { ...c.env, DB: asDatabase(open(c.env.DB, "first-unconstrained"), c.env.DB) };
  await next();
});

/** A session at `constraint`, or at the primary when D1 refuses it (a bookmark it does not know). */
function open(db: D1Database, constraint: string): D1DatabaseSession {
  try {
    return db.withSession(constraint);
  } catch {
    return db.withSession("first-primary");
  }
}

/** The session seen as the `DB` binding drizzle and the routes use (statements and batches run in the session). */
function asDatabase(session: D1DatabaseSession, primary: D1Database): D1Database {
  return {
    prepare: (query) => session.prepare(query),
    batch: (statements) => session.batch(statements),
    exec: (query) => primary.exec(query),
    dump: () => primary.dump(),
    withSession: (constraint) => primary.withSession(constraint),
  };
}
