import { Show, createResource, createSignal } from "solid-js";
import { CREDIT_MINUTE_CENTS, oneOnOneCost } from "../../../../domain/credits/pricing";
import { type RateBounds, RateBoundsSchema } from "../../../../domain/schemas/tutor";
import { ErrorAlert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { Field } from "../../components/Field";
import { Section } from "../../components/Section";
import { fetchRateBounds, saveRateBounds } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { formatCreditRate, formatMoney } from "../../lib/format";
import { t } from "../../i18n";
import { createForm } from "../../lib/form";

const dollars = (cents: number) => (Number.isFinite(cents) ? cents / 100 : "");
const cents = (value: string) => Math.round(Number(value) * 100);

/** The hourly rates tutors may set: a profile edit outside them is refused; rates already set stay as they are. */
export default function Rates() {
  const [bounds, { mutate }] = createResource(fetchRateBounds);
  return (
    <Section
      title={t("admin.rates.title")}
      intro={t("admin.rates.intro", { worth: formatMoney(CREDIT_MINUTE_CENTS) })}
    >
      <ErrorAlert message={bounds.error ? t("admin.rates.loadFailed", { reason: messageOf(bounds.error) }) : undefined} />
      <Show when={bounds.latest} fallback={<p class="muted">{bounds.loading ? t("core.app.loading") : ""}</p>}>
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
  const pays = (c: number) => (Number.isInteger(c) && c > 0 ? t("admin.rates.pays", { rate: formatCreditRate(oneOnOneCost(c, 60)) }) : undefined);
  return (
    <form onSubmit={onSubmit} novalidate class="stack">
      <ErrorAlert message={form.formError()} />
      <div class="row wrap">
        <Field
          label={t("admin.rates.lowest")}
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
          label={t("admin.rates.highest")}
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
          {form.pending() ? t("admin.credits.saving") : t("admin.rates.save")}
        </Button>
        <Show when={saved()}>
          <span class="small muted" role="status">
            {t("admin.rates.saved")}
          </span>
        </Show>
      </div>
    </form>
  );
}
