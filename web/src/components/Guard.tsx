import { Navigate } from "@solidjs/router";
import { Match, Switch, type JSX } from "solid-js";
import type { Role } from "../../../domain/schemas/common";
import { session } from "../lib/session";
import { t } from "../i18n";

/** Renders its children only for a signed-in user with one of `roles`; otherwise sends them to log in. */
export function Guard(props: { roles?: Role[]; children: JSX.Element }) {
  return (
    <Switch>
      <Match when={session.user.loading}>
        <p class="muted" aria-live="polite">
          {t("core.app.loading")}
        </p>
      </Match>
      <Match when={session.user() === null}>
        <Navigate href={`/login?next=${encodeURIComponent(location.pathname)}`} />
      </Match>
      <Match when={session.user() && props.roles && !props.roles.includes(session.user()!.role)}>
        <div class="card narrow">
          <h1>{t("core.guard.title")}</h1>
          <p>{t("core.guard.body", { roles: props.roles!.map((r) => t(`core.roles.${r}`)).join(t("core.guard.or")) })}</p>
        </div>
      </Match>
      <Match when={session.user()}>{props.children}</Match>
    </Switch>
  );
}
