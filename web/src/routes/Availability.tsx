import { For, Show, createResource, createSignal } from "solid-js";
import { createStore, produce, reconcile, unwrap } from "solid-js/store";
import type { User } from "../../../domain/schemas/auth";
import { AvailabilityUpdateSchema, type AvailabilityInput } from "../../../domain/schemas/availability";
import { Button } from "../components/Button";
import { ErrorAlert } from "../components/Alert";
import { Guard } from "../components/Guard";
import { TimeZoneSelect } from "../components/TimeZoneSelect";
import { WeekSlots } from "../components/WeekSlots";
import { fetchMyAvailability, saveMyAvailability, sessionsInTheWay } from "../features/availability/availability";
import { sessionTimes, withSessionDatesKept } from "../features/availability/keepSessions";
import { createLiveSlots } from "../features/tutors/liveSlots";
import { ApiFailure, messageOf } from "../lib/api";
import { session } from "../lib/session";
import { addDays, dayOf, formatDay, formatHHmm, formatUnit, startOfDay, weekdayName, zoneLabel } from "../lib/time";
import { language, t, tx } from "../i18n";
import { humanErrorIn } from "../../../domain/schemas/humanErrors";

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
const BUFFERS = [0, 5, 10, 15, 30, 45, 60];
const NOTICES = [0, 60, 120, 240, 720, 1440, 2880];

type Draft = Required<Omit<AvailabilityInput, "overrides">> & { overrides: { date: string; intervals: { start: string; end: string }[] }[] };

export default function Availability() {
  return (
    <Guard roles={["tutor"]}>
      <AvailabilityEditor user={session.user()!} />
    </Guard>
  );
}

/** Weekly hours, date overrides and booking rules, validated with the server's schema; a live preview below. */
function AvailabilityEditor(props: { user: User }) {
  const [loaded] = createResource(async () => {
    const a = await fetchMyAvailability();
    const draft: Draft = a
      ? { ...a, weekly: a.weekly.map((w) => ({ ...w })), overrides: a.overrides.map((o) => ({ date: o.date, intervals: o.intervals.map((i) => ({ ...i })) })) }
      : { timezone: props.user.timezone, weekly: [], overrides: [], bufferMinutes: 10, minNoticeMinutes: 120, horizonDays: 60 };
    setSaved(a ? structuredClone(draft) : null);
    setDraft(reconcile(structuredClone(draft)));
    return draft;
  });
  const [draft, setDraft] = createStore<Draft>({ timezone: props.user.timezone, weekly: [], overrides: [], bufferMinutes: 10, minNoticeMinutes: 120, horizonDays: 60 });
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [formError, setFormError] = createSignal<string>();
  const [pending, setPending] = createSignal(false);
  const [savedAt, setSavedAt] = createSignal<number>();
  const [cancelledCount, setCancelledCount] = createSignal(0);
  /** The rules as the server last saved them (null before the first save): what "keep my sessions" goes back to. */
  const [saved, setSaved] = createSignal<Draft | null>(null);
  /** Dates whose change the last save left out, because booked sessions fall on them ("keep my sessions"). */
  const [keptDates, setKeptDates] = createSignal<string[]>([]);
  /** Booked sessions the last save would have covered (a day off or other hours): the tutor keeps or cancels them. */
  const [inTheWay, setInTheWay] = createSignal<{ id: string; line: string }[]>([]);
  const [reason, setReason] = createSignal("");
  const err = (path: string) => errors()[path];
  const touch = () => {
    setSavedAt(undefined);
    setInTheWay([]);
    if (Object.keys(errors()).length) setErrors({});
  };

  /** The tutor's one zone: the saved rules' (the account follows it on every save), shown by the preview too. */
  const zone = () => saved()?.timezone ?? props.user.timezone;
  const today = () => dayOf(Date.now(), zone());
  const preview = createLiveSlots(() => ({ tutorId: props.user.id, from: startOfDay(today(), zone()), to: startOfDay(addDays(today(), 7), zone()), duration: 60 }));

  const save = async (e: Event, confirm = false, kept: string[] = []) => {
    e.preventDefault();
    setFormError(undefined);
    setKeptDates([]);
    const parsed = AvailabilityUpdateSchema.safeParse({ ...draft, ...(confirm ? { confirm: true, reason: reason().trim() || undefined } : {}) }, { error: humanErrorIn(language()) });
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const i of parsed.error.issues) next[i.path.map(String).join(".")] ??= i.message;
      setErrors(next);
      setFormError(t("teaching.availability.fix"));
      return;
    }
    setErrors({});
    setPending(true);
    try {
      const { availability, cancelled, user } = await saveMyAvailability(parsed.data);
      const rules: Draft = { ...availability, weekly: availability.weekly.map((w) => ({ ...w })), overrides: availability.overrides.map((o) => ({ date: o.date, intervals: o.intervals.map((i) => ({ ...i })) })) };
      setSaved(structuredClone(rules));
      setDraft(reconcile(rules));
      session.setUser(user);
      setInTheWay([]);
      setReason("");
      setCancelledCount(cancelled.length);
      setKeptDates(kept);
      setSavedAt(Date.now());
      preview.refetch();
    } catch (x) {
      if (x instanceof ApiFailure && x.code === "sessions_in_the_way") {
        setInTheWay(sessionsInTheWay(x.issues));
        queueMicrotask(() => document.getElementById("in-the-way")?.focus());
      } else if (x instanceof ApiFailure && x.issues.length) {
        setErrors(Object.fromEntries(x.issues.map((i) => [i.path, i.message])));
      }
      if (!(x instanceof ApiFailure && x.code === "sessions_in_the_way")) setFormError(messageOf(x));
    } finally {
      setPending(false);
    }
  };

  /**
   * "Keep my sessions": the dates the named sessions fall on go back to how they were saved, and everything else
   * is saved; the answer says which dates were left as they were.
   */
  const keepSessions = async (e: MouseEvent) => {
    setPending(true);
    try {
      const sessions = await sessionTimes(inTheWay().map((s) => s.id));
      const { overrides, kept } = withSessionDatesKept(saved(), structuredClone(unwrap(draft)), sessions);
      setDraft("overrides", reconcile(overrides));
      setInTheWay([]);
      await save(e, false, kept);
    } catch (x) {
      setFormError(messageOf(x));
    } finally {
      setPending(false);
    }
  };

  const addWeekly = (weekday: number) => {
    const last = [...draft.weekly].reverse().find((w) => w.weekday === weekday);
    setDraft("weekly", (list) => [...list, last ? { weekday, start: last.end === "24:00" ? "18:00" : last.end, end: "20:00" } : { weekday, start: "09:00", end: "17:00" }]);
    touch();
  };
  const copyToWeekdays = (weekday: number) => {
    const source = draft.weekly.filter((w) => w.weekday === weekday);
    setDraft("weekly", (list) => [...list.filter((w) => w.weekday === weekday || w.weekday > 5), ...[1, 2, 3, 4, 5].filter((d) => d !== weekday).flatMap((d) => source.map((s) => ({ ...s, weekday: d })))]);
    touch();
  };
  const addOverride = () => {
    const taken = new Set(draft.overrides.map((o) => o.date));
    let date = addDays(today(), 1);
    while (taken.has(date)) date = addDays(date, 1);
    setDraft("overrides", (list) => [...list, { date, intervals: [] }]);
    touch();
  };

  return (
    <>
      <div class="page-head">
        <div>
          <h1>{t("core.nav.availability")}</h1>
          <p>{tx("teaching.availability.intro", { zone: <strong>{zoneLabel(draft.timezone)}</strong> })}</p>
        </div>
      </div>
      <Show when={!loaded.loading} fallback={<p class="muted">{t("core.app.loading")}</p>}>
        <ErrorAlert message={loaded.error ? messageOf(loaded.error) : undefined} />
        <form class="stack" onSubmit={save} novalidate aria-describedby={formError() ? "availability-error" : undefined}>
          <section class="card" aria-labelledby="weekly-title">
            <div class="row">
              <h2 id="weekly-title" class="grow">
                {t("teaching.availability.weekly")}
              </h2>
              <div class="field compact">
                <label for="av-zone">{t("teaching.availability.zone")}</label>
                <TimeZoneSelect id="av-zone" value={draft.timezone} invalid={!!err("timezone")} onChange={(z) => (setDraft("timezone", z), touch())} />
              </div>
            </div>
            <p class="small muted">{t("teaching.availability.midnight", { example: `${formatHHmm("22:00")}–${formatHHmm("02:00")}` })}</p>
            <div class="weekly">
              <For each={WEEKDAYS}>
                {(weekday) => {
                  const name = weekdayName(weekday);
                  const rows = () => draft.weekly.map((w, index) => ({ w, index })).filter((r) => r.w.weekday === weekday);
                  return (
                    <div class="weekday-row" data-weekday={weekday}>
                      <div class="weekday-name">
                        <strong id={`wd-${weekday}`}>{name}</strong>
                        <Show when={!rows().length}>
                          <span class="small muted">{t("teaching.availability.unavailable")}</span>
                        </Show>
                      </div>
                      <ul class="intervals" aria-labelledby={`wd-${weekday}`}>
                        <For each={rows()}>
                          {(r) => (
                            <li>
                              <TimeRangeInputs
                                idPrefix={`weekly-${r.index}`}
                                label={name}
                                start={r.w.start}
                                end={r.w.end}
                                error={err(`weekly.${r.index}.start`) ?? err(`weekly.${r.index}.end`) ?? err(`weekly.${r.index}`)}
                                onChange={(k, v) => (setDraft("weekly", r.index, k, v), touch())}
                                onRemove={() => (setDraft("weekly", (l) => l.filter((_, j) => j !== r.index)), touch())}
                              />
                            </li>
                          )}
                        </For>
                      </ul>
                      <div class="weekday-actions">
                        <button type="button" class="btn small ghost" onClick={() => addWeekly(weekday)} aria-label={t("teaching.availability.addOn", { day: name })}>
                          + {t("teaching.availability.add")}
                        </button>
                        <Show when={weekday <= 5 && rows().length}>
                          <button type="button" class="btn small ghost" onClick={() => copyToWeekdays(weekday)} aria-label={t("teaching.availability.copyLabel", { day: name })}>
                            {t("teaching.availability.copy")}
                          </button>
                        </Show>
                      </div>
                    </div>
                  );
                }}
              </For>
            </div>
            <Show when={err("weekly")}>
              <p class="field-error">{err("weekly")}</p>
            </Show>
          </section>

          <section class="card" aria-labelledby="overrides-title">
            <h2 id="overrides-title">{t("teaching.availability.overrides")}</h2>
            <p class="small muted">{t("teaching.availability.overridesIntro")}</p>
            <Show when={draft.overrides.length} fallback={<p class="small muted">{t("teaching.availability.noOverrides")}</p>}>
              <ul class="overrides">
                <For each={draft.overrides}>
                  {(o, i) => (
                    <li class="override" data-date={o.date}>
                      <div class="row">
                        <div class="field compact">
                          <label for={`ov-${i()}-date`}>{t("teaching.availability.date")}</label>
                          <input
                            id={`ov-${i()}-date`}
                            type="date"
                            value={o.date}
                            min={today()}
                            aria-invalid={err(`overrides.${i()}.date`) ? "true" : undefined}
                            onChange={(e) => (setDraft("overrides", i(), "date", e.currentTarget.value), touch())}
                          />
                        </div>
                        <fieldset class="segmented">
                          <legend class="sr-only">{t("teaching.availability.hoursOn", { day: formatDay(o.date) })}</legend>
                          <div class="segments">
                            <label class="segment">
                              <input
                                type="radio"
                                name={`ov-${i()}-mode`}
                                checked={o.intervals.length === 0}
                                onChange={() => (setDraft("overrides", i(), "intervals", []), touch())}
                              />
                              <span>{t("teaching.availability.dayOff")}</span>
                            </label>
                            <label class="segment">
                              <input
                                type="radio"
                                name={`ov-${i()}-mode`}
                                checked={o.intervals.length > 0}
                                onChange={() => (setDraft("overrides", i(), "intervals", [{ start: "09:00", end: "12:00" }]), touch())}
                              />
                              <span>{t("teaching.availability.otherHours")}</span>
                            </label>
                          </div>
                        </fieldset>
                        <span class="spacer" />
                        <button type="button" class="btn small ghost danger-text" onClick={() => (setDraft("overrides", (l) => l.filter((_, j) => j !== i())), touch())} aria-label={t("teaching.availability.removeOverride", { day: formatDay(o.date) })}>
                          {t("teaching.availability.remove")}
                        </button>
                      </div>
                      <Show when={err(`overrides.${i()}.date`)}>
                        <p class="field-error" role="alert">
                          {err(`overrides.${i()}.date`)}
                        </p>
                      </Show>
                      <Show when={o.intervals.length}>
                        <ul class="intervals">
                          <For each={o.intervals}>
                            {(iv, j) => (
                              <li>
                                <TimeRangeInputs
                                  idPrefix={`ov-${i()}-${j()}`}
                                  label={formatDay(o.date)}
                                  start={iv.start}
                                  end={iv.end}
                                  error={err(`overrides.${i()}.intervals.${j()}.start`) ?? err(`overrides.${i()}.intervals.${j()}.end`)}
                                  onChange={(k, v) => (setDraft("overrides", i(), "intervals", j(), k, v), touch())}
                                  onRemove={() => (setDraft("overrides", i(), "intervals", (l) => l.filter((_, x) => x !== j())), touch())}
                                />
                              </li>
                            )}
                          </For>
                        </ul>
                        <button
                          type="button"
                          class="btn small ghost"
                          onClick={() => (setDraft("overrides", i(), "intervals", produce((l) => void l.push({ start: "13:00", end: "17:00" }))), touch())}
                        >
                          + {t("teaching.availability.addOn", { day: formatDay(o.date) })}
                        </button>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
            <div>
              <button type="button" class="btn small secondary" onClick={addOverride}>
                + {t("teaching.availability.addDate")}
              </button>
            </div>
          </section>

          <section class="card" aria-labelledby="rules-title">
            <h2 id="rules-title">{t("teaching.availability.rules")}</h2>
            <div class="rules">
              <div class="field">
                <label for="av-buffer">{t("teaching.availability.buffer")}</label>
                <select id="av-buffer" value={draft.bufferMinutes} onChange={(e) => (setDraft("bufferMinutes", Number(e.currentTarget.value)), touch())}>
                  <For each={BUFFERS}>{(m) => <option value={m}>{m ? formatUnit(m, "minute") : t("teaching.availability.none")}</option>}</For>
                </select>
              </div>
              <div class="field">
                <label for="av-notice">{t("teaching.availability.notice")}</label>
                <select id="av-notice" value={draft.minNoticeMinutes} onChange={(e) => (setDraft("minNoticeMinutes", Number(e.currentTarget.value)), touch())}>
                  <For each={NOTICES.includes(draft.minNoticeMinutes) ? NOTICES : [...NOTICES, draft.minNoticeMinutes].sort((a, b) => a - b)}>
                    {(m) => <option value={m}>{m === 0 ? t("teaching.availability.none") : m < 1440 ? formatUnit(m / 60, "hour") : formatUnit(m / 1440, "day")}</option>}
                  </For>
                </select>
                <span class="hint">{t("teaching.availability.noticeHint")}</span>
              </div>
              <div class="field">
                <label for="av-horizon">{t("teaching.availability.horizon")}</label>
                <input
                  id="av-horizon"
                  type="number"
                  min="1"
                  max="365"
                  value={draft.horizonDays}
                  aria-invalid={err("horizonDays") ? "true" : undefined}
                  aria-describedby={err("horizonDays") ? "av-horizon-err" : undefined}
                  onInput={(e) => (setDraft("horizonDays", e.currentTarget.value === "" ? Number.NaN : Number(e.currentTarget.value)), touch())}
                />
                <Show when={err("horizonDays")}>
                  <span class="field-error" id="av-horizon-err">
                    {err("horizonDays")}
                  </span>
                </Show>
              </div>
            </div>
          </section>

          <Show when={inTheWay().length}>
            <section class="alert warning in-the-way" id="in-the-way" tabindex="-1" role="alert" aria-labelledby="in-the-way-title">
              <h2 id="in-the-way-title">{t("teaching.availability.coveredTitle", { count: inTheWay().length })}</h2>
              <p>{t("teaching.availability.coveredHelp", { count: inTheWay().length })}</p>
              <ul aria-label={t("teaching.availability.coveredList", { zone: zoneLabel(draft.timezone) })}>
                <For each={inTheWay()}>{(s) => <li data-booking={s.id}>{s.line}</li>}</For>
              </ul>
              <div class="field">
                <label for="av-reason">{t("teaching.availability.reason")}</label>
                <input id="av-reason" type="text" maxLength={500} value={reason()} onInput={(e) => setReason(e.currentTarget.value)} />
              </div>
              <div class="row">
                <Button type="button" variant="danger" pending={pending()} onClick={(e: MouseEvent) => void save(e, true)}>
                  {t("teaching.availability.confirm", { count: inTheWay().length })}
                </Button>
                <Button type="button" variant="secondary" pending={pending()} onClick={(e: MouseEvent) => void keepSessions(e)}>
                  {t("teaching.availability.keep")}
                </Button>
              </div>
            </section>
          </Show>
          <div class="save-bar">
            <Show when={formError()}>
              <div class="alert error" role="alert" id="availability-error">
                {formError()}
              </div>
            </Show>
            <div class="row">
              <Button type="submit" pending={pending()}>
                {pending() ? t("teaching.home.saving") : t("teaching.availability.save")}
              </Button>
              <Show when={savedAt()}>
                <span class="small success-text" role="status">
                  {cancelledCount() ? `${t("teaching.availability.cancelledSaved", { count: cancelledCount() })} ` : ""}
                  {keptDates().length
                    ? t("teaching.availability.keptSaved", { count: keptDates().length, dates: new Intl.ListFormat(language(), { type: "conjunction" }).format(keptDates().map((d) => formatDay(d))) })
                    : t("teaching.availability.saved")}
                </span>
              </Show>
            </div>
          </div>
        </form>

        <section class="card" aria-labelledby="preview-title" id="preview">
          <h2 id="preview-title">{t("teaching.availability.preview")}</h2>
          <p class="small muted">{t("teaching.availability.previewIntro", { zone: zoneLabel(zone()) })}</p>
          <WeekSlots
            week={today()}
            zone={zone()}
            today={today()}
            slots={preview.slots()}
            loading={preview.view.loading && !preview.view.latest}
            emptyText={t("teaching.availability.previewEmpty")}
          />
        </section>
      </Show>
    </>
  );
}

/** A start–end pair of time inputs with a remove button and one error line. */
function TimeRangeInputs(props: { idPrefix: string; label: string; start: string; end: string; error?: string; onChange: (k: "start" | "end", v: string) => void; onRemove: () => void }) {
  const errId = () => `${props.idPrefix}-err`;
  return (
    <div class="time-range">
      <div class="row nowrap">
        <label class="sr-only" for={`${props.idPrefix}-start`}>
          {t("teaching.availability.from", { label: props.label })}
        </label>
        <input
          id={`${props.idPrefix}-start`}
          type="time"
          step="900"
          value={props.start}
          aria-invalid={props.error ? "true" : undefined}
          aria-describedby={props.error ? errId() : undefined}
          onChange={(e) => props.onChange("start", e.currentTarget.value)}
        />
        <span aria-hidden="true">–</span>
        <label class="sr-only" for={`${props.idPrefix}-end`}>
          {t("teaching.availability.until", { label: props.label })}
        </label>
        <input
          id={`${props.idPrefix}-end`}
          type="time"
          step="900"
          value={props.end === "24:00" ? "00:00" : props.end}
          aria-invalid={props.error ? "true" : undefined}
          aria-describedby={props.error ? errId() : undefined}
          onChange={(e) => props.onChange("end", e.currentTarget.value)}
        />
        <button type="button" class="icon-btn" onClick={props.onRemove} aria-label={t("teaching.availability.removeRange", { label: props.label, range: `${formatHHmm(props.start)}–${formatHHmm(props.end === "24:00" ? "00:00" : props.end)}` })}>
          ×
        </button>
      </div>
      <Show when={props.error}>
        <span class="field-error" id={errId()} role="alert">
          {props.error}
        </span>
      </Show>
    </div>
  );
}
