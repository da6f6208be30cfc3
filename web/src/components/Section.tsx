import { type JSX, Show, createUniqueId } from "solid-js";

/**
 * A card that is a region named by its heading, with an optional line under the heading and `actions` (a button,
 * a link) beside it, or under it where the card is too narrow for both.
 */
export function Section(props: { title: JSX.Element; intro?: JSX.Element; actions?: JSX.Element; class?: string; children?: JSX.Element }) {
  const id = createUniqueId();
  const head = () => (
    <>
      <h2 id={id}>{props.title}</h2>
      <Show when={props.intro}>
        <p class="small muted">{props.intro}</p>
      </Show>
    </>
  );
  return (
    <section class={props.class ? `card ${props.class}` : "card"} aria-labelledby={id}>
      <Show when={props.actions} fallback={head()}>
        <div class="row section-head">
          <div class="grow">{head()}</div>
          {props.actions}
        </div>
      </Show>
      {props.children}
    </section>
  );
}
