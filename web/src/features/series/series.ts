import { createResource } from "solid-js";
import type { CreateBookingInput } from "../../../../domain/schemas/booking";
import type { Series, SeriesMove } from "../../../../domain/schemas/series";
import { api, call } from "../../lib/api";
import { onUserLive } from "../../lib/userLive";

const keyed = (key: string) => ({ headers: { "Idempotency-Key": key } });

/** Books every week at this time for `weeks` weeks (`POST /api/bookings` with `repeat`). */
export async function bookWeekly(json: CreateBookingInput & { repeat: { weeks: number } }, key: string): Promise<Series> {
  const answer = await call(api.bookings.$post({ json }, keyed(key)));
  if (!("series" in answer)) throw new Error("Expected a weekly series.");
  return answer.series;
}

export const fetchSeries = async (id: string): Promise<Series> => (await call(api.series[":id"].$get({ param: { id } }))).series;

/** Cancels the weeks still to come from `from` on (every one when absent), each under the normal policy. */
export const cancelSeries = async (id: string, from?: string): Promise<Series> => (await call(api.series[":id"].cancel.$post({ param: { id }, json: from ? { from } : {} }))).series;

/**
 * Moves the week starting at `from` to `start`, and every later week the same way (`POST /api/series/:id/move`):
 * the series, and the weeks that stayed at their time with why.
 */
export const moveSeries = async (id: string, from: string, start: string, key: string): Promise<SeriesMove> =>
  await call(api.series[":id"].move.$post({ param: { id }, json: { from, start } }, keyed(key)));

/** A series kept current: a live change to one of its weeks refetches it. */
export function createSeries(id: () => string) {
  const [series, { refetch, mutate }] = createResource(id, fetchSeries);
  onUserLive({
    onMessage: (m) => {
      if (m.type === "booking.changed" && series.latest?.occurrences.some((o) => o.id === m.booking.id)) void refetch();
    },
    onReconnect: () => void refetch(),
  });
  return { series, refetch: () => void refetch(), set: (s: Series) => mutate(s) };
}
