import { useSearchParams } from "@solidjs/router";
import { For, Match, Show, Switch, createMemo, createResource, createSignal } from "solid-js";
import type { Booking } from "../../../../domain/schemas/booking";
import { ErrorAlert } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { BookingActionBody } from "../../components/admin/BookingActionBody";
import { StatusBadge } from "../../components/SessionItem";
import { type BookingFilter, fetchAllBookings, fetchUsers } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { subjectLabel } from "../../lib/format";
import { session } from "../../lib/session";
import { addDays, formatDateTime, formatMinutes, formatTime, isDay, startOfDay } from "../../lib/time";

const STATUSES: Booking["status"][] = ["confirmed", "cancelled", "completed"];
/** Who holds a seat; for a cancelled booking, who held one. */
const studentsOf = (b: Booking) => (b.status === "cancelled" ? (b.participants ?? []).map((p) => p.studentId) : b.studentIds);

/** Every booking, filterable; cancel one (students are refunded) or refund a seat of a cancelled or completed one. */
export default function Bookings() {
  const [params, setParams] = useSearchParams<{ status?: string; from?: string; to?: string; tutor?: string; student?: string }>();
  const zone = () => session.user()?.timezone ?? "UTC";
  const filter = createMemo<BookingFilter>(() => ({
    status: STATUSES.includes(params.status as Booking["status"]) ? (params.status as Booking["status"]) : undefined,
    from: isDay(params.from) ? new Date(startOfDay(params.from, zone())).toISOString() : undefined,
    to: isDay(params.to) ? new Date(startOfDay(addDays(params.to, 1), zone())).toISOString() : undefined,
    tutorId: params.tutor || undefined,
    studentId: params.student || undefined,
  }));
  const [bookings, { mutate, refetch }] = createResource(() => JSON.stringify(filter()), (key) => fetchAllBookings(JSON.parse(key)));
  const [tutors] = createResource(() => fetchUsers({ role: "tutor" }));
  const [students] = createResource(() => fetchUsers({ role: "student" }));
  const names = createMemo(() => new Map([...(tutors.latest ?? []), ...(students.latest ?? [])].map((u) => [u.id, u.name])));
  const [action, setAction] = createSignal<{ kind: "cancel" | "refund"; booking: Booking }>();
  const [busy, setBusy] = createSignal(false);
  const [flash, setFlash] = createSignal<string>();
  const set = (patch: Record<string, string | undefined>) => setParams(patch, { replace: true });
  const filtered = () => Object.values(filter()).some(Boolean);

  return (
    <section class="card" aria-labelledby="bookings-title">
      <h2 id="bookings-title">Bookings</h2>
      <form class="filters-row" aria-label="Filter bookings" onSubmit={(e) => e.preventDefault()}>
        <div class="field compact">
          <label for="b-status">Status</label>
          <select id="b-status" value={filter().status ?? ""} onChange={(e) => set({ status: e.currentTarget.value || undefined })}>
            <option value="">Any</option>
            <For each={STATUSES}>{(s) => <option value={s}>{s[0]!.toUpperCase() + s.slice(1)}</option>}</For>
          </select>
        </div>
        <div class="field compact">
          <label for="b-from">From</label>
          <input id="b-from" type="date" value={params.from ?? ""} onChange={(e) => set({ from: e.currentTarget.value || undefined })} />
        </div>
        <div class="field compact">
          <label for="b-to">To</label>
          <input id="b-to" type="date" value={params.to ?? ""} onChange={(e) => set({ to: e.currentTarget.value || undefined })} />
        </div>
        <div class="field compact">
          <label for="b-tutor">Tutor</label>
          <select id="b-tutor" value={params.tutor ?? ""} onChange={(e) => set({ tutor: e.currentTarget.value || undefined })}>
            <option value="">Any tutor</option>
            <For each={tutors.latest}>
              {(t) => (
                <option value={t.id} selected={t.id === params.tutor}>
                  {t.name}
                </option>
              )}
            </For>
          </select>
        </div>
        <div class="field compact">
          <label for="b-student">Student</label>
          <select id="b-student" value={params.student ?? ""} onChange={(e) => set({ student: e.currentTarget.value || undefined })}>
            <option value="">Any student</option>
            <For each={students.latest}>
              {(s) => (
                <option value={s.id} selected={s.id === params.student}>
                  {s.name}
                </option>
              )}
            </For>
          </select>
        </div>
        <Show when={filtered()}>
          <button type="button" class="btn small ghost align-end" onClick={() => set({ status: undefined, from: undefined, to: undefined, tutor: undefined, student: undefined })}>
            Clear filters
          </button>
        </Show>
      </form>
      <Show when={flash()}>
        <div class="alert success" role="status">
          {flash()}
        </div>
      </Show>
      <ErrorAlert message={bookings.error ? `Couldn't load bookings: ${messageOf(bookings.error)}` : undefined} />
      <p class="small muted" role="status">
        {bookings.loading && !bookings.latest ? "Loading…" : `${bookings.latest?.length ?? 0} booking${bookings.latest?.length === 1 ? "" : "s"}, newest first. Times in ${zone().replace(/_/g, " ")}.`}
      </p>
      <Show when={bookings.latest?.length}>
        <div class="table-wrap">
          <table class="table stack-sm" classList={{ stale: bookings.loading }}>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Session</th>
                <th scope="col">People</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={bookings.latest}>
                {(b) => (
                  <tr data-booking={b.id} data-status={b.status}>
                    <td class="nowrap">
                      {formatDateTime(b.start, zone())}
                      <div class="small muted">until {formatTime(b.end, zone())}</div>
                    </td>
                    <td>
                      {subjectLabel(b.subject)}
                      <div class="small muted">
                        {b.kind === "group" ? `Group, ${b.seatsTaken}/${b.seats}` : "1:1"} · {formatMinutes(b.creditsMinutes)} credit
                      </div>
                    </td>
                    <td class="small">
                      {b.tutorName ?? names().get(b.tutorId) ?? "Tutor"}
                      <div class="muted">{studentsOf(b).map((id) => names().get(id) ?? "Student").join(", ") || "—"}</div>
                    </td>
                    <td>
                      <StatusBadge booking={b} />
                    </td>
                    <td>
                      <Switch>
                        <Match when={b.status === "confirmed" && Date.parse(b.end) > Date.now()}>
                          <button type="button" class="btn small ghost danger-text" onClick={() => setAction({ kind: "cancel", booking: b })} aria-label={`Cancel ${subjectLabel(b.subject)} on ${formatDateTime(b.start, zone())}`}>
                            Cancel
                          </button>
                        </Match>
                        <Match when={b.status !== "confirmed"}>
                          <button type="button" class="btn small secondary" onClick={() => setAction({ kind: "refund", booking: b })} aria-label={`Refund a seat of ${subjectLabel(b.subject)} on ${formatDateTime(b.start, zone())}`}>
                            Refund
                          </button>
                        </Match>
                      </Switch>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>

      <Show when={action()} keyed>
        {(a) => (
          <Dialog open title={a.kind === "cancel" ? "Cancel this booking?" : "Refund a seat"} onClose={() => setAction()} busy={busy()}>
            <BookingActionBody
              kind={a.kind}
              booking={a.booking}
              zone={zone()}
              names={names()}
              onPendingChange={setBusy}
              onClose={() => setAction()}
              onDone={(text, updated) => {
                if (updated) mutate((list) => list?.map((x) => (x.id === updated.id ? { ...x, ...updated } : x)));
                setAction();
                setFlash(text);
                void refetch();
              }}
            />
          </Dialog>
        )}
      </Show>
    </section>
  );
}
