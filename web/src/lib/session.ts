import { createResource, createRoot } from "solid-js";
import type { User } from "../../../domain/schemas/auth";
import { api, call } from "./api";

/** The signed-in user or null: `/api/auth/session` answers 200 for visitors too (no failed request logged). */
const fetchMe = async (): Promise<User | null> => (await call(api.auth.session.$get())).user;

/** The signed-in user, shared by the whole app; `null` when signed out. */
export const session = createRoot(() => {
  const [user, { mutate, refetch }] = createResource(fetchMe);
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
