import { For, Show, createResource, createSignal } from "solid-js";
import { Button, ErrorAlert } from "../../components/Button";
import { approveTutor, fetchTutorsByApproval } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { formatRate, subjectLabel } from "../../lib/format";

/** Tutors waiting for approval; approving lists them in search (optimistic, put back on failure). */
export default function Approvals() {
  const [pending, { mutate }] = createResource(() => fetchTutorsByApproval("pending"));
  const [busy, setBusy] = createSignal<string>();
  const [error, setError] = createSignal<string>();
  const [done, setDone] = createSignal<string>();
  const approve = async (id: string, name: string) => {
    const before = pending.latest;
    setBusy(id);
    setError(undefined);
    setDone(undefined);
    mutate((list) => list?.filter((t) => t.id !== id));
    try {
      await approveTutor(id);
      setDone(`${name} is approved and now listed in search.`);
    } catch (e) {
      mutate(before);
      setError(`Couldn't approve ${name}: ${messageOf(e)}`);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <section class="card" aria-labelledby="approvals-title">
      <h2 id="approvals-title">Tutors waiting for approval</h2>
      <p class="small muted">Students can find and book a tutor only after approval.</p>
      <Show when={done()}>
        <div class="alert success" role="status">
          {done()}
        </div>
      </Show>
      <ErrorAlert message={error() ?? (pending.error ? messageOf(pending.error) : undefined)} />
      <Show when={pending.latest?.length} fallback={<p class="empty">{pending.loading ? "Loading…" : "No tutors are waiting."}</p>}>
        <div class="table-wrap">
          <table class="table stack-sm">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Subjects</th>
                <th scope="col">Rate</th>
                <th scope="col">Zone</th>
                <th scope="col">
                  <span class="sr-only">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={pending.latest}>
                {(t) => (
                  <tr>
                    <td>{t.name}</td>
                    <td>{t.subjects.map(subjectLabel).join(", ") || "—"}</td>
                    <td class="nowrap">{formatRate(t.hourlyRateCents)}</td>
                    <td>{t.timezone.replace(/_/g, " ")}</td>
                    <td>
                      <Button small pending={busy() === t.id} disabled={!!busy()} onClick={() => approve(t.id, t.name)} aria-label={`Approve ${t.name}`}>
                        Approve
                      </Button>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  );
}
