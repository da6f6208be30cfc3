/**
 * Weekly lessons' budget (issue 15): booking a 52-week series — expanding it in the tutor's zone and checking and
 * holding every week in the tutor's calendar object, then paying the first — stays within 2× a single booking's
 * latency at p50. Measured sequentially, interleaved with single bookings of the same tutor and students, each on a
 * settled server: before the next request, the one before it is listed from the D1 projection (its after-answer work
 * drained) and the server has had a short pause, so each figure is its own answer, not the tail of the one before.
 * How long each took to be listed is printed too: that is where a series' after-answer work shows.
 */
import { type BenchUser, OPEN_ALL_WEEK, remember } from "./fixtures";
import { median, percentile, report } from "./stats";

const DAY = 86_400_000;
const STEP = 30 * 60_000;
const PAIRS = 24;
const WARM_UP = 3;
const PAUSE_MS = 300;

export async function seriesBench({ url, tutor, students }: { url: string; tutor: BenchUser; students: BenchUser[] }) {
  const request = async (user: BenchUser, path: string, init: RequestInit = {}) => {
    const res = await fetch(url + path, { ...init, headers: { "Content-Type": "application/json", Origin: url, Cookie: user.cookie } });
    remember(user, res);
    return { status: res.status, text: await res.text() };
  };
  const call = async (user: BenchUser, body: unknown) => {
    const res = await request(user, "/api/bookings", { method: "POST", body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`series bench: ${res.status} ${res.text}`);
    return res.text;
  };
  // Run on its own (BENCH_ONLY=series), the section sets the tutor's rules and opens the wallets it books with itself.
  const put = await request(tutor, "/api/tutors/me/availability", { method: "PUT", body: JSON.stringify(OPEN_ALL_WEEK) });
  if (put.status !== 200) throw new Error(`availability: ${put.status} ${put.text}`);
  const studentOf = (i: number) => students[(i * 13) % students.length]!;
  for (let i = 0; i < WARM_UP + PAIRS; i++) {
    const r = await request(studentOf(i), "/api/billing/credits");
    if (r.status !== 200) throw new Error(`credits: ${r.status} ${r.text}`);
  }
  // Two days ahead (the first week is paid at once, as a single booking is), on half hours nothing else uses.
  const base = Math.ceil((Date.now() + 2 * DAY) / STEP) * STEP + 6 * 3_600_000;
  const single: number[] = [];
  const weekly: number[] = [];
  const singleListed: number[] = [];
  const weeklyListed: number[] = [];
  let weeksBooked = 0;
  /** Books, then waits until the booking's weeks are all in the student's listing: [answer ms, listed ms]. */
  const timed = async (student: BenchUser, body: { start: string; repeat?: { weeks: number } }) => {
    const t0 = performance.now();
    const text = await call(student, { tutorId: tutor.id, durationMinutes: 30, subject: "mathematics", ...body });
    const answered = performance.now() - t0;
    const ids = new Set(body.repeat ? (JSON.parse(text) as { series: { occurrences: { id: string }[] } }).series.occurrences.map((o) => o.id) : [(JSON.parse(text) as { booking: { id: string } }).booking.id]);
    const to = new Date(Date.parse(body.start) + 53 * 7 * DAY).toISOString();
    for (;;) {
      const r = await request(student, `/api/bookings?from=${encodeURIComponent(body.start)}&to=${encodeURIComponent(to)}`);
      const listed = (JSON.parse(r.text) as { bookings: { id: string }[] }).bookings.filter((b) => ids.has(b.id)).length;
      if (listed === ids.size) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const listed = performance.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    return { answered, listed, weeks: ids.size };
  };
  for (let i = 0; i < WARM_UP + PAIRS; i++) {
    const student = studentOf(i);
    const at = (k: number) => new Date(base + (2 * i + k) * STEP).toISOString();
    const one = await timed(student, { start: at(0) });
    const series = await timed(student, { start: at(1), repeat: { weeks: 52 } });
    if (i < WARM_UP) continue;
    single.push(one.answered);
    singleListed.push(one.listed);
    weekly.push(series.answered);
    weeklyListed.push(series.listed);
    weeksBooked += series.weeks;
  }
  const ratio = median(weekly) / median(single);
  console.log(`\nWeekly lessons (52-week series against single bookings, sequential on a settled server, ${PAIRS} of each after ${WARM_UP} to warm up)`);
  report("single booking", `p50 ${median(single).toFixed(1)} ms, p95 ${percentile(single, 95).toFixed(1)} ms`);
  report("52-week series", `p50 ${median(weekly).toFixed(1)} ms, p95 ${percentile(weekly, 95).toFixed(1)} ms = ${ratio.toFixed(2)}× a single booking (${weeksBooked} weeks booked)`, "≤ 2×", ratio <= 2);
  report("listed after booking (single / series)", `p50 ${median(singleListed).toFixed(1)} ms / ${median(weeklyListed).toFixed(1)} ms from the request (the D1 projection, after the answer)`);
}
