import { For, Show, createResource } from "solid-js";
import { ErrorAlert } from "../../components/Alert";
import { DataTable } from "../../components/DataTable";
import { fetchFlagged } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { formatDateTime } from "../../lib/time";

const KIND: Record<string, string> = { late_cancel: "Late cancellation", no_show: "No-show", completed: "Completed" };

/** Tutors flagged for repeated late cancellations or with a low reliability score, with what counted against them. */
export default function Flagged() {
  const [tutors] = createResource(fetchFlagged);
  return (
    <section aria-labelledby="flagged-title" class="stack">
      <div class="card">
        <h2 id="flagged-title">Flagged tutors</h2>
        <p class="small muted">Tutors flagged for repeated late cancellations, or whose reliability is under 80%. Flagged tutors are offered last as replacements.</p>
        <ErrorAlert message={tutors.error ? `Couldn't load flagged tutors: ${messageOf(tutors.error)}` : undefined} />
        <Show when={!tutors.latest?.length}>
          <p class="empty">{tutors.loading ? "Loading…" : "No tutors are flagged. 🎉"}</p>
        </Show>
      </div>
      <For each={tutors.latest}>
        {(t) => (
          <article class="card" data-tutor={t.id} aria-labelledby={`flag-${t.id}`}>
            <div class="row">
              <h3 id={`flag-${t.id}`} class="grow">
                {t.name} <span class="small muted">{t.email}</span>
              </h3>
              <Show when={t.flagged}>
                <span class="badge danger">Flagged</span>
              </Show>
              <span class={`badge ${Number(t.reliability) < 0.8 ? "warning" : "success"}`}>{Math.round(Number(t.reliability) * 100)}% reliable</span>
            </div>
            <div class="meter" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(Number(t.reliability) * 100)} aria-label={`Reliability of ${t.name}`}>
              <span style={{ width: `${Math.max(0, Math.min(100, Number(t.reliability) * 100))}%` }} />
            </div>
            <Show when={t.history.length} fallback={<p class="small muted">No events recorded.</p>}>
              <DataTable
                rows={t.history}
                caption={`What counted against ${t.name}`}
                columns={[
                  { head: "When (UTC)", class: "nowrap", cell: (h) => formatDateTime(h.at, "UTC") },
                  { head: "What", cell: (h) => KIND[h.kind] ?? h.kind },
                  { head: "Weight", cell: (h) => h.weight },
                  { head: "Detail", class: "small", cell: (h) => h.detail ?? "—" },
                ]}
              />
            </Show>
          </article>
        )}
      </For>
    </section>
  );
}
