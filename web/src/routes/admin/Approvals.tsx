import { createResource, createSignal } from "solid-js";
import { ErrorAlert, Notice } from "../../components/Alert";
import { Button } from "../../components/Button";
import { DataTable } from "../../components/DataTable";
import { Section } from "../../components/Section";
import { approveTutor, fetchTutorsByApproval } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { formatRate, subjectLabel } from "../../lib/format";
import { t } from "../../i18n";

type Waiting = Awaited<ReturnType<typeof fetchTutorsByApproval>>[number];

/** Tutors waiting for approval; approving lists them in search (optimistic, put back on failure). */
export default function Approvals() {
  const [pending, { mutate }] = createResource(() => fetchTutorsByApproval("pending"));
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
          { head: t("admin.users.name"), cell: (w) => w.name },
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
