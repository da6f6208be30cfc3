import { Show, createMemo, createResource, createSignal } from "solid-js";
import { ErrorAlert, Notice } from "../../components/Alert";
import { Button } from "../../components/Button";
import { DataTable } from "../../components/DataTable";
import { Section } from "../../components/Section";
import { approveTutor, fetchTutorsByApproval, fetchUsers } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { formatRate, subjectLabel } from "../../lib/format";
import { t } from "../../i18n";

type Waiting = Awaited<ReturnType<typeof fetchTutorsByApproval>>[number];

/**
 * Tutors waiting for approval; approving lists them in search (optimistic, put back on failure). A tutor whose email
 * is not confirmed is marked, so nobody is approved without the admin seeing it.
 */
export default function Approvals() {
  const [pending, { mutate }] = createResource(() => fetchTutorsByApproval("pending"));
  const [tutors] = createResource(() => fetchUsers({ role: "tutor" }));
  const unconfirmed = createMemo(() => new Set((tutors.latest ?? []).filter((u) => !u.emailVerifiedAt).map((u) => u.id)));
  const [busy, setBusy] = createSignal<string>();
  const [error, setError] = createSignal<string>();
  const [done, setDone] = createSignal<string>();
  const approve = async (w: Waiting) => {
    const before = pending.latest;
    setBusy(w.id);
    setError(undefined);
    setDone(undefined);
    mutate((list) => list?.filter((x) => x.id !== w.id));
    try {
      await approveTutor(w.id);
      setDone(t("admin.approvals.done", { name: w.name }));
    } catch (e) {
      mutate(before);
      setError(t("admin.approvals.failed", { name: w.name, reason: messageOf(e) }));
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <Section title={t("admin.approvals.title")} intro={t("admin.approvals.intro")}>
      <Notice message={done()} />
      <ErrorAlert message={error() ?? (pending.error ? messageOf(pending.error) : undefined)} />
      <DataTable
        rows={pending.latest}
        loading={pending.loading}
        empty={t("admin.approvals.none")}
        columns={[
          {
            head: t("admin.users.name"),
            cell: (w) => (
              <>
                {w.name}
                <Show when={unconfirmed().has(w.id)}>
                  <div>
                    <span class="badge warning">{t("admin.users.unconfirmed")}</span>
                  </div>
                </Show>
              </>
            ),
          },
          { head: t("admin.approvals.subjects"), cell: (w) => w.subjects.map(subjectLabel).join(", ") || "—" },
          { head: t("admin.approvals.rate"), class: "nowrap", cell: (w) => formatRate(w.hourlyRateCents) },
          { head: t("admin.users.zone"), cell: (w) => w.timezone.replace(/_/g, " ") },
          {
            head: t("admin.approvals.action"),
            hiddenHead: true,
            cell: (w) => (
              <Button small pending={busy() === w.id} disabled={!!busy()} onClick={() => approve(w)} aria-label={t("admin.approvals.approveName", { name: w.name })}>
                {t("admin.approvals.approve")}
              </Button>
            ),
          },
        ]}
      />
    </Section>
  );
}
