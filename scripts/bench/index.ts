/**
 * `npm run bench`: the performance budgets of ../shared/DESIGN.md, measured and printed as figures
 * (medians over repeated runs). Nothing here asserts: a figure over budget is printed as such.
 */
import { cpus } from "node:os";
import { computeSlots } from "../../domain/time";
import { benchBusy, benchFrom, complexAvailability } from "../../domain/time/slots.bench-case";
import { startDevServer } from "../../test/e2e/server";
import { feedRenderBench, feedServerBench } from "./feed";
import { benchFixtures } from "./fixtures";
import { median, percentile, repeat, report, summary, timeIt } from "./stats";

const DAY = 86_400_000;

async function slotsBench() {
  console.log("\nSlots (pure function)");
  const busy = benchBusy(benchFrom);
  const run = () => computeSlots({ availability: complexAvailability, busy, from: benchFrom, to: benchFrom + 90 * DAY, now: benchFrom, durationMinutes: 60 });
  for (let i = 0; i < 50; i++) run();
  const times = await repeat(300, run);
  report("slots, 90 days, complex rules", `${median(times).toFixed(3)} ms median, p95 ${percentile(times, 95).toFixed(3)} ms (${run().length} slots)`, "≤ 2 ms", median(times) <= 2);
}

async function serverBench() {
  const STUDENTS = 260;
  console.log(`\nSeeding ${STUDENTS} students and 10,000 search tutors into a fresh local D1 …`);
  const fx = benchFixtures({ students: STUDENTS, searchTutors: 10_000, creditMinutes: 600 });
  const server = await startDevServer({ ENVIRONMENT: "bench" }, { seedSqlFile: fx.file });
  try {
    const call = (path: string, cookie?: string, init: RequestInit = {}) =>
      fetch(server.url + path, { ...init, headers: { "Content-Type": "application/json", ...(cookie ? { Cookie: cookie } : {}), ...(init.headers ?? {}) } });
    const open = {
      timezone: "UTC",
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" })),
      overrides: [],
      bufferMinutes: 0,
      minNoticeMinutes: 0,
      horizonDays: 90,
    };
    const put = await call("/api/tutors/me/availability", fx.tutor.cookie, { method: "PUT", body: JSON.stringify(open) });
    if (!put.ok) throw new Error(`availability: ${put.status} ${await put.text()}`);
    const step = 30 * 60_000;
    const base = Math.ceil((Date.now() + 3 * DAY) / step) * step;
    const book = (cookie: string, start: number) =>
      call("/api/bookings", cookie, { method: "POST", body: JSON.stringify({ tutorId: fx.tutor.id, start: new Date(start).toISOString(), durationMinutes: 30, subject: "mathematics" }) });

    console.log("\nBooking");
    // Warm the tutor's object and the Worker.
    for (let i = 0; i < 5; i++) await book(fx.students[i]!.cookie, base + i * step);
    const n = 50;
    const seqTimes: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      seqTimes.push(
        await timeIt(async () => {
          const r = await book(fx.students[5 + i]!.cookie, base + (5 + i) * step);
          if (r.status !== 201) throw new Error(`booking ${i}: ${r.status} ${await r.text()}`);
        }),
      );
    }
    const seqSecs = (performance.now() - t0) / 1000;
    report("sequential bookings on one tutor", `${(n / seqSecs).toFixed(1)} bookings/s, ${median(seqTimes).toFixed(1)} ms median end to end`);

    const contenders = fx.students.slice(60, 260);
    const slot = base + 200 * step;
    let statuses: number[] = [];
    const settle = await timeIt(async () => {
      statuses = await Promise.all(contenders.map(async (s) => (await book(s.cookie, slot)).status));
    });
    const winners = statuses.filter((s) => s === 201).length;
    const losers = statuses.filter((s) => s === 409).length;
    report(`${contenders.length} concurrent bookings of one slot`, `${winners} winner, ${losers} × 409, settled in ${settle.toFixed(0)} ms`, "exactly one winner", winners === 1 && losers === contenders.length - 1);

    console.log("\nSearch over 10,000 tutors");
    const queries = [
      "/api/tutors?subject=mathematics&tz=Europe/Berlin&from=17:00&to=21:00",
      "/api/tutors?tz=Asia/Kathmandu&from=06:00&to=09:00&maxRateCents=4000",
      "/api/tutors?subject=spanish",
    ];
    for (const qs of queries) {
      for (let i = 0; i < 5; i++) await call(qs);
      const times = await repeat(40, async () => {
        const r = await call(qs);
        if (!r.ok) throw new Error(`${qs}: ${r.status}`);
        await r.json();
      });
      report(`search ${qs.replace("/api/tutors?", "")}`, `${median(times).toFixed(1)} ms median, p95 ${percentile(times, 95).toFixed(1)} ms`, "≤ 50 ms", median(times) <= 50);
    }
  } finally {
    await server.stop();
  }
}

console.log(`Tutorly bench — ${new Date().toISOString()} — ${cpus()[0]?.model ?? "cpu"} × ${cpus().length}, Node ${process.version}`);
await slotsBench();
await feedRenderBench();
await serverBench();
await feedServerBench();
summary();
process.exit(0);
