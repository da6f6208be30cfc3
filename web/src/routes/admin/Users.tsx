import { A, useSearchParams } from "@solidjs/router";
import { For, Show, createResource, createSignal, onCleanup } from "solid-js";
import { ErrorAlert } from "../../components/Button";
import { type AdminUser, type Role, fetchUsers } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { formatDate } from "../../lib/time";

const ROLES: Role[] = ["student", "tutor", "admin"];

/** Everyone, searchable by name or email and filterable by role; links to their bookings and credits. */
export default function Users() {
  const [params, setParams] = useSearchParams<{ q?: string; role?: string }>();
  const role = () => (ROLES.includes(params.role as Role) ? (params.role as Role) : undefined);
  const [users] = createResource(() => ({ q: params.q ?? "", role: role() }), fetchUsers);
  const [draft, setDraft] = createSignal(params.q ?? "");
  let typing: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(typing));

  return (
    <section class="card" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
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
      <Show when={users.latest?.length}>
        <div class="table-wrap">
          <table class="table stack-sm" classList={{ stale: users.loading }}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col" class="hide-sm">Zone</th>
                <th scope="col" class="hide-sm">Joined</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={users.latest}>{(u) => <UserRow user={u} />}</For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  );
}

function UserRow(props: { user: AdminUser }) {
  const u = () => props.user;
  return (
    <tr data-user={u().id}>
      <td>
        <strong>{u().name}</strong>
        <div class="small muted break">{u().email}</div>
      </td>
      <td>
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
      </td>
      <td class="hide-sm small">{u().timezone.replace(/_/g, " ")}</td>
      <td class="hide-sm small nowrap">{formatDate(u().createdAt, "UTC")}</td>
      <td>
        <div class="row tight">
          <Show when={u().role === "student"}>
            <A class="btn small secondary" href={`/admin/credits?user=${u().id}`} aria-label={`Adjust credits of ${u().name}`}>
              Credits
            </A>
            <A class="btn small ghost" href={`/admin/bookings?student=${u().id}`} aria-label={`Bookings of ${u().name}`}>
              Bookings
            </A>
          </Show>
          <Show when={u().role === "tutor"}>
            <A class="btn small ghost" href={`/admin/bookings?tutor=${u().id}`} aria-label={`Bookings of ${u().name}`}>
              Bookings
            </A>
          </Show>
        </div>
      </td>
    </tr>
  );
}
