/**
 * Weekly lessons' budget (issue 15): booking a 52-week series — expanding it in the tutor's zone and checking and
 * holding every week in the tutor's calendar object, then paying the first — stays within 2× a single booking's
 * latency at p50. Measured sequentially, interleaved with single bookings of the same tutor and students.
 */
import { type BenchUser, OPEN_ALL_WEEK, remember } from "./fixtures";
import { median, percentile, report, timeIt } from "./stats";

const DAY = 86_400_000;
const STEP = 30 * 60_000;
const PAIRS = 24;
const WARM_UP = 3;

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
  let weeksBooked = 0;
  for (let i = 0; i < WARM_UP + PAIRS; i++) {
    const student = studentOf(i);
    const at = (k: number) => new Date(base + (2 * i + k) * STEP).toISOString();
    const one = await timeIt(() => call(student, { tutorId: tutor.id, start: at(0), durationMinutes: 30, subject: "mathematics" }));
    let weeks = 0;
    const series = await timeIt(async () => {
      const text = await call(student, { tutorId: tutor.id, start: at(1), durationMinutes: 30, subject: "mathematics", repeat: { weeks: 52 } });
      weeks = (JSON.parse(text) as { series: { occurrences: unknown[] } }).series.occurrences.length;
    });
    if (i < WARM_UP) continue;
    single.push(one);
    weekly.push(series);
    weeksBooked += weeks;
  }
  const ratio = median(weekly) / median(single);
  console.log(`\nWeekly lessons (52-week series against single bookings, sequential, ${PAIRS} of each after ${WARM_UP} to warm up)`);
  report("single booking", `p50 ${median(single).toFixed(1)} ms, p95 ${percentile(single, 95).toFixed(1)} ms`);
  report("52-week series", `p50 ${median(weekly).toFixed(1)} ms, p95 ${percentile(weekly, 95).toFixed(1)} ms = ${ratio.toFixed(2)}× a single booking (${weeksBooked} weeks booked)`, "≤ 2×", ratio <= 2);
}
