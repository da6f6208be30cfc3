import { Show, createResource, createSignal } from "solid-js";
import { CREDIT_MINUTE_CENTS, oneOnOneCost } from "../../../../domain/credits/pricing";
import { type RateBounds, RateBoundsSchema } from "../../../../domain/schemas/tutor";
import { ErrorAlert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { Field } from "../../components/Field";
import { Section } from "../../components/Section";
import { fetchRateBounds, saveRateBounds } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { formatCreditRate } from "../../lib/format";
import { createForm } from "../../lib/form";

const dollars = (cents: number) => (Number.isFinite(cents) ? cents / 100 : "");
const cents = (value: string) => Math.round(Number(value) * 100);

/** The hourly rates tutors may set: a profile edit outside them is refused; rates already set stay as they are. */
export default function Rates() {
  const [bounds, { mutate }] = createResource(fetchRateBounds);
  return (
    <Section
      title="Tutor rates"
      intro={`A tutor's rate sets what their hour costs students in credit (a credit-minute is worth $${(CREDIT_MINUTE_CENTS / 100).toFixed(2)}). New bounds apply to profile edits from now on; bookings keep the price they were made at.`}
    >
      <ErrorAlert message={bounds.error ? `Couldn't load the rate bounds: ${messageOf(bounds.error)}` : undefined} />
      <Show when={bounds.latest} fallback={<p class="muted">{bounds.loading ? "Loading…" : ""}</p>}>
        {(b) => <BoundsForm bounds={b()} onSaved={mutate} />}
      </Show>
    </Section>
  );
}

function BoundsForm(props: { bounds: RateBounds; onSaved: (b: RateBounds) => void }) {
  const form = createForm(RateBoundsSchema, { ...props.bounds });
  const [saved, setSaved] = createSignal(false);
  const onSubmit = form.submit(async (value) => {
    setSaved(false);
    props.onSaved(await saveRateBounds(value));
    setSaved(true);
  });
  const pays = (c: number) => (Number.isInteger(c) && c > 0 ? `Students pay ${formatCreditRate(oneOnOneCost(c, 60))}.` : undefined);
  return (
    <form onSubmit={onSubmit} novalidate class="stack">
      <ErrorAlert message={form.formError()} />
      <div class="row wrap">
        <Field
          label="Lowest hourly rate (USD)"
          name="minHourlyRateCents"
          type="number"
          min="5"
          step="1"
          inputmode="decimal"
          value={dollars(form.values.minHourlyRateCents as number)}
          hint={pays(form.values.minHourlyRateCents as number)}
          error={form.errors.minHourlyRateCents}
          onInput={(e) => form.set("minHourlyRateCents", cents(e.currentTarget.value))}
        />
        <Field
          label="Highest hourly rate (USD)"
          name="maxHourlyRateCents"
          type="number"
          min="5"
          step="1"
          inputmode="decimal"
          value={dollars(form.values.maxHourlyRateCents as number)}
          hint={pays(form.values.maxHourlyRateCents as number)}
          error={form.errors.maxHourlyRateCents}
          onInput={(e) => form.set("maxHourlyRateCents", cents(e.currentTarget.value))}
        />
      </div>
      <div class="row">
        <Button type="submit" pending={form.pending()}>
          {form.pending() ? "Saving…" : "Save bounds"}
        </Button>
        <Show when={saved()}>
          <span class="small muted" role="status">
            Saved.
          </span>
        </Show>
      </div>
    </form>
  );
}
