import { For, Show, createResource, createSignal } from "solid-js";
import { Button, ErrorAlert } from "../../components/Button";
import { fetchPayouts, runPayoutsNow } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { formatMoney } from "../../lib/format";
import { formatDateTime } from "../../lib/time";

const TONE: Record<string, string> = { pending: "warning", paid: "success", failed: "danger" };

/** What each tutor is owed, recent payouts, and a button for the weekly run now. */
export default function Payouts() {
  const [view, { refetch }] = createResource(fetchPayouts);
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [done, setDone] = createSignal<string>();
  const run = async () => {
    setPending(true);
    setError(undefined);
    setDone(undefined);
    try {
      const r = await runPayoutsNow();
      setDone(`Payout run finished: ${r.paid} paid, ${r.failed} failed.`);
      void refetch();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setPending(false);
    }
  };
  const owed = () => (view.latest?.unpaid ?? []).reduce((s, u) => s + Number(u.amountCents), 0);
  return (
    <div class="stack">
      <section class="card" aria-labelledby="unpaid-title">
        <div class="row">
          <div class="grow">
            <h2 id="unpaid-title">Unpaid earnings</h2>
            <p class="small muted">Payouts run every Monday; tutors without an enabled payout account wait until they finish onboarding.</p>
          </div>
          <Button pending={pending()} onClick={run}>
            {pending() ? "Running…" : "Run payouts now"}
          </Button>
        </div>
        <Show when={done()}>
          <div class="alert success" role="status">
            {done()}
          </div>
        </Show>
        <ErrorAlert message={error() ?? (view.error ? `Couldn't load payouts: ${messageOf(view.error)}` : undefined)} />
        <Show when={view.latest?.unpaid.length} fallback={<p class="empty">{view.loading ? "Loading…" : "Nothing is owed right now."}</p>}>
          <p class="stat" data-testid="owed-total">
            {formatMoney(owed())}
          </p>
          <div class="table-wrap">
            <table class="table stack-sm">
              <thead>
                <tr>
                  <th scope="col">Tutor</th>
                  <th scope="col">Sessions</th>
                  <th scope="col">Amount</th>
                  <th scope="col">Payout account</th>
                </tr>
              </thead>
              <tbody>
                <For each={view.latest!.unpaid}>
                  {(u) => (
                    <tr>
                      <td>{u.tutorName ?? u.tutorId}</td>
                      <td data-label="Sessions">{u.sessions}</td>
                      <td class="nowrap" data-label="Amount">{formatMoney(Number(u.amountCents))}</td>
                      <td>
                        <span class={`badge ${u.payoutsEnabled ? "success" : "warning"}`}>{u.payoutsEnabled ? "Enabled" : "Not set up"}</span>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
      </section>
      <section class="card" aria-labelledby="recent-title">
        <h2 id="recent-title">Recent payouts</h2>
        <Show when={view.latest?.payouts.length} fallback={<p class="empty">{view.loading ? "Loading…" : "No payouts yet."}</p>}>
          <div class="table-wrap">
            <table class="table stack-sm">
              <thead>
                <tr>
                  <th scope="col">Created (UTC)</th>
                  <th scope="col">Tutor</th>
                  <th scope="col">Amount</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                <For each={view.latest!.payouts}>
                  {(p) => (
                    <tr>
                      <td class="nowrap small" data-label="Created">{formatDateTime(p.createdAt, "UTC")}</td>
                      <td>{p.tutorName ?? p.tutorId}</td>
                      <td class="nowrap">{formatMoney(p.amountCents, p.currency)}</td>
                      <td>
                        <span class={`badge ${TONE[p.status] ?? ""}`}>{p.status}</span>
                        <Show when={p.attempts > 1}>
                          <span class="small muted"> · {p.attempts} attempts</span>
                        </Show>
                        <Show when={p.error}>
                          <div class="small danger-text">{p.error}</div>
                        </Show>
                        <Show when={p.transferId}>
                          <div class="small muted mono break">{p.transferId}</div>
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
      </section>
    </div>
  );
}
