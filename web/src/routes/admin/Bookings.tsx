import { useSearchParams } from "@solidjs/router";
import { Match, Show, Switch, createMemo, createResource, createSignal } from "solid-js";
import type { Booking } from "../../../../domain/schemas/booking";
import { ErrorAlert, Notice } from "../../components/Alert";
import { DataTable } from "../../components/DataTable";
import { Section } from "../../components/Section";
import { Dialog } from "../../components/Dialog";
import { BookingActionBody } from "../../components/admin/BookingActionBody";
import { BookingFilters, STATUSES } from "../../components/admin/BookingFilters";
import { StatusBadge } from "../../components/SessionItem";
import { type BookingFilter, fetchAllBookings, fetchUsers } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { subjectLabel } from "../../lib/format";
import { session } from "../../lib/session";
import { t } from "../../i18n";
import { addDays, formatMinutes, formatTime, isDay, startOfDay } from "../../lib/time";
import { formatDateTimeYear } from "../../components/admin/dates";

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
    <Section title={t("admin.sections.bookings")}>
      <BookingFilters params={params} status={filter().status} tutors={tutors.latest ?? []} students={students.latest ?? []} filtered={filtered()} onChange={set} />
      <Notice message={flash()} />
      <ErrorAlert message={bookings.error ? t("admin.bookings.loadFailed", { reason: messageOf(bookings.error) }) : undefined} />
      <p class="small muted" role="status">
        {bookings.loading && !bookings.latest ? t("core.app.loading") : t("admin.bookings.count", { count: bookings.latest?.length ?? 0, zone: zone().replace(/_/g, " ") })}
      </p>
      <DataTable
        rows={bookings.latest}
        stale={bookings.loading}
        rowAttrs={(b) => ({ "data-booking": b.id, "data-status": b.status })}
        columns={[
          {
            head: t("admin.bookings.when"),
            class: "nowrap",
            cell: (b) => (
              <>
                {formatDateTimeYear(b.start, zone())}
                <div class="small muted">{t("admin.bookings.until", { time: formatTime(b.end, zone()) })}</div>
              </>
            ),
          },
          {
            head: t("admin.bookings.session"),
            cell: (b) => (
              <>
                {subjectLabel(b.subject)}
                <div class="small muted">
                  {b.kind === "group" ? t("admin.bookings.group", { taken: b.seatsTaken, seats: b.seats }) : t("admin.bookings.oneToOne")} · {t("admin.bookings.credit", { minutes: formatMinutes(b.creditsMinutes) })}
                </div>
              </>
            ),
          },
          {
            head: t("admin.bookings.people"),
            class: "small",
            cell: (b) => (
              <>
                {b.tutorName ?? names().get(b.tutorId) ?? t("admin.bookings.tutor")}
                <div class="muted">{studentsOf(b).map((id) => names().get(id) ?? t("admin.bookings.student")).join(", ") || "—"}</div>
              </>
            ),
          },
          { head: t("admin.bookings.status"), cell: (b) => <StatusBadge booking={b} /> },
          { head: t("admin.users.actions"), hiddenHead: true, cell: (b) => <BookingAction booking={b} zone={zone()} onAct={(kind) => setAction({ kind, booking: b })} /> },
        ]}
      />

      <Show when={action()} keyed>
        {(a) => (
          <Dialog open title={a.kind === "cancel" ? t("admin.bookings.cancelTitle") : t("admin.bookings.refundTitle")} onClose={() => setAction()} busy={busy()}>
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
    </Section>
  );
}

/** Cancel a booking still to come (everyone is refunded); refund a seat of one that is over or cancelled. */
function BookingAction(props: { booking: Booking; zone: string; onAct: (kind: "cancel" | "refund") => void }) {
  const what = () => t("admin.bookings.what", { subject: subjectLabel(props.booking.subject), date: formatDateTimeYear(props.booking.start, props.zone) });
  return (
    <Switch>
      <Match when={props.booking.status === "confirmed" && Date.parse(props.booking.end) > Date.now()}>
        <button type="button" class="btn small ghost danger-text" onClick={() => props.onAct("cancel")} aria-label={t("admin.bookings.cancelWhat", { what: what() })}>
          {t("admin.users.cancel")}
        </button>
      </Match>
      <Match when={props.booking.status !== "confirmed"}>
        <button type="button" class="btn small secondary" onClick={() => props.onAct("refund")} aria-label={t("admin.bookings.refundWhat", { what: what() })}>
          {t("admin.bookings.refund")}
        </button>
      </Match>
    </Switch>
  );
}
