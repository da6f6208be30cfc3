import { A, useSearchParams } from "@solidjs/router";
import { For, Match, Show, Switch, createMemo, createResource, createSignal, onCleanup } from "solid-js";
import { TimeZoneSelect } from "../components/TimeZoneSelect";
import { type SearchFilters, type TutorResult, searchTutors } from "../features/tutors/search";
import { formatRating, subjectLabel } from "../lib/format";
import { CreditPrice } from "../components/CreditPrice";
import { CREDIT_MINUTE_CENTS } from "../../../domain/credits/pricing";
import { session } from "../lib/session";
import { formatDateTime, formatHHmm, formatMinutes, formatTime, zoneAbbr } from "../lib/time";
import { isValidTimeZone } from "../../../domain/time/zoneNames";
import { browserTimeZone, cityOf } from "../lib/zones";

const SUBJECTS = ["mathematics", "english", "spanish", "physics", "computer science", "python", "chemistry", "french", "japanese", "biology", "portuguese", "arabic", "sat prep", "ielts prep"];
const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Tutor search: filters live in the URL, so a search can be shared and the back button works. */
export default function Tutors() {
  const [params, setParams] = useSearchParams<{ subject?: string; max?: string; tz?: string; from?: string; to?: string }>();
  const zone = () => (params.tz && isValidTimeZone(params.tz) ? params.tz : (session.user()?.timezone ?? browserTimeZone()));
  const hours = () => (params.from && params.to && HHMM.test(params.from) && HHMM.test(params.to) && params.from !== params.to ? { from: params.from, to: params.to } : undefined);

  const filters = createMemo<SearchFilters>(() => ({
    subject: params.subject?.toLowerCase() || undefined,
    // The price a student sees is credit per hour; a tutor costs at most N credit-minutes an hour exactly when their
    // rate is at most N × CREDIT_MINUTE_CENTS (pricing.ts rounds up).
    maxRateCents: params.max && Number(params.max) > 0 ? String(Math.round(Number(params.max)) * CREDIT_MINUTE_CENTS) : undefined,
    tz: zone(),
    ...hours(),
  }));
  // Wait for the session before the first search, so "my zone" is the signed-in user's.
  const [results, { refetch }] = createResource(() => (session.user.loading ? undefined : JSON.stringify(filters())), (key) => searchTutors(JSON.parse(key)));

  // Text fields update the URL after a pause in typing; selects and times at once.
  const [subjectDraft, setSubjectDraft] = createSignal(params.subject ?? "");
  const [maxDraft, setMaxDraft] = createSignal(params.max ?? "");
  let typing: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(typing));
  const debounce = (patch: Record<string, string | undefined>) => {
    clearTimeout(typing);
    typing = setTimeout(() => setParams(patch, { replace: true }), 350);
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
          <h1>Find a tutor</h1>
          <p>Filter by subject, price and the hours that suit you; times are shown in your zone.</p>
        </div>
      </div>
      <div class="search-layout">
        <form class="card filters" role="search" aria-label="Tutor filters" onSubmit={(e) => e.preventDefault()}>
          <div class="field">
            <label for="f-subject">Subject</label>
            <input
              id="f-subject"
              list="subject-options"
              placeholder="Any subject"
              value={subjectDraft()}
              onInput={(e) => {
                setSubjectDraft(e.currentTarget.value);
                debounce({ subject: e.currentTarget.value.trim() || undefined });
              }}
            />
            <datalist id="subject-options">
              <For each={SUBJECTS}>{(s) => <option value={s}>{subjectLabel(s)}</option>}</For>
            </datalist>
          </div>
          <div class="field">
            <label for="f-max">Max price (credit-minutes per hour)</label>
            <input
              id="f-max"
              type="number"
              inputmode="numeric"
              min="10"
              step="10"
              placeholder="Any price"
              value={maxDraft()}
              onInput={(e) => {
                setMaxDraft(e.currentTarget.value);
                debounce({ max: e.currentTarget.value || undefined });
              }}
            />
          </div>
          <div class="field">
            <label for="f-zone">My time zone</label>
            <TimeZoneSelect id="f-zone" value={zone()} onChange={(z) => setParams({ tz: z }, { replace: true })} />
          </div>
          <fieldset class="field hours">
            <legend class="label">My preferred daily hours</legend>
            <div class="hours-grid">
              <div class="stack tight">
                <label for="f-from">From</label>
                <input id="f-from" type="time" step="1800" value={fromDraft()} aria-describedby="f-hours-hint" onChange={(e) => commitHours(e.currentTarget.value, toDraft())} />
              </div>
              <div class="stack tight">
                <label for="f-to">To</label>
                <input id="f-to" type="time" step="1800" value={toDraft()} aria-describedby="f-hours-hint" onChange={(e) => commitHours(fromDraft(), e.currentTarget.value)} />
              </div>
            </div>
            <span class="hint" id="f-hours-hint">
              {hoursIncomplete() ? "Set both times (they must differ) to see overlap." : "In your zone; leave empty for any time. An end before the start runs past midnight."}
            </span>
            <Show when={fromDraft() || toDraft()}>
              <button type="button" class="btn ghost small align-start" onClick={() => commitHours("", "")}>
                Any time
              </button>
            </Show>
          </fieldset>
        </form>

        <section class="results" aria-labelledby="results-title" aria-busy={results.loading ? "true" : undefined}>
          <h2 id="results-title" class="sr-only">
            Results
          </h2>
          <p class="small muted results-count" role="status">
            <Switch>
              <Match when={results.loading && !results.latest}>Searching…</Match>
              <Match when={results.latest}>
                {(list) => (
                  <>
                    {list().length} tutor{list().length === 1 ? "" : "s"}
                    {filters().subject ? ` for ${subjectLabel(filters().subject!)}` : ""}
                    {hours() ? ` free between ${formatHHmm(hours()!.from)} and ${formatHHmm(hours()!.to)} (${cityOf(zone())} time)` : ""}
                    {results.loading ? " · updating…" : ""}
                  </>
                )}
              </Match>
            </Switch>
          </p>
          <Switch>
            <Match when={results.error}>
              <div class="alert error" role="alert">
                {(results.error as Error).message || "Search failed."} <button type="button" class="btn small secondary" onClick={() => void refetch()}>
                  Try again
                </button>
              </div>
            </Match>
            <Match when={results.loading && !results.latest}>
              <div class="results-grid" aria-hidden="true">
                <For each={[1, 2, 3, 4]}>{() => <div class="card skeleton" style={{ height: "220px" }} />}</For>
              </div>
            </Match>
            <Match when={results.latest?.length === 0}>
              <div class="card empty">
                <h3>No tutors match</h3>
                <p>Try another subject, a higher price, or wider hours.</p>
              </div>
            </Match>
            <Match when={results.latest}>
              {(list) => (
                <ul class="results-grid" classList={{ stale: results.loading }}>
                  <For each={list()}>{(t) => <TutorCard tutor={t} zone={zone()} withOverlap={!!hours()} subject={filters().subject} />}</For>
                </ul>
              )}
            </Match>
          </Switch>
        </section>
      </div>
    </>
  );
}

function TutorCard(props: { tutor: TutorResult; zone: string; withOverlap: boolean; subject?: string }) {
  const href = () => {
    const q = new URLSearchParams();
    if (props.subject && props.tutor.subjects.includes(props.subject)) q.set("subject", props.subject);
    return `/tutors/${props.tutor.id}${q.size ? `?${q}` : ""}`;
  };
  return (
    <li class="card tutor-card" data-tutor={props.tutor.id}>
      <div class="tutor-card-head">
        <div class="avatar" aria-hidden="true">
          {props.tutor.name.charAt(0)}
        </div>
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
      <ul class="chips" aria-label="Subjects">
        <For each={props.tutor.subjects}>{(s) => <li class="chip static">{subjectLabel(s)}</li>}</For>
      </ul>
      <p class="small bio-clamp">{props.tutor.bio}</p>
      <p class="small muted">
        {cityOf(props.tutor.timezone)} ({zoneAbbr(props.tutor.timezone)}) · {formatTime(Date.now(), props.tutor.timezone)} there now
      </p>
      <Show when={props.withOverlap}>
        <div class="overlap">
          <p class="small">
            <strong>{formatMinutes(props.tutor.overlapMinutesPerWeek)}</strong> a week in your hours
          </p>
          <Show when={props.tutor.overlap.length}>
            <ul class="overlap-list small" aria-label="Next shared windows">
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
