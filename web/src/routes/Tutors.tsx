import { TutorAvatar } from "../components/TutorAvatar";
import { A, useSearchParams } from "@solidjs/router";
import { For, Match, Show, Switch, createMemo, createResource, createSignal, onCleanup } from "solid-js";
import { SEARCH_TEXT_MAX, type SearchSort, subjectMatches, subjectTerms } from "../../../domain/searchTerms";
import { TimeZoneSelect } from "../components/TimeZoneSelect";
import { type SearchFilters, type TutorResult, filterProblems, isSort, maxRateCentsOf, searchTutors } from "../features/tutors/search";
import { t, tx } from "../i18n";
import { formatCredits, formatRating, subjectLabel } from "../lib/format";
import { POLICY } from "../../../domain/credits/policy";
import { trialPrice } from "../../../domain/credits/pricing";
import { CreditPrice } from "../components/CreditPrice";
import { session } from "../lib/session";
import { formatDateTime, formatHHmm, formatMinutes, formatTime, zonePlace, zonePlaceLabel } from "../lib/time";
import { isValidTimeZone } from "../../../domain/time/zoneNames";
import { browserTimeZone } from "../lib/zones";

const SUBJECTS = ["mathematics", "english", "spanish", "physics", "computer science", "python", "chemistry", "french", "japanese", "biology", "portuguese", "arabic", "sat prep", "ielts prep"];
const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const SORTS: SearchSort[] = ["best", "price", "rating", "soonest"];

/** Tutor search: filters live in the URL, so a search can be shared and the back button works. */
export default function Tutors() {
  // `subject` is the older name of `q` (links from the landing page and elsewhere).
  const [params, setParams] = useSearchParams<{ q?: string; subject?: string; max?: string; tz?: string; from?: string; to?: string; sort?: string }>();
  const zone = () => (params.tz && isValidTimeZone(params.tz) ? params.tz : (session.user()?.timezone ?? browserTimeZone()));
  const hours = () => (params.from && params.to && HHMM.test(params.from) && HHMM.test(params.to) && params.from !== params.to ? { from: params.from, to: params.to } : undefined);
  const text = () => params.q ?? params.subject ?? "";
  const sort = (): SearchSort => (isSort(params.sort) ? params.sort : "best");

  // What is wrong with the filters, in words, before the server is asked (it would refuse the same with a 400).
  const problems = createMemo(() => filterProblems({ q: text(), max: params.max ?? "" }));
  const valid = () => !problems().q && !problems().max;
  const filters = createMemo<SearchFilters>(() => ({
    q: text().trim() || undefined,
    // The price a student sees is credit per hour; the server filters by the tutor's rate (search.ts converts).
    maxRateCents: maxRateCentsOf(params.max ?? ""),
    tz: zone(),
    sort: sort(),
    ...hours(),
  }));
  // Wait for the session before the first search, so "my zone" is the signed-in user's; no search while a filter is invalid.
  const [answer, { refetch }] = createResource(() => (session.user.loading || !valid() ? undefined : JSON.stringify(filters())), (key) => searchTutors(JSON.parse(key)));
  // The list shown: the last good one (kept, dimmed, while a filter is being fixed or a search failed).
  const list = createMemo<TutorResult[] | undefined>((prev) => {
    const a = answer.latest;
    return a?.ok ? a.tutors : prev;
  });
  const failure = () => {
    const a = answer.latest;
    return valid() && a && !a.ok ? a : undefined;
  };
  const serverIssue = (path: string) => failure()?.issues.find((i) => i.path === path)?.message;
  const textError = () => problems().q ?? serverIssue("q") ?? serverIssue("subject");
  const maxError = () => problems().max ?? serverIssue("maxRateCents");
  const stale = () => answer.loading || !valid() || !!failure();

  // Text fields update the URL after a pause in typing; selects and times at once.
  const [textDraft, setTextDraft] = createSignal(text());
  const [maxDraft, setMaxDraft] = createSignal(params.max ?? "");
  let typing: ReturnType<typeof setTimeout> | undefined;
  // Edits to both fields within one pause all land (a single pending patch, not the last field's only).
  let pending: Record<string, string | undefined> = {};
  onCleanup(() => clearTimeout(typing));
  const debounce = (patch: Record<string, string | undefined>) => {
    clearTimeout(typing);
    pending = { ...pending, ...patch };
    typing = setTimeout(() => {
      setParams(pending, { replace: true });
      pending = {};
    }, 350);
  };
  const setHours = (from: string, to: string) => setParams({ from: from || undefined, to: to || undefined }, { replace: true });
  const [fromDraft, setFromDraft] = createSignal(params.from ?? "");
  const [toDraft, setToDraft] = createSignal(params.to ?? "");
  const hoursIncomplete = () => !!fromDraft() !== !!toDraft() || (!!fromDraft() && fromDraft() === toDraft());
  const commitHours = (from: string, to: string) => {
    setFromDraft(from);
    setToDraft(to);
    if ((!!from && !!to && from !== to) || (!from && !to)) setHours(from, to);
  };

  return (
    <>
      <div class="page-head">
        <div>
          <h1>{t("core.search.title")}</h1>
          <p>{t("core.search.intro")}</p>
        </div>
      </div>
      <div class="search-layout">
        <form class="card filters" role="search" aria-label={t("core.search.filters")} onSubmit={(e) => e.preventDefault()}>
          <div class="field">
            <label for="f-subject">{t("core.search.subjectOrTutor")}</label>
            <input
              id="f-subject"
              list="subject-options"
              placeholder={t("core.search.subjectPlaceholder")}
              value={textDraft()}
              maxLength={SEARCH_TEXT_MAX * 3}
              aria-invalid={textError() ? "true" : undefined}
              aria-describedby={textError() ? "f-subject-err" : undefined}
              onInput={(e) => {
                setTextDraft(e.currentTarget.value);
                debounce({ q: e.currentTarget.value.trim() || undefined, subject: undefined });
              }}
            />
            <datalist id="subject-options">
              <For each={SUBJECTS}>{(s) => <option value={s}>{subjectLabel(s)}</option>}</For>
            </datalist>
            <Show when={textError()}>
              <span class="field-error" id="f-subject-err" role="alert">
                {textError()}
              </span>
            </Show>
          </div>
          <div class="field">
            <label for="f-max">{t("core.search.maxPrice")}</label>
            <input
              id="f-max"
              inputmode="numeric"
              placeholder={t("core.search.anyPrice")}
              value={maxDraft()}
              aria-invalid={maxError() ? "true" : undefined}
              aria-describedby={maxError() ? "f-max-err" : undefined}
              onInput={(e) => {
                setMaxDraft(e.currentTarget.value);
                debounce({ max: e.currentTarget.value.trim() || undefined });
              }}
            />
            <Show when={maxError()}>
              <span class="field-error" id="f-max-err" role="alert">
                {maxError()}
              </span>
            </Show>
          </div>
          <div class="field">
            <label for="f-sort">{t("core.search.sortBy")}</label>
            <select id="f-sort" value={sort()} onChange={(e) => setParams({ sort: e.currentTarget.value === "best" ? undefined : e.currentTarget.value }, { replace: true })}>
              <For each={SORTS}>{(s) => <option value={s}>{t(`core.search.sorts.${s}`)}</option>}</For>
            </select>
          </div>
          <div class="field">
            <label for="f-zone">{t("core.search.myZone")}</label>
            <TimeZoneSelect id="f-zone" value={zone()} onChange={(z) => setParams({ tz: z }, { replace: true })} />
          </div>
          <fieldset class="field hours">
            <legend class="label">{t("core.search.hours")}</legend>
            <div class="hours-grid">
              <div class="stack tight">
                <label for="f-from">{t("core.search.from")}</label>
                <input id="f-from" type="time" step="1800" value={fromDraft()} aria-describedby="f-hours-hint" onChange={(e) => commitHours(e.currentTarget.value, toDraft())} />
              </div>
              <div class="stack tight">
                <label for="f-to">{t("core.search.to")}</label>
                <input id="f-to" type="time" step="1800" value={toDraft()} aria-describedby="f-hours-hint" onChange={(e) => commitHours(fromDraft(), e.currentTarget.value)} />
              </div>
            </div>
            <span class="hint" id="f-hours-hint">
              {hoursIncomplete() ? t("core.search.hoursIncomplete") : t("core.search.hoursHint")}
            </span>
            <Show when={fromDraft() || toDraft()}>
              <button type="button" class="btn ghost small align-start" onClick={() => commitHours("", "")}>
                {t("core.search.anyTime")}
              </button>
            </Show>
          </fieldset>
        </form>

        <section class="results" aria-labelledby="results-title" aria-busy={answer.loading ? "true" : undefined}>
          <h2 id="results-title" class="sr-only">
            {t("core.search.results")}
          </h2>
          <p class="small muted results-count" role="status">
            <Switch>
              <Match when={!valid()}>{t("core.search.fixFilter")}</Match>
              <Match when={!list()}>{t("core.search.searching")}</Match>
              <Match when={list()}>
                {(l) => (
                  <>
                    {t("core.search.count", { count: l().length })}
                    {filters().q ? t("core.search.forText", { text: filters().q! }) : ""}
                    {hours() ? t("core.search.freeBetween", { count: l().length, from: formatHHmm(hours()!.from), to: formatHHmm(hours()!.to), city: zonePlace(zone()) }) : ""}
                    {t(`core.search.sortedFirst.${sort()}`)}
                    {answer.loading ? t("core.search.updating") : ""}
                  </>
                )}
              </Match>
            </Switch>
          </p>
          <Show when={failure() && !failure()!.issues.length}>
            <div class="alert error" role="alert">
              {failure()!.message}{" "}
              <button type="button" class="btn small secondary" onClick={() => void refetch()}>
                {t("core.search.tryAgain")}
              </button>
            </div>
          </Show>
          <Switch>
            <Match when={!list()}>
              <div class="results-grid" aria-hidden="true">
                <For each={[1, 2, 3, 4]}>{() => <div class="card skeleton" style={{ height: "220px" }} />}</For>
              </div>
            </Match>
            <Match when={list()?.length === 0}>
              <div class="card empty">
                <h3>{t("core.search.noneTitle")}</h3>
                <p>{t("core.search.noneBody")}</p>
              </div>
            </Match>
            <Match when={list()}>
              {(l) => (
                <ul class="results-grid" classList={{ stale: stale() }}>
                  <For each={l()}>{(t) => <TutorCard tutor={t} zone={zone()} withOverlap={!!hours()} text={filters().q} />}</For>
                </ul>
              )}
            </Match>
          </Switch>
        </section>
      </div>
    </>
  );
}

function TutorCard(props: { tutor: TutorResult; zone: string; withOverlap: boolean; text?: string }) {
  // The subject the search was for, preselected in the booking dialog when this tutor teaches it.
  const href = () => {
    const q = new URLSearchParams();
    const terms = props.text ? subjectTerms(props.text) : [];
    const subject = props.tutor.subjects.find((s) => terms.some((t) => subjectMatches(s, t)));
    if (subject) q.set("subject", subject);
    return `/tutors/${props.tutor.id}${q.size ? `?${q}` : ""}`;
  };
  return (
    <li class="card tutor-card" data-tutor={props.tutor.id}>
      <div class="tutor-card-head">
        <TutorAvatar name={props.tutor.name} photoUrl={props.tutor.photoUrl} />
        <div class="grow">
          <h3>
            <A href={href()} class="stretched">
              {props.tutor.name}
            </A>
          </h3>
          <p class="small muted">{formatRating(props.tutor.rating, props.tutor.ratingCount)}</p>
        </div>
        <CreditPrice minutesPerHour={props.tutor.creditMinutesPerHour} />
      </div>
      <ul class="chips" aria-label={t("core.search.subjects")}>
        <For each={props.tutor.subjects}>{(s) => <li class="chip static">{subjectLabel(s)}</li>}</For>
      </ul>
      {/* One listing for every viewer (asking each tutor's calendar per search costs too much): it says whom the trial
          is for, not that it is the viewer's; the tutor's page answers that. */}
      <Show when={props.tutor.offersTrials}>
        <p class="small" data-testid="trial-offer">
          <span class="badge success">{t("core.trial.badge")}</span> {t("core.trial.listed", { duration: formatMinutes(POLICY.trialMinutes), credits: formatCredits(trialPrice(props.tutor.hourlyRateCents)) })}
        </p>
      </Show>
      <p class="small bio-clamp" dir="auto">{props.tutor.bio}</p>
      <p class="small muted">
        {t("core.search.thereNow", { place: zonePlaceLabel(props.tutor.timezone), time: formatTime(Date.now(), props.tutor.timezone) })}
      </p>
      <Show when={"nextFreeAt" in props.tutor}>
        <p class="small" data-next-free={props.tutor.nextFreeAt ?? ""}>
          {props.tutor.nextFreeAt ? (
            tx("core.search.nextFree", { when: <strong>{formatDateTime(props.tutor.nextFreeAt, props.zone)}</strong> })
          ) : (
            <span class="muted">{t("core.search.noFree")}</span>
          )}
        </p>
      </Show>
      <Show when={props.withOverlap}>
        <div class="overlap">
          <p class="small">
            {tx("core.search.perWeek", { duration: <strong>{formatMinutes(props.tutor.overlapMinutesPerWeek)}</strong> })}
          </p>
          <Show when={props.tutor.overlap.length}>
            <ul class="overlap-list small" aria-label={t("core.search.nextShared")}>
              <For each={props.tutor.overlap.slice(0, 3)}>
                {(w) => (
                  <li>
                    {formatDateTime(w.start, props.zone)} – {formatTime(w.end, props.zone)}
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </div>
      </Show>
    </li>
  );
}
