import { A } from "@solidjs/router";
import { For, Show, createSignal } from "solid-js";
import { PAUSE_POLICY } from "../../../../domain/billing/pause";
import { POLICY } from "../../../../domain/credits/policy";
import { type KeptWeek, type Subscription, newIdempotencyKey, pausePlan, resumePlan } from "../../features/billing/billing";
import { t } from "../../i18n";
import { messageOf } from "../../lib/api";
import { formatDateTime, zoneShort } from "../../lib/time";
import { ErrorAlert, Notice } from "../Alert";
import { Button } from "../Button";

const WEEKS = Array.from({ length: PAUSE_POLICY.maxWeeks - PAUSE_POLICY.minWeeks + 1 }, (_, i) => PAUSE_POLICY.minWeeks + i);

/**
 * Pause the plan for N weeks, or resume a running pause: shows until when (in the viewer's zone, named) and the
 * renewal it moved to; each action has its pending and error states. Strings: the `billing.pause` catalog.
 */
export function PausePlan(props: { sub: Subscription; zone: string; onChange: (s: Subscription) => void }) {
  const [weeks, setWeeks] = createSignal(2);
  const [busy, setBusy] = createSignal<"pause" | "resume">();
  const [error, setError] = createSignal<string>();
  const [done, setDone] = createSignal<string>();
  // Weekly lessons the pause kept booked (they start too soon to skip): named until the next action.
  const [kept, setKept] = createSignal<KeptWeek[]>([]);
  // One key per attempt: a double click or a network retry of the same attempt pauses once.
  let key = newIdempotencyKey();
  const when = (iso: string) => `${formatDateTime(iso, props.zone)} (${zoneShort(props.zone, iso)})`;
  const running = () => {
    const p = props.sub.pause;
    return p && p.status !== "ended" && Date.parse(p.endsAt) > Date.now() ? p : null;
  };
  const run = async (which: "pause" | "resume") => {
    setBusy(which);
    setError(undefined);
    setDone(undefined);
    setKept([]);
    try {
      const paused = which === "pause" ? await pausePlan(weeks(), key) : null;
      const next = paused ? paused.subscription : await resumePlan(key);
      key = newIdempotencyKey();
      if (!next) return;
      setKept(paused?.keptWeeks ?? []);
      props.onChange(next);
      const renewal = next.currentPeriodEnd ? when(next.currentPeriodEnd) : "—";
      setDone(which === "pause" && next.pause ? t("billing.pause.done", { until: when(next.pause.endsAt), renewal }) : t("billing.pause.resumed", { renewal }));
    } catch (e) {
      key = newIdempotencyKey();
      setError(messageOf(e));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section class="card pause-plan stack tight billing-section" aria-labelledby="pause-title" data-testid="pause-plan">
      <h2 id="pause-title">{t("billing.pause.title")}</h2>
      <Notice message={done()} />
      <Show when={kept().length}>
        <KeptLessons weeks={kept()} when={when} />
      </Show>
      <ErrorAlert message={error()} />
      <Show
        when={running()}
        fallback={
          <>
            <p class="small muted">{t("billing.pause.intro")}</p>
            <Show when={props.sub.canPause !== false} fallback={<p class="small" data-testid="pause-unavailable">{props.sub.pause ? t("billing.pause.used", { until: when(props.sub.pause.endsAt) }) : t("billing.pause.unavailable")}</p>}>
              <div class="row tight">
                <label for="pause-weeks">{t("billing.pause.weeksLabel")}</label>
                <select id="pause-weeks" value={weeks()} onChange={(e) => setWeeks(Number(e.currentTarget.value))} disabled={!!busy()}>
                  <For each={WEEKS}>{(n) => <option value={n}>{t("billing.pause.weeks", { count: n })}</option>}</For>
                </select>
                <Button small variant="secondary" pending={busy() === "pause"} onClick={() => void run("pause")} data-testid="pause-button">
                  {busy() === "pause" ? t("billing.pause.pending") : t("billing.pause.action")}
                </Button>
              </div>
            </Show>
          </>
        }
      >
        {(p) => (
          <>
            <p data-testid="paused-until">
              <strong>{t("billing.pause.pausedUntil", { until: when(p().endsAt) })}</strong>{" "}
              <Show when={props.sub.currentPeriodEnd}>{(r) => <>{t("billing.pause.renewsAfter", { renewal: when(r()) })}</>}</Show>
            </p>
            <p class="small muted">{t("billing.pause.resumeHint")}</p>
            <div class="row">
              <Button small variant="secondary" pending={busy() === "resume"} onClick={() => void run("resume")} data-testid="resume-button">
                {busy() === "resume" ? t("billing.pause.resuming") : t("billing.pause.resume")}
              </Button>
            </div>
          </>
        )}
      </Show>
    </section>
  );
}

/**
 * The weekly lessons a pause left booked because they start within the refund notice: each at its time in the
 * viewer's zone, linked to its page, where it can still be cancelled under the usual policy.
 */
function KeptLessons(props: { weeks: KeptWeek[]; when: (iso: string) => string }) {
  const count = () => props.weeks.length;
  return (
    <div class="alert info stack tight" data-testid="pause-kept">
      <p>{t("billing.pause.kept", { count: count(), hours: POLICY.studentRefundHours })}</p>
      <ul>
        <For each={props.weeks}>
          {(k) => (
            <li>
              <A href={`/sessions/${k.id}`}>{t("billing.pause.keptLesson", { when: props.when(k.start) })}</A>
            </li>
          )}
        </For>
      </ul>
      <p class="small">{t("billing.pause.keptCancel", { count: count() })}</p>
    </div>
  );
}
