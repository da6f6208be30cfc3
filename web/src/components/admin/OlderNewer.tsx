import { type Accessor, Show } from "solid-js";
import { Button } from "../Button";

/**
 * The buttons of an admin list that pages back in time (`before` = a page's `next`): back to the newest page once
 * paged, and on to the older page while there is one.
 */
export function OlderNewer(props: { before: Accessor<string | undefined>; next: string | null | undefined; loading: boolean; onPage: (before: string | undefined) => void; newest: string; older: string }) {
  return (
    <Show when={props.before() || props.next}>
      <div class="row">
        <Show when={props.before()}>
          <Button variant="ghost" small onClick={() => props.onPage(undefined)}>
            {props.newest}
          </Button>
        </Show>
        <Show when={props.next}>
          {(next) => (
            <Button variant="secondary" small pending={props.loading} onClick={() => props.onPage(next())}>
              {props.older}
            </Button>
          )}
        </Show>
      </div>
    </Show>
  );
}
