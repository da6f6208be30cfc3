import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app";
import type { User } from "../../domain/schemas/auth";
import type { Role } from "../../domain/schemas/common";
import { ApiError } from "../lib/errors";
import { readSessionCookie, resolveSession } from "../features/auth/session";

/** Loads the signed-in user (if any) from the session cookie and slides its expiry. */
export const loadSession = createMiddleware<AppEnv>(async (c, next) => {
  const token = readSessionCookie(c);
  c.set("user", token ? await resolveSession(c, token) : undefined);
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

/** The signed-in user inside a route behind `requireRole`. */
export function currentUser(c: { get(key: "user"): User | undefined }): User {
  const user = c.get("user");
  if (!user) throw unauthenticated();
  return user;
}
