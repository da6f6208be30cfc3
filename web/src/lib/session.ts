import { createResource, createRoot } from "solid-js";
import type { User } from "../../../domain/schemas/auth";
import { ApiFailure, api, call } from "./api";

/**
 * The signed-in user or null: `/api/auth/session` answers 200 for visitors too (no failed request logged).
 * Offline with no saved copy of it (web/src/sw/sw.ts), browse as a visitor until the network is back.
 */
async function fetchMe(): Promise<User | null> {
  try {
    return (await call(api.auth.session.$get())).user;
  } catch (e) {
    if (e instanceof ApiFailure && e.code === "network_error") return null;
    throw e;
  }
}

/** The signed-in user, shared by the whole app; `null` when signed out. */
export const session = createRoot(() => {
  const [user, { mutate, refetch }] = createResource(fetchMe);
  // Back online, ask again in the background: a refetch would suspend the page and remount it (a video call in
  // the room would end). Only an answer that changes who is signed in replaces the one shown.
  window.addEventListener("online", () => {
    void call(api.auth.session.$get())
      .then(({ user: fresh }) => {
        if (JSON.stringify(fresh) !== JSON.stringify(user.latest ?? null)) mutate(fresh);
      })
      .catch(() => undefined);
  });
  return {
    user,
    setUser: (u: User | null) => mutate(u),
    refresh: refetch,
    async logout() {
      await call(api.auth.logout.$post());
      mutate(null);
    },
  };
});

/** Where a user lands after signing in. */
export const homeFor = (u: User) => (u.role === "admin" ? "/admin" : "/dashboard");

/** Only same-site paths are followed after signing in or up. */
export const safeNext = (next: unknown) => (typeof next === "string" && next.startsWith("/") && !next.startsWith("//") ? next : undefined);

/** `/login` or `/signup` that come back to `next` afterwards. */
export const authLink = (page: "/login" | "/signup", next: string | undefined) => (next ? `${page}?next=${encodeURIComponent(next)}` : page);

// Where someone was going when a detour began (sign-up, the confirmation email opened in another tab, buying
// credit): kept in this browser so the detour's last page can offer the way back. A detour to buy credit also keeps
// what the picked time costs, so billing can tell whether the balance now covers it.
const RETURN_KEY = "tutorly.return";
const NEED_KEY = "tutorly.return.need";
export const returnTo = {
  remember(path: string | undefined, needMinutes?: number) {
    const safe = safeNext(path);
    if (!safe) return;
    localStorage.setItem(RETURN_KEY, safe);
    if (needMinutes !== undefined && Number.isInteger(needMinutes) && needMinutes > 0) localStorage.setItem(NEED_KEY, String(needMinutes));
    else localStorage.removeItem(NEED_KEY);
  },
  peek: () => safeNext(localStorage.getItem(RETURN_KEY)),
  /** The credit-minutes the time being returned to costs, when the detour was to buy credit for it. */
  need: (): number | undefined => {
    const n = Number(localStorage.getItem(NEED_KEY));
    return Number.isInteger(n) && n > 0 ? n : undefined;
  },
  forget: () => {
    localStorage.removeItem(RETURN_KEY);
    localStorage.removeItem(NEED_KEY);
  },
};
