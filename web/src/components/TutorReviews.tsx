import { For, Show, createResource } from "solid-js";
import { fetchTutorReviews } from "../features/reviews/reviews";
import { formatRating } from "../lib/format";
import { formatDate } from "../lib/time";
import { t } from "../i18n";

/** A tutor's rating and latest reviews, on their public page. */
export function TutorReviews(props: { tutorId: string; rating: number | null; ratingCount: number; zone: string }) {
  const [reviews] = createResource(() => props.tutorId, fetchTutorReviews);
  return (
    <section class="reviews" aria-labelledby="reviews-title">
      <h2 id="reviews-title" class="section-title">
        {t("core.reviews.title")}{" "}
        <Show when={props.ratingCount > 0}>
          <span class="muted small">{formatRating(props.rating, props.ratingCount)}</span>
        </Show>
      </h2>
      <Show when={!reviews.error} fallback={<p class="small muted">{t("core.reviews.failed")}</p>}>
        <Show when={reviews.latest?.length} fallback={<p class="small muted">{reviews.loading ? t("core.reviews.loading") : t("core.reviews.none")}</p>}>
          <ul class="review-list">
            <For each={reviews.latest!.slice(0, 5)}>
              {(r) => (
                <li class="review-item">
                  <div class="row tight">
                    <span class="stars-static" role="img" aria-label={t("core.reviews.stars", { count: r.rating })}>
                      {"★".repeat(r.rating)}
                      <span class="off">{"★".repeat(5 - r.rating)}</span>
                    </span>
                    <span class="small muted">
                      {r.studentName} · {formatDate(r.createdAt, props.zone)}
                    </span>
                  </div>
                  <Show when={r.comment}>
                    <p class="small review-comment">{r.comment}</p>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
    </section>
  );
}
