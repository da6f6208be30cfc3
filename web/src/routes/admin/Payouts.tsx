import { Show, createResource, createSignal } from "solid-js";
import { ErrorAlert, Notice } from "../../components/Alert";
import { Button } from "../../components/Button";
import { DataTable } from "../../components/DataTable";
import { Section } from "../../components/Section";
import { type HeldEarning, approveEarning, fetchHeldEarnings, fetchPayouts, rejectEarning, runPayoutsNow } from "../../features/admin/admin";
import { createAction } from "../../lib/action";
import { messageOf } from "../../lib/api";
import { formatMoney } from "../../lib/format";
import { formatDateTimeYear } from "../../components/admin/dates";
import { type PlainKey, t } from "../../i18n";

const TONE: Record<string, string> = { pending: "warning", paid: "success", failed: "danger" };
const STATUS: Record<string, PlainKey> = { pending: "admin.payouts.pending", paid: "admin.payouts.paid", failed: "admin.payouts.failed" };

/** What each tutor is owed, recent payouts, and a button for the weekly run now. */
export default function Payouts() {
  const [view, { refetch }] = createResource(fetchPayouts);
  const [done, setDone] = createSignal<string>();
  const run = createAction(async () => {
    setDone(undefined);
    const r = await runPayoutsNow();
    setDone(t("admin.payouts.runDone", { paid: r.paid, failed: r.failed }));
    void refetch();
  });
  const owed = () => (view.latest?.unpaid ?? []).reduce((s, u) => s + Number(u.amountCents), 0);
  return (
    <div class="stack">
      <Section
        title={t("admin.overview.unpaid")}
        intro={t("admin.payouts.intro")}
        actions={
          <Button pending={run.pending()} onClick={run.run}>
            {run.pending() ? t("admin.payouts.running") : t("admin.payouts.runNow")}
          </Button>
        }
      >
        <Notice message={done()} />
        <ErrorAlert message={run.error() ?? (view.error ? t("admin.payouts.loadFailed", { reason: messageOf(view.error) }) : undefined)} />
        <Show when={view.latest?.unpaid.length}>
          <p class="stat" data-testid="owed-total">
            {formatMoney(owed())}
          </p>
        </Show>
        <DataTable
          rows={view.latest?.unpaid}
          loading={view.loading}
          empty={t("admin.payouts.noneOwed")}
          columns={[
            { head: t("admin.bookings.tutor"), cell: (u) => u.tutorName ?? u.tutorId },
            { head: t("admin.payouts.sessions"), label: t("admin.payouts.sessions"), cell: (u) => u.sessions },
            { head: t("admin.payouts.amount"), label: t("admin.payouts.amount"), class: "nowrap", cell: (u) => formatMoney(Number(u.amountCents)) },
            {
              head: t("admin.payouts.account"),
              cell: (u) => <span class={`badge ${u.payoutsEnabled ? "success" : "warning"}`}>{u.payoutsEnabled ? t("admin.payouts.enabled") : t("admin.payouts.notSetUp")}</span>,
            },
          ]}
        />
      </Section>
      <HeldForReview onDecided={() => void refetch()} />
      <Section title={t("admin.payouts.recent")}>
        <DataTable
          rows={view.latest?.payouts}
          loading={view.loading}
          empty={t("admin.payouts.noneYet")}
          columns={[
            { head: t("admin.payouts.createdUtc"), label: t("admin.payouts.created"), class: "nowrap small", cell: (p) => formatDateTimeYear(p.createdAt, "UTC") },
            { head: t("admin.bookings.tutor"), cell: (p) => p.tutorName ?? p.tutorId },
            { head: t("admin.payouts.amount"), class: "nowrap", cell: (p) => formatMoney(p.amountCents, p.currency) },
            {
              head: t("admin.bookings.status"),
              cell: (p) => (
                <>
                  <span class={`badge ${TONE[p.status] ?? ""}`}>{STATUS[p.status] ? t(STATUS[p.status]!) : p.status}</span>
                  <Show when={p.attempts > 1}>
                    <span class="small muted">{t("admin.payouts.attempts", { count: p.attempts })}</span>
                  </Show>
                  <Show when={p.error}>
                    <div class="small danger-text">{p.error}</div>
                  </Show>
                  <Show when={p.transferId}>
                    <div class="small muted mono break">{p.transferId}</div>
                  </Show>
                </>
              ),
            },
          ]}
        />
      </Section>
    </div>
  );
}

const WHY: Record<string, PlainKey> = { same_email: "admin.payouts.sameEmail", same_card: "admin.payouts.sameCard" };

/**
 * Earnings of sessions whose tutor and student look like one person (the same mailbox behind different addresses,
 * or the same card): nothing is paid until an admin approves; a rejected earning is never paid.
 */
function HeldForReview(props: { onDecided: () => void }) {
  const [held, { refetch, mutate }] = createResource(fetchHeldEarnings);
  const decide = createAction(async (e: HeldEarning, decision: "approve" | "reject") => {
    await (decision === "approve" ? approveEarning(e.id) : rejectEarning(e.id));
    mutate((list) => list?.filter((x) => x.id !== e.id));
    props.onDecided();
    void refetch();
  });
  return (
    <Section title={t("admin.payouts.held")} intro={t("admin.payouts.heldIntro")}>
      <ErrorAlert message={decide.error() ?? (held.error ? t("admin.payouts.heldFailed", { reason: messageOf(held.error) }) : undefined)} />
      <DataTable
        rows={held.latest}
        loading={held.loading}
        empty={t("admin.payouts.noneHeld")}
        columns={[
          { head: t("admin.payouts.endedUtc"), label: t("admin.payouts.ended"), class: "nowrap small", cell: (e) => formatDateTimeYear(e.sessionEndAt, "UTC") },
          { head: t("admin.bookings.tutor"), cell: (e) => e.tutorName ?? e.tutorId },
          { head: t("admin.payouts.why"), cell: (e) => (WHY[e.holdReason ?? ""] ? t(WHY[e.holdReason ?? ""]!) : e.holdReason) },
          { head: t("admin.payouts.amount"), class: "nowrap", cell: (e) => formatMoney(e.amountCents) },
          {
            head: t("admin.payouts.decision"),
            cell: (e) => (
              <div class="row">
                <button type="button" class="btn small" disabled={decide.pending()} onClick={() => decide.run(e, "approve")} aria-label={t("admin.payouts.approveFor", { amount: formatMoney(e.amountCents), name: e.tutorName ?? t("admin.payouts.thisTutor") })}>
                  {t("admin.approvals.approve")}
                </button>
                <button type="button" class="btn small secondary" disabled={decide.pending()} onClick={() => decide.run(e, "reject")} aria-label={t("admin.payouts.rejectFor", { amount: formatMoney(e.amountCents), name: e.tutorName ?? t("admin.payouts.thisTutor") })}>
                  {t("admin.payouts.reject")}
                </button>
              </div>
            ),
          },
        ]}
      />
    </Section>
  );
}
