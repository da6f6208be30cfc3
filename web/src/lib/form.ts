import { createSignal } from "solid-js";
import { createStore } from "solid-js/store";
import type { ZodType } from "zod";
import { humanErrorIn } from "../../../domain/schemas/humanErrors";
import { ApiFailure, messageOf } from "./api";
import { language } from "../i18n";

/**
 * Form state validated by the same zod schema the server uses: field errors inline, a form-level error
 * for everything else, and a pending flag while submitting.
 */
export function createForm<S extends ZodType<any, any>>(schema: S, initial: Record<string, unknown>) {
  const [values, setValues] = createStore<Record<string, any>>({ ...initial });
  const [errors, setErrors] = createStore<Record<string, string | undefined>>({});
  const [formError, setFormError] = createSignal<string>();
  const [pending, setPending] = createSignal(false);

  const issuesToErrors = (issues: { path: string; message: string }[]) => {
    const next: Record<string, string> = {};
    for (const i of issues) next[i.path.split(".")[0] || "_"] ??= i.message;
    setErrors(next);
    return next;
  };

  return {
    values,
    errors,
    formError,
    pending,
    set: (name: string, value: unknown) => {
      setValues(name, value);
      setErrors(name, undefined);
    },
    /** Validates, then runs `action` with the parsed value; server field issues land on their fields. */
    submit: (action: (value: S["_output"]) => Promise<void>) => async (e: Event) => {
      e.preventDefault();
      setFormError(undefined);
      // Refusals in the viewer's language (a schema's own messages still win).
      const parsed = schema.safeParse(values, { error: humanErrorIn(language()) });
      if (!parsed.success) {
        issuesToErrors(parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })));
        return;
      }
      setErrors({});
      setPending(true);
      try {
        await action(parsed.data);
      } catch (err) {
        if (err instanceof ApiFailure && err.issues.length) issuesToErrors(err.issues);
        setFormError(messageOf(err));
      } finally {
        setPending(false);
      }
    },
  };
}
