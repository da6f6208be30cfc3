import { For, Show, createResource, createSignal } from "solid-js";
import type { User } from "../../../domain/schemas/auth";
import { Button } from "../components/Button";
import { ErrorAlert } from "../components/Alert";
import { Field } from "../components/Field";
import { Guard } from "../components/Guard";
import { ApiFailure, messageOf } from "../lib/api";
import { session } from "../lib/session";
import { formatDateTime } from "../lib/time";
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
const when = (iso: string | null, zone: string) => (iso ? formatDateTime(iso, zone) : "never");

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
      if (!confirm("Make a new address? Calendars subscribed to the current one stop updating until you subscribe again.")) return;
      mutate(await rotateFeed());
    });
  return (
    <section class="card" aria-labelledby="feed-title">
      <h2 id="feed-title">Your calendar feed</h2>
      <p class="muted">
        Subscribe to this private address in Google Calendar, Outlook or Apple Calendar to see your {props.user.role === "tutor" ? "sessions with students" : "sessions"} there. It
        updates about every hour. Anyone with the address can read it: keep it to yourself, and make a new one if it has leaked.
      </p>
      <ErrorAlert message={feed.error ? messageOf(feed.error) : rotate.error()} />
      <Show when={feed()} fallback={<p class="muted">Loading…</p>}>
        {(f) => (
          <>
            <Field label="Feed address" name="feed-url" value={f().url} readonly onFocus={(e) => e.currentTarget.select()} />
            <div class="row">
              <Button type="button" onClick={copy}>
                {copied() ? "Copied" : "Copy address"}
              </Button>
              <a class="btn secondary" href={f().webcalUrl}>
                Subscribe
              </a>
              <Button type="button" variant="danger" pending={rotate.pending()} onClick={onRotate}>
                Make a new address
              </Button>
            </div>
            <Show when={f().rotatedAt}>
              <p class="small muted">Address last changed {when(f().rotatedAt, props.user.timezone)}.</p>
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
        if (err instanceof ApiFailure && err.issues.length) setFieldError(err.issues[0]!.message);
        else if (err instanceof ApiFailure && err.code.startsWith("calendly_")) setFieldError(err.message);
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
        label="Calendly personal access token"
        name="calendly-token"
        type="password"
        autocomplete="off"
        spellcheck={false}
        hint="In Calendly: Integrations → API & Webhooks → Personal access tokens → Generate new token. Calendly confirms whose it is; we keep it encrypted and use it only to read your bookings' times."
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
      <p class="muted">Bookings people make with you on Calendly block that time here, so students cannot book it too.</p>
      <ErrorAlert message={link.error ? messageOf(link.error) : action.error()} />
      <Show when={!link.loading} fallback={<p class="muted">Loading…</p>}>
        <Show when={link()} fallback={form("Link Calendly")}>
          {(l) => (
            <>
              <div class="row">
                <span class={`badge ${l().verified ? "success" : "warning"}`}>{l().verified ? "Linked" : "Not verified"}</span>
                <span class="small">
                  {l().name ? `${l().name} · ` : ""}
                  {l().userUri} · since {when(l().linkedAt, props.user.timezone)}
                </span>
                <span class="spacer" />
                <Button type="button" small variant="secondary" pending={action.pending()} onClick={onUnlink}>
                  Unlink
                </Button>
              </div>
              <Show when={!l().verified}>
                <p class="small">This link was made before Calendly confirmed accounts: its bookings do not block your time until you link it again with a token.</p>
                {form("Verify with Calendly")}
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
          <div class="small muted">Last good sync {when(props.cal.lastSuccessAt, props.zone)}</div>
        </Show>
      </td>
      <td>
        {props.cal.eventCount}
        <Show when={props.cal.skippedEvents}>
          <div class="small muted">{props.cal.skippedEvents} skipped</div>
        </Show>
      </td>
      <td>
        <div class="row">
          <Button type="button" small variant="secondary" pending={sync.pending()} onClick={() => sync.run(async () => props.onChange(await syncOutsideCalendar(props.cal.id)))}>
            Sync now
          </Button>
          <Button type="button" small variant="danger" pending={remove.pending()} onClick={() => remove.run(props.onRemove)}>
            Remove
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
      <h2 id="outside-title">Outside calendars</h2>
      <p class="muted">
        Add the secret iCal address of another calendar (Google: "Secret address in iCal format"; Outlook: "Publish calendar" → ICS). Its busy times block your
        Tutorly slots; we check it every 15 minutes. Times below are in {props.user.timezone.replace(/_/g, " ")}.
      </p>
      <ErrorAlert message={calendars.error ? messageOf(calendars.error) : undefined} />
      <Show when={(calendars() ?? []).length} fallback={<p class="empty">No outside calendars yet.</p>}>
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Calendar</th>
                <th scope="col">Last sync</th>
                <th scope="col">Busy times</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
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
        <Field label="Calendar address" name="outside-url" placeholder="https://… or webcal://…" value={url()} error={fieldError()} onInput={(e) => setUrl(e.currentTarget.value)} />
        <Field label="Name (optional)" name="outside-label" placeholder="Work" maxLength={60} value={label()} onInput={(e) => setLabel(e.currentTarget.value)} />
        <Button type="submit" pending={add.pending()}>
          {add.pending() ? "Adding and syncing…" : "Add calendar"}
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
        <h2 id="conflicts-title">Conflicts to resolve</h2>
        <p class="muted">These outside bookings overlap sessions students booked with you. Move or cancel one of each pair, then mark it resolved.</p>
        <ErrorAlert message={conflicts.error ? messageOf(conflicts.error) : error()} />
        <ul class="stack">
          <For each={conflicts()}>
            {(c) => (
              <li class="row">
                <span class="badge warning">{c.source === "calendly" ? "Calendly" : "Outside calendar"}</span>
                <span>
                  “{c.title}” ({when(c.blockStart, props.user.timezone)}) overlaps your {c.subject} session at {when(c.sessionStart, props.user.timezone)}
                </span>
                <span class="spacer" />
                <Button type="button" small variant="secondary" onClick={() => dismiss(c)}>
                  Mark resolved
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
                <h1>Calendar sync</h1>
                <p>Keep Tutorly and your other calendars in step.</p>
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
