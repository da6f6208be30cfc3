import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app";
import type { User } from "../../domain/schemas/auth";
import type { Role } from "../../domain/schemas/common";
import { ApiError } from "../lib/errors";
import { resolveSession } from "../features/auth/session";

/**
 * Loads the signed-in user (if any): from the signed credential when it is fresh (no read), otherwise (and always
 * for an admin) from the session store, which slides the session's expiry and signs a new credential.
 */
export const loadSession = createMiddleware<AppEnv>(async (c, next) => {
  // An admin is checked against the session store on every request: a suspended admin acts on nothing, not even
  // for the credential's 60 s (admin requests are few; everyone else's need no read).
  const signedIn = await resolveSession(c, Date.now(), { recheck: (user) => user.role === "admin" });
  c.set("user", signedIn?.user);
  c.set("sessionId", signedIn?.sessionId);
  c.set("checkedAt", signedIn?.checkedAt);
  await next();
});

export const unauthenticated = () => new ApiError(401, "unauthenticated", "Sign in to continue.");

/** Guards a route: 401 when signed out, 403 when the caller's role is not one of `roles`. */
export const requireRole = (...roles: Role[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const user = c.get("user");
    if (!user) throw unauthenticated();
    if (roles.length && !roles.includes(user.role)) {
      throw new ApiError(403, "forbidden", `This is only for ${roles.join(" or ")} accounts.`);
    }
    await next();
  });

/** The signed-in user's session id inside a route behind `requireRole`. */
export function currentSessionId(c: { get(key: "sessionId"): string | undefined }): string {
  const id = c.get("sessionId");
  if (!id) throw unauthenticated();
  return id;
}

/** The signed-in user inside a route behind `requireRole`. */
export function currentUser(c: { get(key: "user"): User | undefined }): User {
  const user = c.get("user");
  if (!user) throw unauthenticated();
  return user;
}
