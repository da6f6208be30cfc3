import { A, useSearchParams } from "@solidjs/router";
import { For, Show, createMemo, createResource, createSignal } from "solid-js";
import { POLICY } from "../../../../domain/credits/policy";
import { Button } from "../../components/Button";
import { ErrorAlert, Notice } from "../../components/Alert";
import { LotSource } from "../../components/LotSource";
import { Section } from "../../components/Section";
import { adjustCredits, fetchUserCredits, fetchUsers } from "../../features/admin/admin";
import { keyPerRequest } from "../../features/bookings/bookings";
import { ApiFailure, messageOf } from "../../lib/api";
import { formatMinutes } from "../../lib/time";
import { formatDateTimeYear } from "../../components/admin/dates";
import { t, tx } from "../../i18n";

/** Adds or takes a student's credit (in the ledger, with a reason). The student is picked here or from Users. */
export default function Credits() {
  const [params, setParams] = useSearchParams<{ user?: string }>();
  const [students] = createResource(() => fetchUsers({ role: "student" }));
  const [query, setQuery] = createSignal("");
  const userId = () => params.user ?? "";
  const student = createMemo(() => students.latest?.find((s) => s.id === userId()));
  const matches = createMemo(() => {
    const q = query().trim().toLowerCase();
    const list = students.latest ?? [];
    return q ? list.filter((s) => s.name.toLowerCase().includes(q) || s.email.toLowerCase().includes(q)) : list;
  });
  const [credits, { mutate }] = createResource(() => userId() || undefined, fetchUserCredits);

  const [direction, setDirection] = createSignal<"add" | "take">("add");
  const [minutes, setMinutes] = createSignal("60");
  const [reason, setReason] = createSignal("");
  const [days, setDays] = createSignal(String(POLICY.adjustExpiryDays));
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [done, setDone] = createSignal<string>();
  const keys = keyPerRequest();

  const submit = async (e: Event) => {
    e.preventDefault();
    const m = Number(minutes());
    const next: Record<string, string> = {};
    if (!Number.isInteger(m) || m <= 0 || m > 100_000) next.minutes = t("admin.credits.minutesError");
    if (reason().trim().length < 3) next.reason = t("admin.credits.reasonError");
    const d = Number(days());
    if (direction() === "add" && (!Number.isInteger(d) || d < 1 || d > 730)) next.days = t("admin.credits.daysError");
    setErrors(next);
    if (Object.keys(next).length) return;
    setPending(true);
    setError(undefined);
    setDone(undefined);
    try {
      const input = { userId: userId(), minutes: direction() === "add" ? m : -m, reason: reason().trim(), ...(direction() === "add" ? { expiresInDays: d } : {}) };
      const view = await adjustCredits(input, keys.for(input));
      mutate(view);
      const who = { minutes: formatMinutes(m), name: student()?.name ?? t("admin.credits.theStudent"), balance: formatMinutes(view.balanceMinutes) };
      setDone(direction() === "add" ? t("admin.credits.added", who) : t("admin.credits.took", who));
      setReason("");
      keys.settled();
    } catch (err) {
      if (err instanceof ApiFailure && err.issues.length) setErrors(Object.fromEntries(err.issues.map((i) => [i.path === "expiresInDays" ? "days" : i.path, i.message])));
      setError(messageOf(err));
    } finally {
      setPending(false);
    }
  };

  return (
    <div class="admin-credits">
      <Section title={t("admin.credits.student")}>
        <div class="field">
          <label for="student-q">{t("admin.credits.find")}</label>
          <input id="student-q" type="search" placeholder={t("admin.users.nameOrEmail")} value={query()} onInput={(e) => setQuery(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="student-pick">{t("admin.credits.student")}</label>
          <select id="student-pick" value={userId()} onChange={(e) => setParams({ user: e.currentTarget.value || undefined }, { replace: true })}>
            <option value="">{t("admin.credits.choose")}</option>
            <For each={matches()}>
              {(s) => (
                <option value={s.id} selected={s.id === userId()}>
                  {t("admin.credits.option", { name: s.name, email: s.email })}
                </option>
              )}
            </For>
          </select>
          <span class="hint">
            {tx("admin.credits.orPick", { users: <A href="/admin/users?role=student">{t("admin.sections.users")}</A> })}
          </span>
        </div>
        <Show when={credits.error}>
          <ErrorAlert message={t("admin.credits.loadFailed", { reason: messageOf(credits.error) })} />
        </Show>
        <Show when={userId() && credits.latest}>
          {(_) => (
            <>
              <div class="label">{t("admin.credits.balance")}</div>
              <div class="stat" data-testid="admin-balance">
                {formatMinutes(credits.latest!.balanceMinutes)}
              </div>
              <p class="small muted">
                {t("admin.credits.promo", { minutes: formatMinutes(credits.latest!.promoMinutes), cap: formatMinutes(POLICY.promoCapMinutes) })}
                <Show when={credits.latest!.frozenMinutes}>{t("admin.credits.onHold", { minutes: formatMinutes(credits.latest!.frozenMinutes) })}</Show>
              </p>
              <Show when={credits.latest!.grants.some((g) => g.remainingMinutes > 0)} fallback={<p class="small muted">{t("admin.credits.noneLeft")}</p>}>
                <ul class="expiries small">
                  <For each={credits.latest!.grants.filter((g) => g.remainingMinutes > 0).slice(0, 6)}>
                    {(g) => (
                      <li>
                        {tx("admin.credits.lot", { minutes: formatMinutes(g.remainingMinutes), source: <LotSource lot={g} />, date: formatDateTimeYear(g.expiresAt, "UTC") })}
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            </>
          )}
        </Show>
      </Section>

      <Section title={t("admin.credits.adjust")}>
        <Show when={userId()} fallback={<p class="muted">{t("admin.credits.chooseFirst")}</p>}>
          <form onSubmit={submit} novalidate>
            <fieldset class="segmented">
              <legend>{t("admin.credits.change")}</legend>
              <div class="segments">
                <label class="segment">
                  <input type="radio" name="direction" value="add" checked={direction() === "add"} onChange={() => setDirection("add")} />
                  <span>{t("admin.credits.add")}</span>
                </label>
                <label class="segment">
                  <input type="radio" name="direction" value="take" checked={direction() === "take"} onChange={() => setDirection("take")} />
                  <span>{t("admin.credits.take")}</span>
                </label>
              </div>
            </fieldset>
            <div class="field" style={{ "margin-top": "var(--space-3)" }}>
              <label for="adj-minutes">{t("admin.credits.minutes")}</label>
              <input
                id="adj-minutes"
                type="number"
                inputmode="numeric"
                min="1"
                step="1"
                value={minutes()}
                aria-invalid={errors().minutes ? "true" : undefined}
                aria-describedby="adj-minutes-hint"
                onInput={(e) => setMinutes(e.currentTarget.value)}
              />
              <span class="hint" id="adj-minutes-hint">
                {Number(minutes()) > 0 ? `${direction() === "add" ? "+" : "−"}${formatMinutes(Number(minutes()))}.` : t("admin.credits.hourHint")}
                {direction() === "add"
                  ? t("admin.credits.promoHint", { cap: formatMinutes(POLICY.promoCapMinutes) })
                  : ""}
              </span>
              <Show when={errors().minutes}>
                <span class="field-error" role="alert">
                  {errors().minutes}
                </span>
              </Show>
            </div>
            <Show when={direction() === "add"}>
              <div class="field">
                <label for="adj-days">{t("admin.credits.expires")}</label>
                <input id="adj-days" type="number" inputmode="numeric" min="1" max="730" value={days()} aria-invalid={errors().days ? "true" : undefined} onInput={(e) => setDays(e.currentTarget.value)} />
                <Show when={errors().days}>
                  <span class="field-error" role="alert">
                    {errors().days}
                  </span>
                </Show>
              </div>
            </Show>
            <div class="field">
              <label for="adj-reason">{t("admin.credits.reason")}</label>
              <textarea id="adj-reason" maxLength={500} value={reason()} aria-invalid={errors().reason ? "true" : undefined} onInput={(e) => setReason(e.currentTarget.value)} placeholder={t("admin.credits.reasonPlaceholder")} />
              <Show when={errors().reason}>
                <span class="field-error" role="alert">
                  {errors().reason}
                </span>
              </Show>
            </div>
            <Notice message={done()} />
            <ErrorAlert message={error()} />
            <Button type="submit" pending={pending()}>
              {pending() ? t("admin.credits.saving") : direction() === "add" ? t("admin.credits.add") : t("admin.credits.take")}
            </Button>
          </form>
        </Show>
      </Section>
    </div>
  );
}
