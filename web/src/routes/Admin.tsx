import { A, useParams } from "@solidjs/router";
import { For, Show, type Component, lazy } from "solid-js";
import { Dynamic } from "solid-js/web";

/** The console's sections, in nav order; each loads with its first visit. */
export const ADMIN_SECTIONS: { id: string; label: string; component: Component }[] = [
  { id: "", label: "Overview", component: lazy(() => import("./admin/Overview")) },
  { id: "users", label: "Users", component: lazy(() => import("./admin/Users")) },
  { id: "approvals", label: "Tutor approvals", component: lazy(() => import("./admin/Approvals")) },
  { id: "flagged", label: "Flagged tutors", component: lazy(() => import("./admin/Flagged")) },
  { id: "reports", label: "Reported conversations", component: lazy(() => import("./admin/Reports")) },
  { id: "bookings", label: "Bookings", component: lazy(() => import("./admin/Bookings")) },
  { id: "credits", label: "Credits", component: lazy(() => import("./admin/Credits")) },
  { id: "webhooks", label: "Webhooks", component: lazy(() => import("./admin/Webhooks")) },
  { id: "payouts", label: "Payouts", component: lazy(() => import("./admin/Payouts")) },
  { id: "rates", label: "Rates", component: lazy(() => import("./admin/Rates")) },
  { id: "finance", label: "Finance", component: lazy(() => import("./admin/Finance")) },
  { id: "health", label: "Health", component: lazy(() => import("./admin/Health")) },
  { id: "admins", label: "Admins", component: lazy(() => import("./admin/Admins")) },
  { id: "audit", label: "Audit log", component: lazy(() => import("./admin/Audit")) },
];

/** The admin console: one page per section, with a section nav that scrolls sideways on phones. */
export default function Admin() {
  const params = useParams<{ section?: string }>();
  const section = () => ADMIN_SECTIONS.find((s) => s.id === (params.section ?? ""));
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Admin console</h1>
          <p>People, tutors, bookings, credits, payments and payouts.</p>
        </div>
      </div>
      <nav class="subnav" aria-label="Admin sections">
        <For each={ADMIN_SECTIONS}>
          {(s) => (
            <A href={s.id ? `/admin/${s.id}` : "/admin"} end activeClass="active">
              {s.label}
            </A>
          )}
        </For>
      </nav>
      <Show
        when={section()}
        fallback={
          <div class="card">
            <p class="muted">There is no such section.</p>
          </div>
        }
      >
        {(s) => <Dynamic component={s().component} />}
      </Show>
    </>
  );
}
