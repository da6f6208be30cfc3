import { A, useParams } from "@solidjs/router";
import { For, Show, type Component, lazy } from "solid-js";
import { Dynamic } from "solid-js/web";
import { type PlainKey, t } from "../i18n";

/** The console's sections, in nav order; each loads with its first visit. */
export const ADMIN_SECTIONS: { id: string; label: PlainKey; component: Component }[] = [
  { id: "", label: "admin.sections.overview", component: lazy(() => import("./admin/Overview")) },
  { id: "users", label: "admin.sections.users", component: lazy(() => import("./admin/Users")) },
  { id: "approvals", label: "admin.sections.approvals", component: lazy(() => import("./admin/Approvals")) },
  { id: "flagged", label: "admin.sections.flagged", component: lazy(() => import("./admin/Flagged")) },
  { id: "reports", label: "admin.sections.reports", component: lazy(() => import("./admin/Reports")) },
  { id: "bookings", label: "admin.sections.bookings", component: lazy(() => import("./admin/Bookings")) },
  { id: "credits", label: "admin.sections.credits", component: lazy(() => import("./admin/Credits")) },
  { id: "webhooks", label: "admin.sections.webhooks", component: lazy(() => import("./admin/Webhooks")) },
  { id: "payouts", label: "admin.sections.payouts", component: lazy(() => import("./admin/Payouts")) },
  { id: "rates", label: "admin.sections.rates", component: lazy(() => import("./admin/Rates")) },
  { id: "finance", label: "admin.sections.finance", component: lazy(() => import("./admin/Finance")) },
  { id: "disputes", label: "admin.sections.disputes", component: lazy(() => import("./admin/Disputes")) },
  { id: "health", label: "admin.sections.health", component: lazy(() => import("./admin/Health")) },
  { id: "admins", label: "admin.sections.admins", component: lazy(() => import("./admin/Admins")) },
  { id: "audit", label: "admin.sections.audit", component: lazy(() => import("./admin/Audit")) },
];

/** The admin console: one page per section, with a section nav that scrolls sideways on phones. */
export default function Admin() {
  const params = useParams<{ section?: string }>();
  const section = () => ADMIN_SECTIONS.find((s) => s.id === (params.section ?? ""));
  return (
    <>
      <div class="page-head">
        <div>
          <h1>{t("admin.console.title")}</h1>
          <p>{t("admin.console.intro")}</p>
        </div>
      </div>
      <nav class="subnav" aria-label={t("admin.console.sections")}>
        <For each={ADMIN_SECTIONS}>
          {(s) => (
            <A href={s.id ? `/admin/${s.id}` : "/admin"} end activeClass="active">
              {t(s.label)}
            </A>
          )}
        </For>
      </nav>
      <Show
        when={section()}
        fallback={
          <div class="card">
            <p class="muted">{t("admin.console.noSection")}</p>
          </div>
        }
      >
        {(s) => <Dynamic component={s().component} />}
      </Show>
    </>
  );
}
