import { Show, type JSX, splitProps } from "solid-js";

type Props = {
  label: string;
  name: string;
  error?: string;
  hint?: string;
  children?: JSX.Element;
} & JSX.InputHTMLAttributes<HTMLInputElement>;

/** A labelled input with its hint and inline error wired up for screen readers. */
export function Field(props: Props) {
  const [own, input] = splitProps(props, ["label", "name", "error", "hint", "children"]);
  const id = `f-${own.name}`;
  const describedBy = () => [own.hint ? `${id}-hint` : "", own.error ? `${id}-err` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field">
      <label for={id}>{own.label}</label>
      {own.children ?? <input id={id} name={own.name} aria-invalid={own.error ? "true" : undefined} aria-describedby={describedBy()} {...input} />}
      <Show when={own.hint}>
        <span class="hint" id={`${id}-hint`}>
          {own.hint}
        </span>
      </Show>
      <Show when={own.error}>
        <span class="field-error" id={`${id}-err`} role="alert">
          {own.error}
        </span>
      </Show>
    </div>
  );
}

/** What a Field needs of `createForm` (lib/form.ts) to show and change one of its values. */
type BoundForm = { values: Record<string, any>; errors: Record<string, string | undefined>; set(name: string, value: unknown): void };

/** A text Field bound to a `createForm` value: shows it and its error, writes input back. */
export function FormField(props: Omit<Props, "value" | "error" | "onInput" | "children" | "form"> & { form: BoundForm }) {
  const [own, rest] = splitProps(props, ["form", "name"]);
  return <Field name={own.name} value={own.form.values[own.name]} error={own.form.errors[own.name]} onInput={(e) => own.form.set(own.name, e.currentTarget.value)} {...rest} />;
}
