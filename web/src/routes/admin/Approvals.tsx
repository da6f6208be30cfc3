import { createResource, createSignal } from "solid-js";
import { ErrorAlert, Notice } from "../../components/Alert";
import { Button } from "../../components/Button";
import { DataTable } from "../../components/DataTable";
import { Section } from "../../components/Section";
import { approveTutor, fetchTutorsByApproval } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { formatRate, subjectLabel } from "../../lib/format";

type Waiting = Awaited<ReturnType<typeof fetchTutorsByApproval>>[number];

/** Tutors waiting for approval; approving lists them in search (optimistic, put back on failure). */
export default function Approvals() {
  const [pending, { mutate }] = createResource(() => fetchTutorsByApproval("pending"));
  const [busy, setBusy] = createSignal<string>();
  const [error, setError] = createSignal<string>();
  const [done, setDone] = createSignal<string>();
  const approve = async (t: Waiting) => {
    const before = pending.latest;
    setBusy(t.id);
    setError(undefined);
    setDone(undefined);
    mutate((list) => list?.filter((x) => x.id !== t.id));
    try {
      await approveTutor(t.id);
      setDone(`${t.name} is approved and now listed in search.`);
    } catch (e) {
      mutate(before);
      setError(`Couldn't approve ${t.name}: ${messageOf(e)}`);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <Section title="Tutors waiting for approval" intro="Students can find and book a tutor only after approval.">
      <Notice message={done()} />
      <ErrorAlert message={error() ?? (pending.error ? messageOf(pending.error) : undefined)} />
      <DataTable
        rows={pending.latest}
        loading={pending.loading}
        empty="No tutors are waiting."
        columns={[
          { head: "Name", cell: (t) => t.name },
          { head: "Subjects", cell: (t) => t.subjects.map(subjectLabel).join(", ") || "—" },
          { head: "Rate", class: "nowrap", cell: (t) => formatRate(t.hourlyRateCents) },
          { head: "Zone", cell: (t) => t.timezone.replace(/_/g, " ") },
          {
            head: "Action",
            hiddenHead: true,
            cell: (t) => (
              <Button small pending={busy() === t.id} disabled={!!busy()} onClick={() => approve(t)} aria-label={`Approve ${t.name}`}>
                Approve
              </Button>
            ),
          },
        ]}
      />
    </Section>
  );
}
