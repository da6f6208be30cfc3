import { Show, type JSX, splitProps } from "solid-js";

type Props = JSX.ButtonHTMLAttributes<HTMLButtonElement> & { pending?: boolean; variant?: "secondary" | "danger" | "ghost"; small?: boolean; block?: boolean };

/** A button that shows a spinner and refuses clicks while its action is pending. */
export function Button(props: Props) {
  const [own, rest] = splitProps(props, ["pending", "variant", "small", "block", "children", "class"]);
  return (
    <button
      class={["btn", own.variant, own.small && "small", own.block && "block", own.class].filter(Boolean).join(" ")}
      disabled={own.pending || rest.disabled}
      aria-busy={own.pending ? "true" : undefined}
      {...rest}
    >
      <Show when={own.pending}>
        <span class="spinner" aria-hidden="true" />
      </Show>
      {own.children}
    </button>
  );
}
