import { useSearchParams } from "@solidjs/router";
import { createResource, createSignal } from "solid-js";
import { ErrorAlert } from "../../components/Alert";
import { DataTable } from "../../components/DataTable";
import { Section } from "../../components/Section";
import { type AuditEntry, fetchAudit } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { session } from "../../lib/session";
import { zoneLabel } from "../../lib/time";
import { formatDateTimeYear } from "../../components/admin/dates";
import { OlderNewer } from "../../components/admin/OlderNewer";
import { isPlainKey, t } from "../../i18n";

/** An action in the admin's language (test/worker/auditActions.test.ts keeps the catalog complete); "Users: suspend" from the name otherwise. */
const actionLabel = (a: string) => {
  const key = `admin.audit.actions.${a.replace(/[.-]/g, "_")}`;
  return isPlainKey(key) ? t(key) : actionName(a);
};

/** "users.suspend" → "Users: suspend". */
const actionName = (a: string) => {
  const [first, ...rest] = a.split(".");
  const head = (first ?? a).replace(/-/g, " ");
  return `${head[0]!.toUpperCase()}${head.slice(1)}${rest.length ? `: ${rest.join(" ").replace(/-/g, " ")}` : ""}`;
};

/** Every admin action, newest first: who did what to which record, and with what. Filter by record with ?target=. */
export default function Audit() {
  const [params] = useSearchParams<{ target?: string }>();
  const [before, setBefore] = createSignal<string>();
  const [page] = createResource(() => ({ before: before(), targetId: params.target }), fetchAudit);
  const zone = () => session.user()?.timezone ?? "UTC";
  return (
    <Section title={t("admin.sections.audit")} intro={t("admin.audit.intro", { zone: zoneLabel(zone()) })}>
      <ErrorAlert message={page.error ? t("admin.audit.loadFailed", { reason: messageOf(page.error) }) : undefined} />
      <DataTable
        rows={page.latest?.entries}
        stale={page.loading}
        empty={t("admin.audit.none")}
        columns={[
          { head: t("admin.bookings.when"), class: "small nowrap", cell: (e: AuditEntry) => formatDateTimeYear(e.at, zone()) },
          { head: t("admin.audit.admin"), cell: (e: AuditEntry) => <span title={e.actor.email}>{e.actor.name || e.actor.email}</span> },
          { head: t("admin.approvals.action"), cell: (e: AuditEntry) => actionLabel(e.action) },
          { head: t("admin.audit.record"), class: "small break", cell: (e: AuditEntry) => e.targetName ?? e.targetId ?? "—" },
          { head: t("admin.audit.details"), class: "small break", hideOnPhone: true, cell: (e: AuditEntry) => <code>{e.detail ?? ""}</code> },
        ]}
      />
      <OlderNewer before={before} next={page.latest?.next} loading={page.loading} onPage={setBefore} newest={t("admin.audit.newest")} older={t("admin.audit.older")} />
    </Section>
  );
}
