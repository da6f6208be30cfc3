import { A } from "@solidjs/router";
import type { JSX } from "solid-js";
import { ErrorAlert } from "./Alert";
import { Button } from "./Button";

/** The card of the log-in and sign-up forms: heading, the form's error, its fields, the submit button and a way to the other form. */
export function AuthCard(props: {
  title: string;
  intro: string;
  form: { formError(): string | undefined; pending(): boolean };
  onSubmit: (e: Event) => void;
  submit: string;
  submitting: string;
  other: { question: string; href: string; label: string };
  children: JSX.Element;
}) {
  return (
    <div class="card narrow">
      <h1>{props.title}</h1>
      <p class="muted">{props.intro}</p>
      <ErrorAlert message={props.form.formError()} />
      <form onSubmit={props.onSubmit} novalidate>
        {props.children}
        <Button type="submit" block pending={props.form.pending()}>
          {props.form.pending() ? props.submitting : props.submit}
        </Button>
      </form>
      <p class="small muted" style={{ "margin-top": "var(--space-4)" }}>
        {props.other.question} <A href={props.other.href}>{props.other.label}</A>
      </p>
    </div>
  );
}
