import { For, Show, createResource } from "solid-js";
import { ErrorAlert } from "../../components/Alert";
import { DataTable } from "../../components/DataTable";
import { fetchFlagged } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { formatDateTimeYear } from "../../components/admin/dates";
import { formatPercent } from "../../lib/format";
import { type PlainKey, t } from "../../i18n";

const KIND: Record<string, PlainKey> = { late_cancel: "admin.flagged.lateCancel", no_show: "admin.flagged.noShow", completed: "admin.flagged.completed" };

/** Tutors flagged for repeated late cancellations or with a low reliability score, with what counted against them. */
export default function Flagged() {
  const [tutors] = createResource(fetchFlagged);
  return (
    <section aria-labelledby="flagged-title" class="stack">
      <div class="card">
        <h2 id="flagged-title">{t("admin.sections.flagged")}</h2>
        <p class="small muted">{t("admin.flagged.intro", { percent: formatPercent(80) })}</p>
        <ErrorAlert message={tutors.error ? t("admin.flagged.loadFailed", { reason: messageOf(tutors.error) }) : undefined} />
        <Show when={!tutors.latest?.length}>
          <p class="empty">{tutors.loading ? t("core.app.loading") : t("admin.flagged.none")}</p>
        </Show>
      </div>
      <For each={tutors.latest}>
        {(tu) => (
          <article class="card" data-tutor={tu.id} aria-labelledby={`flag-${tu.id}`}>
            <div class="row">
              <h3 id={`flag-${tu.id}`} class="grow">
                {tu.name} <span class="small muted">{tu.email}</span>
              </h3>
              <Show when={tu.flagged}>
                <span class="badge danger">{t("admin.users.flagged")}</span>
              </Show>
              <span class={`badge ${Number(tu.reliability) < 0.8 ? "warning" : "success"}`}>{t("admin.users.reliable", { percent: formatPercent(Math.round(Number(tu.reliability) * 100)) })}</span>
            </div>
            <div class="meter" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(Number(tu.reliability) * 100)} aria-label={t("admin.flagged.reliabilityOf", { name: tu.name })}>
              <span style={{ width: `${Math.max(0, Math.min(100, Number(tu.reliability) * 100))}%` }} />
            </div>
            <Show when={tu.history.length} fallback={<p class="small muted">{t("admin.flagged.noEvents")}</p>}>
              <DataTable
                rows={tu.history}
                caption={t("admin.flagged.against", { name: tu.name })}
                columns={[
                  { head: t("admin.flagged.whenUtc"), class: "nowrap", cell: (h) => formatDateTimeYear(h.at, "UTC") },
                  { head: t("admin.flagged.what"), cell: (h) => (KIND[h.kind] ? t(KIND[h.kind]!) : h.kind) },
                  { head: t("admin.flagged.weight"), cell: (h) => h.weight },
                  { head: t("admin.flagged.detail"), class: "small", cell: (h) => h.detail ?? "—" },
                ]}
              />
            </Show>
          </article>
        )}
      </For>
    </section>
  );
}
