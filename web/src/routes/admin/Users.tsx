import { A, useSearchParams } from "@solidjs/router";
import { For, Show, createResource, createSignal, onCleanup } from "solid-js";
import { ErrorAlert } from "../../components/Alert";
import { DataTable } from "../../components/DataTable";
import { Section } from "../../components/Section";
import { type AdminUser, type Role, fetchUsers, restoreUser, suspendUser } from "../../features/admin/admin";
import { Button } from "../../components/Button";
import { createAction } from "../../lib/action";
import { session } from "../../lib/session";
import { messageOf } from "../../lib/api";
import { formatDate } from "../../lib/time";

const ROLES: Role[] = ["student", "tutor", "admin"];

/** Everyone, searchable by name or email and filterable by role; links to their bookings and credits. */
export default function Users() {
  const [params, setParams] = useSearchParams<{ q?: string; role?: string }>();
  const role = () => (ROLES.includes(params.role as Role) ? (params.role as Role) : undefined);
  const [users, { refetch }] = createResource(() => ({ q: params.q ?? "", role: role() }), fetchUsers);
  const [draft, setDraft] = createSignal(params.q ?? "");
  let typing: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(typing));

  return (
    <Section title="Users">
      <form class="filters-row" role="search" aria-label="Find users" onSubmit={(e) => e.preventDefault()}>
        <div class="field compact grow">
          <label for="user-q">Name or email</label>
          <input
            id="user-q"
            type="search"
            value={draft()}
            placeholder="Search…"
            onInput={(e) => {
              setDraft(e.currentTarget.value);
              clearTimeout(typing);
              const q = e.currentTarget.value.trim();
              typing = setTimeout(() => setParams({ q: q || undefined }, { replace: true }), 300);
            }}
          />
        </div>
        <div class="field compact">
          <label for="user-role">Role</label>
          <select id="user-role" value={role() ?? ""} onChange={(e) => setParams({ role: e.currentTarget.value || undefined }, { replace: true })}>
            <option value="">Everyone</option>
            <For each={ROLES}>{(r) => <option value={r}>{r[0]!.toUpperCase() + r.slice(1)}s</option>}</For>
          </select>
        </div>
      </form>
      <ErrorAlert message={users.error ? `Couldn't load users: ${messageOf(users.error)}` : undefined} />
      <p class="small muted" role="status">
        {users.loading && !users.latest ? "Loading…" : `${users.latest?.length ?? 0} user${users.latest?.length === 1 ? "" : "s"}${users.loading ? " · updating…" : ""}`}
      </p>
      <DataTable
        rows={users.latest}
        stale={users.loading}
        rowAttrs={(u) => ({ "data-user": u.id })}
        columns={[
          { head: "Name", cell: (u) => <UserName user={u} /> },
          { head: "Role", cell: (u) => <UserRole user={u} /> },
          { head: "Zone", class: "small", hideOnPhone: true, cell: (u) => u.timezone.replace(/_/g, " ") },
          { head: "Joined", class: "small nowrap", hideOnPhone: true, cell: (u) => formatDate(u.createdAt, "UTC") },
          { head: "Actions", hiddenHead: true, cell: (u) => <UserLinks user={u} onChanged={refetch} /> },
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
          <span class="badge danger">Suspended</span>
        </Show>
        <Show when={props.user.status === "deleted"}>
          <span class="badge">Deleted</span>
        </Show>
        <Show when={props.user.status === "active" && !props.user.emailVerifiedAt}>
          <span class="badge warning">Email not confirmed</span>
        </Show>
      </div>
    </>
  );
}

function UserRole(props: { user: AdminUser }) {
  const u = () => props.user;
  return (
    <>
      <span class={`badge ${u().role === "admin" ? "brand" : ""}`}>{u().role}</span>
      <Show when={u().role === "tutor"}>
        <div class="small">
          <Show when={u().approvedAt} fallback={<span class="badge warning">Pending</span>}>
            <span class="muted">{u().reliability === null || u().reliability === undefined ? "" : `${Math.round(Number(u().reliability) * 100)}% reliable`}</span>
          </Show>
          <Show when={u().flagged}>
            {" "}
            <span class="badge danger">Flagged</span>
          </Show>
        </div>
      </Show>
    </>
  );
}

function UserLinks(props: { user: AdminUser; onChanged: () => void }) {
  const u = () => props.user;
  return (
    <div class="row tight">
      <Show when={u().status !== "deleted" && u().id !== session.user()?.id}>
        <SuspendControl user={u()} onChanged={props.onChanged} />
      </Show>
      <Show when={u().role === "student"}>
        <A class="btn small secondary" href={`/admin/credits?user=${u().id}`} aria-label={`Adjust credits of ${u().name}`}>
          Credits
        </A>
      </Show>
      <Show when={u().role !== "admin"}>
        <A class="btn small ghost" href={`/admin/bookings?${u().role}=${u().id}`} aria-label={`Bookings of ${u().name}`}>
          Bookings
        </A>
      </Show>
    </div>
  );
}

/** Suspend (with a reason the person is emailed) or restore an account. Suspending signs them out everywhere at once. */
function SuspendControl(props: { user: AdminUser; onChanged: () => void }) {
  const [asking, setAsking] = createSignal(false);
  const [reason, setReason] = createSignal("");
  const act = createAction(async (kind: "suspend" | "restore") => {
    if (kind === "suspend") await suspendUser(props.user.id, reason().trim());
    else await restoreUser(props.user.id);
    setAsking(false);
    setReason("");
    props.onChanged();
  });
  const id = () => `suspend-${props.user.id}`;
  return (
    <Show
      when={props.user.status !== "suspended"}
      fallback={
        <Button small variant="secondary" pending={act.pending()} onClick={() => act.run("restore")} aria-label={`Restore ${props.user.name}`}>
          Restore
        </Button>
      }
    >
      <Show
        when={asking()}
        fallback={
          <Button small variant="ghost" onClick={() => setAsking(true)} aria-label={`Suspend ${props.user.name}`}>
            Suspend
          </Button>
        }
      >
        <form
          class="row tight"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason().trim()) void act.run("suspend");
            else act.setError("Say why: the person is told.");
          }}
        >
          <label class="sr-only" for={id()}>
            Why suspend {props.user.name}?
          </label>
          <input id={id()} placeholder="Reason (they are told)" value={reason()} maxLength={500} onInput={(e) => setReason(e.currentTarget.value)} />
          <Button small variant="danger" type="submit" pending={act.pending()}>
            Suspend
          </Button>
          <Button small variant="ghost" type="button" onClick={() => setAsking(false)}>
            Cancel
          </Button>
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
