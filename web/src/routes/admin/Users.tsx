import { A, useSearchParams } from "@solidjs/router";
import { For, Show, createResource, createSignal, onCleanup } from "solid-js";
import { ErrorAlert, Notice } from "../../components/Alert";
import { DataTable } from "../../components/DataTable";
import { Section } from "../../components/Section";
import { type AdminUser, type Role, fetchUsers, restoreUser, suspendUser } from "../../features/admin/admin";
import { SuspendWarning, focusOnMount, suspendedText } from "../../components/admin/SuspendWarning";
import { Button } from "../../components/Button";
import { createAction } from "../../lib/action";
import { session } from "../../lib/session";
import { messageOf } from "../../lib/api";
import { formatDate } from "../../lib/time";
import { formatPercent } from "../../lib/format";
import { t } from "../../i18n";

const ROLES: Role[] = ["student", "tutor", "admin"];

/** Everyone, searchable by name or email and filterable by role; links to their bookings and credits. */
export default function Users() {
  const [params, setParams] = useSearchParams<{ q?: string; role?: string }>();
  const role = () => (ROLES.includes(params.role as Role) ? (params.role as Role) : undefined);
  const [users, { refetch }] = createResource(() => ({ q: params.q ?? "", role: role() }), fetchUsers);
  const [draft, setDraft] = createSignal(params.q ?? "");
  // What the last suspension or restore did, said above the list (the row itself is drawn anew).
  const [flash, setFlash] = createSignal<string>();
  const changed = (text: string) => {
    setFlash(text);
    void refetch();
  };
  let typing: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(typing));

  return (
    <Section title={t("admin.sections.users")}>
      <form class="filters-row" role="search" aria-label={t("admin.users.find")} onSubmit={(e) => e.preventDefault()}>
        <div class="field compact grow">
          <label for="user-q">{t("admin.users.nameOrEmail")}</label>
          <input
            id="user-q"
            type="search"
            value={draft()}
            placeholder={t("admin.users.search")}
            onInput={(e) => {
              setDraft(e.currentTarget.value);
              clearTimeout(typing);
              const q = e.currentTarget.value.trim();
              typing = setTimeout(() => setParams({ q: q || undefined }, { replace: true }), 300);
            }}
          />
        </div>
        <div class="field compact">
          <label for="user-role">{t("admin.users.role")}</label>
          <select id="user-role" value={role() ?? ""} onChange={(e) => setParams({ role: e.currentTarget.value || undefined }, { replace: true })}>
            <option value="">{t("admin.users.everyone")}</option>
            <For each={ROLES}>{(r) => <option value={r}>{t(`admin.users.roles.${r}`)}</option>}</For>
          </select>
        </div>
      </form>
      <ErrorAlert message={users.error ? t("admin.users.loadFailed", { reason: messageOf(users.error) }) : undefined} />
      <p class="small muted" role="status">
        {users.loading && !users.latest ? t("core.app.loading") : t("admin.users.count", { count: users.latest?.length ?? 0 }) + (users.loading ? t("admin.users.updating") : "")}
      </p>
      <Notice message={flash()} />
      <DataTable
        rows={users.latest}
        stale={users.loading}
        rowAttrs={(u) => ({ "data-user": u.id })}
        columns={[
          { head: t("admin.users.name"), cell: (u) => <UserName user={u} /> },
          { head: t("admin.users.role"), cell: (u) => <UserRole user={u} /> },
          { head: t("admin.users.zone"), class: "small", hideOnPhone: true, cell: (u) => u.timezone.replace(/_/g, " ") },
          { head: t("admin.users.joined"), class: "small nowrap", hideOnPhone: true, cell: (u) => formatDate(u.createdAt, "UTC") },
          { head: t("admin.users.actions"), hiddenHead: true, cell: (u) => <UserLinks user={u} onChanged={changed} /> },
        ]}
      />
    </Section>
  );
}

function UserName(props: { user: AdminUser }) {
  return (
    <>
      <strong>{props.user.name}</strong>
      <div class="small muted break">{props.user.email}</div>
      <div class="row tight">
        <Show when={props.user.status === "suspended"}>
          <span class="badge danger">{t("admin.users.suspended")}</span>
        </Show>
        <Show when={props.user.status === "deleted"}>
          <span class="badge">{t("admin.users.deleted")}</span>
        </Show>
        <Show when={props.user.status === "active" && !props.user.emailVerifiedAt}>
          <span class="badge warning">{t("admin.users.unconfirmed")}</span>
        </Show>
      </div>
    </>
  );
}

function UserRole(props: { user: AdminUser }) {
  const u = () => props.user;
  return (
    <>
      <span class={`badge ${u().role === "admin" ? "brand" : ""}`}>{t(`admin.users.role1.${u().role}`)}</span>
      <Show when={u().role === "tutor"}>
        <div class="small">
          <Show when={u().approvedAt} fallback={<span class="badge warning">{t("admin.users.pending")}</span>}>
            <span class="muted">{reliabilityText(u())}</span>
          </Show>
          <Show when={u().flagged}>
            {" "}
            <span class="badge danger">{t("admin.users.flagged")}</span>
          </Show>
        </div>
      </Show>
    </>
  );
}

/**
 * "96 % reliable"; a tutor who has taught nothing and missed nothing starts at 100 %, which says nothing yet, so
 * "No sessions yet" (a no-show or late cancellation before any lesson still shows its score).
 */
function reliabilityText(u: AdminUser): string {
  if (u.reliability === null || u.reliability === undefined) return "";
  if (u.completedSessions === 0 && u.reliability >= 1) return t("admin.users.noSessions");
  return t("admin.users.reliable", { percent: formatPercent(Math.round(Number(u.reliability) * 100)) });
}

function UserLinks(props: { user: AdminUser; onChanged: (text: string) => void }) {
  const u = () => props.user;
  return (
    <div class="row tight">
      <Show when={u().status !== "deleted" && u().id !== session.user()?.id}>
        <SuspendControl user={u()} onChanged={props.onChanged} />
      </Show>
      <Show when={u().role === "student"}>
        <A class="btn small secondary" href={`/admin/credits?user=${u().id}`} aria-label={t("admin.users.creditsOf", { name: u().name })}>
          {t("admin.sections.credits")}
        </A>
      </Show>
      <Show when={u().role !== "admin"}>
        <A class="btn small ghost" href={`/admin/bookings?${u().role}=${u().id}`} aria-label={t("admin.users.bookingsOf", { name: u().name })}>
          {t("admin.sections.bookings")}
        </A>
      </Show>
    </div>
  );
}

/**
 * Suspend (with a reason the person is emailed) or restore an account, each confirmed in a second step. Suspending
 * signs them out everywhere at once and cancels their sessions to come (everyone refunded and told): the form says
 * so, with how many, before the admin confirms, and the page says how many were cancelled after. Restoring brings
 * none of them back: the restore step says so before the admin confirms, and the page again after.
 */
function SuspendControl(props: { user: AdminUser; onChanged: (text: string) => void }) {
  const [asking, setAsking] = createSignal(false);
  const [reason, setReason] = createSignal("");
  const name = () => props.user.name;
  const act = createAction(async (kind: "suspend" | "restore") => {
    let text: string;
    if (kind === "suspend") {
      const done = await suspendUser(props.user.id, reason().trim());
      text = suspendedText(name(), done.cancelledSessions);
    } else {
      await restoreUser(props.user.id);
      text = t("admin.users.restoredDone", { name: name() });
    }
    setAsking(false);
    setReason("");
    props.onChanged(text);
  });
  const id = () => `suspend-${props.user.id}`;
  return (
    <Show
      when={props.user.status !== "suspended"}
      fallback={
        <>
          <Show
            when={asking()}
            fallback={
              <Button small variant="secondary" onClick={() => setAsking(true)} aria-label={t("admin.users.restoreName", { name: name() })}>
                {t("admin.users.restore")}
              </Button>
            }
          >
            <div class="row tight" role="group" aria-label={t("admin.users.restoreName", { name: name() })}>
              <Button small variant="secondary" ref={focusOnMount} pending={act.pending()} onClick={() => void act.run("restore")} aria-describedby={`${id()}-restore`}>
                {t("admin.users.restore")}
              </Button>
              <Button small variant="ghost" type="button" disabled={act.pending()} onClick={() => setAsking(false)}>
                {t("admin.users.cancel")}
              </Button>
              <p class="small warning-text" id={`${id()}-restore`} role="note">
                {t("admin.users.restoreNote")}
              </p>
            </div>
          </Show>
          <Show when={act.error()}>
            <span class="field-error" role="alert">
              {act.error()}
            </span>
          </Show>
        </>
      }
    >
      <Show
        when={asking()}
        fallback={
          <Button small variant="ghost" onClick={() => setAsking(true)} aria-label={t("admin.users.suspendName", { name: name() })}>
            {t("admin.users.suspend")}
          </Button>
        }
      >
        <form
          class="row tight"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason().trim()) void act.run("suspend");
            else act.setError(t("admin.users.sayWhy"));
          }}
        >
          <label class="sr-only" for={id()}>
            {t("admin.users.why", { name: name() })}
          </label>
          <input id={id()} ref={focusOnMount} placeholder={t("admin.users.reason")} value={reason()} maxLength={500} onInput={(e) => setReason(e.currentTarget.value)} aria-describedby={`${id()}-warning`} />
          <Button small variant="danger" type="submit" pending={act.pending()}>
            {t("admin.users.suspend")}
          </Button>
          <Button small variant="ghost" type="button" onClick={() => setAsking(false)}>
            {t("admin.users.cancel")}
          </Button>
          <SuspendWarning user={props.user} id={`${id()}-warning`} />
        </form>
      </Show>
      <Show when={act.error()}>
        <span class="field-error" role="alert">
          {act.error()}
        </span>
      </Show>
    </Show>
  );
}
