import { For, Show, createSignal, createUniqueId } from "solid-js";
import type { Booking } from "../../../domain/schemas/booking";
import { submitReview } from "../features/reviews/reviews";
import { ApiFailure, messageOf } from "../lib/api";
import { Button } from "./Button";
import { ErrorAlert } from "./Alert";
import { t } from "../i18n";

const WORDS = ["sessions.review.poor", "sessions.review.fair", "sessions.review.good", "sessions.review.veryGood", "sessions.review.excellent"] as const;
const word = (n: number) => (n ? t(WORDS[n - 1]!) : "");

/**
 * "Rate this session" under a completed booking the student has not reviewed yet (`booking.reviewed` from the
 * server): 1–5 stars (radio buttons) and an optional comment, once.
 */
export function ReviewPrompt(props: { booking: Booking }) {
  const [state, setState] = createSignal<"closed" | "open" | "done">("closed");
  const [rating, setRating] = createSignal(0);
  const [hover, setHover] = createSignal(0);
  const [comment, setComment] = createSignal("");
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [note, setNote] = createSignal<string>();
  const id = createUniqueId();

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!rating()) return setError(t("sessions.review.choose"));
    setPending(true);
    setError(undefined);
    try {
      await submitReview(props.booking.id, rating(), comment().trim() || undefined);
      setNote(t("sessions.review.thanks", { rating: rating() }));
      setState("done");
    } catch (err) {
      if (err instanceof ApiFailure && (err.code === "already_reviewed" || err.code === "not_reviewable")) {
        setNote(err.code === "already_reviewed" ? t("sessions.review.already") : messageOf(err));
        setState("done");
      } else setError(messageOf(err));
    } finally {
      setPending(false);
    }
  };

  return (
    <div class="review" data-review={props.booking.id}>
      <Show when={state() === "closed"}>
        <button type="button" class="btn small secondary" onClick={() => setState("open")}>
          ★ {t("sessions.review.rate")}
        </button>
      </Show>
      <Show when={state() === "done" && note()}>
        <p class="small success-text" role="status">
          {note()}
        </p>
      </Show>
      <Show when={state() === "open"}>
        <form class="review-form" onSubmit={submit} aria-labelledby={`${id}-legend`}>
          <fieldset class="stars" onMouseLeave={() => setHover(0)}>
            <legend id={`${id}-legend`}>{t("sessions.review.how")}</legend>
            <div class="star-row">
              <For each={[1, 2, 3, 4, 5]}>
                {(n) => (
                  <label class="star" classList={{ on: n <= (hover() || rating()) }} onMouseEnter={() => setHover(n)}>
                    <input type="radio" name={`${id}-rating`} value={n} checked={rating() === n} onChange={() => setRating(n)} />
                    <span aria-hidden="true">★</span>
                    <span class="sr-only">
                      {t("sessions.review.stars", { count: n, word: word(n) })}
                    </span>
                  </label>
                )}
              </For>
              <span class="small muted star-word" aria-hidden="true">
                {word(hover() || rating())}
              </span>
            </div>
          </fieldset>
          <div class="field">
            <label for={`${id}-comment`}>{t("sessions.review.comment")}</label>
            <textarea id={`${id}-comment`} maxLength={1000} value={comment()} onInput={(e) => setComment(e.currentTarget.value)} placeholder={t("sessions.review.commentPlaceholder")} />
          </div>
          <ErrorAlert message={error()} />
          <div class="row">
            <Button type="submit" small pending={pending()}>
              {pending() ? t("sessions.review.sending") : t("sessions.review.submit")}
            </Button>
            <Button type="button" small variant="ghost" onClick={() => setState("closed")} disabled={pending()}>
              {t("sessions.review.notNow")}
            </Button>
          </div>
        </form>
      </Show>
    </div>
  );
}
