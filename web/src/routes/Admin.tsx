import { For, Show, createResource, createSignal } from "solid-js";
import { Button, ErrorAlert } from "../components/Button";
import { api, call, messageOf } from "../lib/api";

const fetchPending = async () => (await call(api.admin.tutors.$get({ query: { status: "pending" } }))).tutors;

export default function Admin() {
  const [pending, { mutate }] = createResource(fetchPending);
  const [busy, setBusy] = createSignal<string>();
  const [error, setError] = createSignal<string>();
  const approve = async (id: string) => {
    setBusy(id);
    setError(undefined);
    try {
      await call(api.admin.tutors[":id"].approve.$post({ param: { id } }));
      mutate((list) => list?.filter((t) => t.id !== id));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Admin console</h1>
          <p>Approve tutors before students can find and book them.</p>
        </div>
      </div>
      <ErrorAlert message={error() ?? pending.error?.message} />
      <div class="card">
        <h2>Tutors waiting for approval</h2>
        <Show when={pending()?.length} fallback={<p class="empty">{pending.loading ? "Loading…" : "No tutors are waiting."}</p>}>
          <div class="table-wrap">
            <table class="table">
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
                <For each={pending()}>
                  {(t) => (
                    <tr>
                      <td>{t.name}</td>
                      <td>{t.subjects.join(", ") || "—"}</td>
                      <td>${(t.hourlyRateCents / 100).toFixed(0)}/h</td>
                      <td>{t.timezone}</td>
                      <td>
                        <Button small pending={busy() === t.id} onClick={() => approve(t.id)} aria-label={`Approve ${t.name}`}>
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
      </div>
    </>
  );
}
