import { For, Show, createResource, createSignal } from "solid-js";
import type { User } from "../../../domain/schemas/auth";
import { Button } from "../components/Button";
import { ErrorAlert } from "../components/Alert";
import { Field } from "../components/Field";
import { Guard } from "../components/Guard";
import { ApiFailure, messageOf } from "../lib/api";
import { session } from "../lib/session";
import { formatDateTime, zoneLabel } from "../lib/time";
import { subjectLabel } from "../lib/format";
import { t, tx } from "../i18n";
import {
  type Conflict,
  type OutsideCalendar,
  addOutsideCalendar,
  dismissConflict,
  fetchCalendlyLink,
  fetchConflicts,
  fetchFeed,
  fetchOutsideCalendars,
  linkCalendly,
  removeOutsideCalendar,
  rotateFeed,
  syncOutsideCalendar,
  unlinkCalendly,
} from "../features/calendarSync/calendarSync";

/** An instant in the viewer's zone, e.g. "Tue, Mar 2, 9:00 AM". */
const when = (iso: string | null, zone: string) => (iso ? formatDateTime(iso, zone) : t("teaching.sync.never"));

/** Runs an action with pending and error state for one control. */
function useAction() {
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const run = async (action: () => Promise<unknown>) => {
    setPending(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setPending(false);
    }
  };
  return { pending, error, run };
}

function FeedCard(props: { user: User }) {
  const [feed, { mutate }] = createResource(fetchFeed);
  const rotate = useAction();
  const [copied, setCopied] = createSignal(false);
  const copy = async () => {
    await navigator.clipboard.writeText(feed()!.url);
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  const onRotate = () =>
    rotate.run(async () => {
      if (!confirm(t("teaching.sync.rotateConfirm"))) return;
      mutate(await rotateFeed());
    });
  return (
    <section class="card" aria-labelledby="feed-title">
      <h2 id="feed-title">{t("teaching.sync.feedTitle")}</h2>
      <p class="muted">
        {props.user.role === "tutor" ? t("teaching.sync.feedIntroTutor") : t("teaching.sync.feedIntro")}
      </p>
      <ErrorAlert message={feed.error ? messageOf(feed.error) : rotate.error()} />
      <Show when={feed()} fallback={<p class="muted">{t("core.app.loading")}</p>}>
        {(f) => (
          <>
            <Field label={t("teaching.sync.feedAddress")} name="feed-url" value={f().url} readonly onFocus={(e) => e.currentTarget.select()} />
            <div class="row">
              <Button type="button" onClick={copy}>
                {copied() ? t("teaching.sync.copied") : t("teaching.sync.copy")}
              </Button>
              <a class="btn secondary" href={f().webcalUrl}>
                {t("teaching.sync.subscribe")}
              </a>
              <Button type="button" variant="danger" pending={rotate.pending()} onClick={onRotate}>
                {t("teaching.sync.rotate")}
              </Button>
            </div>
            <Show when={f().rotatedAt}>
              <p class="small muted">{t("teaching.sync.rotatedAt", { when: when(f().rotatedAt, props.user.timezone) })}</p>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}

function CalendlyCard(props: { user: User }) {
  const [link, { mutate }] = createResource(fetchCalendlyLink);
  const [token, setToken] = createSignal("");
  const [fieldError, setFieldError] = createSignal<string>();
  const action = useAction();
  const onLink = (e: SubmitEvent) => {
    e.preventDefault();
    setFieldError(undefined);
    return action.run(async () => {
      try {
        mutate(await linkCalendly(token().trim()));
        setToken("");
      } catch (err) {
        // Calendly's refusals by their code, in the viewer's language (the server's English only stands in).
        if (err instanceof ApiFailure && err.code.startsWith("calendly_")) setFieldError(messageOf(err));
        else if (err instanceof ApiFailure && err.issues.length) setFieldError(err.issues[0]!.message);
        else throw err;
      }
    });
  };
  const onUnlink = () =>
    action.run(async () => {
      await unlinkCalendly();
      mutate(null);
    });
  const form = (verb: string) => (
    <form onSubmit={onLink} novalidate>
      <Field
        label={t("teaching.sync.token")}
        name="calendly-token"
        type="password"
        autocomplete="off"
        spellcheck={false}
        hint={t("teaching.sync.tokenHint")}
        value={token()}
        error={fieldError()}
        onInput={(e) => setToken(e.currentTarget.value)}
      />
      <Button type="submit" pending={action.pending()}>
        {verb}
      </Button>
    </form>
  );
  return (
    <section class="card" aria-labelledby="calendly-title">
      <h2 id="calendly-title">Calendly</h2>
      <p class="muted">{t("teaching.sync.calendlyIntro")}</p>
      <ErrorAlert message={link.error ? messageOf(link.error) : action.error()} />
      <Show when={!link.loading} fallback={<p class="muted">{t("core.app.loading")}</p>}>
        <Show when={link()} fallback={form(t("teaching.sync.link"))}>
          {(l) => (
            <>
              <div class="row">
                <span class={`badge ${l().verified ? "success" : "warning"}`}>{l().verified ? t("teaching.sync.linked") : t("teaching.sync.notVerified")}</span>
                <span class="small">
                  {l().name ? `${l().name} · ` : ""}
                  {l().userUri} · {t("teaching.sync.since", { when: when(l().linkedAt, props.user.timezone) })}
                </span>
                <span class="spacer" />
                <Button type="button" small variant="secondary" pending={action.pending()} onClick={onUnlink}>
                  {t("teaching.sync.unlink")}
                </Button>
              </div>
              <Show when={!l().verified}>
                <p class="small">{t("teaching.sync.unverifiedBody")}</p>
                {form(t("teaching.sync.verify"))}
              </Show>
            </>
          )}
        </Show>
      </Show>
    </section>
  );
}

function OutsideCalendarRow(props: { cal: OutsideCalendar; zone: string; onChange: (c: OutsideCalendar) => void; onRemove: () => Promise<void> }) {
  const sync = useAction();
  const remove = useAction();
  return (
    <tr>
      <td>
        <strong>{props.cal.label}</strong>
        <div class="small muted">{props.cal.address}</div>
      </td>
      <td>
        {when(props.cal.lastSyncAt, props.zone)}
        <Show when={props.cal.lastError}>
          <div>
            {/* A sync that worked may still have a note (events it could not read); a failed one is an error. */}
            <span class={`badge ${props.cal.lastSuccessAt === props.cal.lastSyncAt ? "warning" : "danger"}`}>{props.cal.lastError}</span>
          </div>
        </Show>
        <Show when={props.cal.lastError && props.cal.lastSuccessAt && props.cal.lastSuccessAt !== props.cal.lastSyncAt}>
          <div class="small muted">{t("teaching.sync.lastGood", { when: when(props.cal.lastSuccessAt, props.zone) })}</div>
        </Show>
      </td>
      <td>
        {props.cal.eventCount}
        <Show when={props.cal.skippedEvents}>
          <div class="small muted">{t("teaching.sync.skipped", { count: props.cal.skippedEvents })}</div>
        </Show>
      </td>
      <td>
        <div class="row">
          <Button type="button" small variant="secondary" pending={sync.pending()} onClick={() => sync.run(async () => props.onChange(await syncOutsideCalendar(props.cal.id)))}>
            {t("teaching.sync.syncNow")}
          </Button>
          <Button type="button" small variant="danger" pending={remove.pending()} onClick={() => remove.run(props.onRemove)}>
            {t("teaching.availability.remove")}
          </Button>
        </div>
        <ErrorAlert message={sync.error() ?? remove.error()} />
      </td>
    </tr>
  );
}

function OutsideCalendarsCard(props: { user: User }) {
  const [calendars, { mutate }] = createResource(fetchOutsideCalendars);
  const [url, setUrl] = createSignal("");
  const [label, setLabel] = createSignal("");
  const [fieldError, setFieldError] = createSignal<string>();
  const add = useAction();
  const onAdd = (e: SubmitEvent) => {
    e.preventDefault();
    setFieldError(undefined);
    return add.run(async () => {
      try {
        const cal = await addOutsideCalendar({ url: url().trim(), ...(label().trim() ? { label: label().trim() } : {}) });
        mutate((list) => [...(list ?? []).filter((c) => c.id !== cal.id), cal]);
        setUrl("");
        setLabel("");
      } catch (err) {
        if (err instanceof ApiFailure && err.issues.length) setFieldError(err.issues[0]!.message);
        else throw err;
      }
    });
  };
  // Optimistic: the row goes at once and comes back if the server refuses.
  const remove = async (cal: OutsideCalendar) => {
    const before = calendars() ?? [];
    mutate(before.filter((c) => c.id !== cal.id));
    try {
      await removeOutsideCalendar(cal.id);
    } catch (e) {
      mutate(before);
      throw e;
    }
  };
  return (
    <section class="card" aria-labelledby="outside-title">
      <h2 id="outside-title">{t("teaching.sync.outsideTitle")}</h2>
      <p class="muted">
        {t("teaching.sync.outsideIntro", { minutes: 15, zone: zoneLabel(props.user.timezone) })}
      </p>
      <ErrorAlert message={calendars.error ? messageOf(calendars.error) : undefined} />
      <Show when={(calendars() ?? []).length} fallback={<p class="empty">{t("teaching.sync.none")}</p>}>
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t("teaching.sync.calendar")}</th>
                <th scope="col">{t("teaching.sync.lastSync")}</th>
                <th scope="col">{t("teaching.sync.busy")}</th>
                <th scope="col">
                  <span class="sr-only">{t("teaching.sync.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={calendars()}>
                {(cal) => (
                  <OutsideCalendarRow
                    cal={cal}
                    zone={props.user.timezone}
                    onChange={(next) => mutate((list) => (list ?? []).map((c) => (c.id === next.id ? next : c)))}
                    onRemove={() => remove(cal)}
                  />
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
      <form onSubmit={onAdd} novalidate>
        <ErrorAlert message={add.error()} />
        <Field label={t("teaching.sync.address")} name="outside-url" placeholder={t("teaching.sync.addressPlaceholder")} value={url()} error={fieldError()} onInput={(e) => setUrl(e.currentTarget.value)} />
        <Field label={t("teaching.sync.name")} name="outside-label" placeholder={t("teaching.sync.namePlaceholder")} maxLength={60} value={label()} onInput={(e) => setLabel(e.currentTarget.value)} />
        <Button type="submit" pending={add.pending()}>
          {add.pending() ? t("teaching.sync.adding") : t("teaching.sync.add")}
        </Button>
      </form>
    </section>
  );
}

function ConflictsCard(props: { user: User }) {
  const [conflicts, { mutate }] = createResource(fetchConflicts);
  const [error, setError] = createSignal<string>();
  const dismiss = async (c: Conflict) => {
    const before = conflicts() ?? [];
    mutate(before.filter((x) => x.id !== c.id));
    setError(undefined);
    try {
      await dismissConflict(c.id);
    } catch (e) {
      mutate(before);
      setError(messageOf(e));
    }
  };
  return (
    <Show when={(conflicts() ?? []).length || conflicts.error || error()}>
      <section class="card" aria-labelledby="conflicts-title">
        <h2 id="conflicts-title">{t("teaching.sync.conflicts")}</h2>
        <p class="muted">{t("teaching.sync.conflictsIntro")}</p>
        <ErrorAlert message={conflicts.error ? messageOf(conflicts.error) : error()} />
        <ul class="stack">
          <For each={conflicts()}>
            {(c) => (
              <li class="row">
                <span class="badge warning">{c.source === "calendly" ? "Calendly" : t("teaching.sync.outside")}</span>
                <span>
                  {t("teaching.sync.overlap", { title: c.title, at: when(c.blockStart, props.user.timezone), subject: subjectLabel(c.subject), session: when(c.sessionStart, props.user.timezone) })}
                </span>
                <span class="spacer" />
                <Button type="button" small variant="secondary" onClick={() => dismiss(c)}>
                  {t("teaching.sync.resolve")}
                </Button>
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  );
}

/** "Calendar sync": the feed for everyone; Calendly, outside calendars and conflicts for tutors. */
export default function CalendarSync() {
  return (
    <Guard roles={["tutor", "student"]}>
      <Show when={session.user()}>
        {(user) => (
          <>
            <div class="page-head">
              <div>
                <h1>{t("core.nav.calendarSync")}</h1>
                <p>{t("teaching.sync.intro")}</p>
              </div>
            </div>
            <div class="stack">
              <Show when={user().role === "tutor"}>
                <ConflictsCard user={user()} />
              </Show>
              <FeedCard user={user()} />
              <Show when={user().role === "tutor"}>
                <CalendlyCard user={user()} />
                <OutsideCalendarsCard user={user()} />
              </Show>
            </div>
          </>
        )}
      </Show>
    </Guard>
  );
}
