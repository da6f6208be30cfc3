import { Hono } from "hono";
import type { User } from "../domain/schemas/auth";

export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** Set by the session middleware when the caller is signed in. */
    user: User | undefined;
    /** The public id of the caller's session (this device), when signed in. */
    sessionId: string | undefined;
    /** When the caller's session was last checked against the session store (their credential's issue time). */
    checkedAt: number | undefined;
  };
};

/** A sub-app for one feature; `worker/index.ts` mounts them all. */
export const newApp = () => new Hono<AppEnv>();
