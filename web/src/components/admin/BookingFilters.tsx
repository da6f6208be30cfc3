import { For, Show } from "solid-js";
import type { Booking } from "../../../../domain/schemas/booking";
import type { AdminUser } from "../../features/admin/admin";
import { type PlainKey, t } from "../../i18n";

export const STATUSES: Booking["status"][] = ["confirmed", "cancelled", "completed"];
const LABEL: Record<Booking["status"], PlainKey> = { confirmed: "admin.filters.confirmed", cancelled: "admin.filters.cancelled", completed: "admin.filters.completed" };

type Params = { status?: string; from?: string; to?: string; tutor?: string; student?: string };

/** The admin bookings filters, kept in the URL: status, a date range in the admin's zone, tutor and student. */
export function BookingFilters(props: { params: Params; status?: string; tutors: AdminUser[]; students: AdminUser[]; filtered: boolean; onChange: (patch: Params) => void }) {
  const set = (key: keyof Params) => (e: { currentTarget: { value: string } }) => props.onChange({ [key]: e.currentTarget.value || undefined });
  return (
    <form class="filters-row" aria-label={t("admin.filters.filter")} onSubmit={(e) => e.preventDefault()}>
      <div class="field compact">
        <label for="b-status">{t("admin.bookings.status")}</label>
        <select id="b-status" value={props.status ?? ""} onChange={set("status")}>
          <option value="">{t("admin.webhooks.any")}</option>
          <For each={STATUSES}>{(s) => <option value={s}>{t(LABEL[s])}</option>}</For>
        </select>
      </div>
      <div class="field compact">
        <label for="b-from">{t("admin.finance.from")}</label>
        <input id="b-from" type="date" value={props.params.from ?? ""} onChange={set("from")} />
      </div>
      <div class="field compact">
        <label for="b-to">{t("admin.filters.to")}</label>
        <input id="b-to" type="date" value={props.params.to ?? ""} onChange={set("to")} />
      </div>
      <PersonSelect id="b-tutor" label={t("admin.bookings.tutor")} anyone={t("admin.filters.anyTutor")} people={props.tutors} value={props.params.tutor} onChange={set("tutor")} />
      <PersonSelect id="b-student" label={t("admin.bookings.student")} anyone={t("admin.filters.anyStudent")} people={props.students} value={props.params.student} onChange={set("student")} />
      <Show when={props.filtered}>
        <button type="button" class="btn small ghost align-end" onClick={() => props.onChange({ status: undefined, from: undefined, to: undefined, tutor: undefined, student: undefined })}>
          {t("admin.filters.clear")}
        </button>
      </Show>
    </form>
  );
}

function PersonSelect(props: { id: string; label: string; anyone: string; people: AdminUser[]; value?: string; onChange: (e: { currentTarget: { value: string } }) => void }) {
  return (
    <div class="field compact">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value ?? ""} onChange={props.onChange}>
        <option value="">{props.anyone}</option>
        <For each={props.people}>
          {(p) => (
            <option value={p.id} selected={p.id === props.value}>
              {p.name}
            </option>
          )}
        </For>
      </select>
    </div>
  );
}
