import { Navigate } from "@solidjs/router";
import { Match, Switch, type JSX } from "solid-js";
import type { Role } from "../../../domain/schemas/common";
import { session } from "../lib/session";

/** Renders its children only for a signed-in user with one of `roles`; otherwise sends them to log in. */
export function Guard(props: { roles?: Role[]; children: JSX.Element }) {
  return (
    <Switch>
      <Match when={session.user.loading}>
        <p class="muted" aria-live="polite">
          Loading…
        </p>
      </Match>
      <Match when={session.user() === null}>
        <Navigate href={`/login?next=${encodeURIComponent(location.pathname)}`} />
      </Match>
      <Match when={session.user() && props.roles && !props.roles.includes(session.user()!.role)}>
        <div class="card narrow">
          <h1>Not available</h1>
          <p>This page is for {props.roles!.join(" or ")} accounts.</p>
        </div>
      </Match>
      <Match when={session.user()}>{props.children}</Match>
    </Switch>
  );
}
