import { For, type JSX, Show } from "solid-js";

export type Column<T> = {
  head: string;
  cell: (row: T) => JSX.Element;
  /** Classes of the column's cells (`nowrap`, `small` …). */
  class?: string;
  /** Named before the value when the table becomes a list on phones. */
  label?: string;
  /** A header for screen readers only (an actions column). */
  hiddenHead?: boolean;
  /** Left out on phones. */
  hideOnPhone?: boolean;
};

/**
 * A table of `rows` that becomes a list on phones (`.stack-sm`, unless `stack` is false). With no rows it shows
 * `empty` ("Loading…" while `loading`), or nothing when there is no `empty`; `stale` dims rows being refreshed.
 * `rowAttrs` puts data attributes on each row.
 */
export function DataTable<T>(props: {
  rows: readonly T[] | undefined;
  columns: Column<T>[];
  caption?: string;
  empty?: JSX.Element;
  loading?: boolean;
  stale?: boolean;
  stack?: boolean;
  rowAttrs?: (row: T) => Record<`data-${string}`, string>;
}) {
  const cls = (c: Column<T>) => [c.class, c.hideOnPhone && "hide-sm"].filter(Boolean).join(" ") || undefined;
  return (
    <Show when={props.rows?.length} fallback={props.empty !== undefined && <p class="empty">{props.loading ? "Loading…" : props.empty}</p>}>
      <div class="table-wrap">
        <table class="table" classList={{ "stack-sm": props.stack !== false, stale: !!props.stale }}>
          <Show when={props.caption}>
            <caption class="sr-only">{props.caption}</caption>
          </Show>
          <thead>
            <tr>
              <For each={props.columns}>
                {(c) => (
                  <th scope="col" class={c.hideOnPhone ? "hide-sm" : undefined}>
                    {c.hiddenHead ? <span class="sr-only">{c.head}</span> : c.head}
                  </th>
                )}
              </For>
            </tr>
          </thead>
          <tbody>
            <For each={props.rows}>
              {(row) => (
                <tr {...(props.rowAttrs?.(row) ?? {})}>
                  <For each={props.columns}>
                    {(c) => (
                      <td class={cls(c)} data-label={c.label}>
                        {c.cell(row)}
                      </td>
                    )}
                  </For>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </Show>
  );
}
