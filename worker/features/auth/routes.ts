import { LoginSchema, SignupSchema } from "../../../domain/schemas/auth";
import { newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { ApiError } from "../../lib/errors";
import { DUMMY_HASH, hashPassword, verifyPassword } from "../../lib/password";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { THROTTLE, clearFailures, createUser, findUserByEmail, recentFailures, recordFailure } from "./repo";
import { endSession, startSession } from "./session";

export const authRoutes = newApp()
  .post("/auth/signup", validate("json", SignupSchema), async (c) => {
    const input = c.req.valid("json");
    const { password, ...profile } = input;
    const user = await createUser(getDb(c.env), { ...profile, passwordHash: await hashPassword(password) });
    if (!user) throw new ApiError(409, "email_taken", "An account with this email already exists. Try logging in.");
    await startSession(c, user.id);
    return c.json({ user }, 201);
  })
  .post("/auth/login", validate("json", LoginSchema), async (c) => {
    const { email, password } = c.req.valid("json");
    const db = getDb(c.env);
    const now = new Date();
    if ((await recentFailures(db, email, now)) >= THROTTLE.maxFailures) {
      throw new ApiError(
        429,
        "too_many_attempts",
        `Too many failed attempts. Try again in ${THROTTLE.windowMinutes} minutes.`,
        undefined,
        { "Retry-After": String(THROTTLE.windowMinutes * 60) },
      );
    }
    const found = await findUserByEmail(db, email);
    // Verify against a dummy hash for unknown emails so timing does not reveal which accounts exist.
    const ok = await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH);
    if (!found || !ok) {
      await recordFailure(db, email, now);
      throw new ApiError(401, "invalid_credentials", "That email and password do not match an account.");
    }
    await clearFailures(db, email);
    await startSession(c, found.id);
    const { passwordHash: _, ...user } = found;
    return c.json({ user }, 200);
  })
  .post("/auth/logout", requireRole(), async (c) => {
    await endSession(c);
    return c.body(null, 204);
  })
  .get("/me", requireRole(), (c) => c.json({ user: currentUser(c) }, 200))
  /** Who is signed in, for anyone: `{user: null}` for a visitor (a 200, so a browser logs no failed request). */
  .get("/auth/session", (c) => c.json({ user: c.get("user") ?? null }, 200));
