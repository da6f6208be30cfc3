/**
 * `npm run bench`: the performance budgets of ../shared/DESIGN.md, measured and printed as figures
 * (medians over repeated runs). Nothing here asserts: a figure over budget is printed as such.
 */
import { cpus, loadavg } from "node:os";
import { computeSlots } from "../../domain/time";
import { benchBusy, benchFrom, complexAvailability } from "../../domain/time/slots.bench-case";
import { FAKE_EMAIL_TOKEN, startEmailFake } from "../../test/fakes/email";
import { startDevServer } from "../../test/e2e/server";
import { bookingBench } from "./booking";
import { seriesBench } from "./series";
import { tutorWeekBench } from "./tutorWeek";
import { firstLoadJs } from "./firstLoad";
import { feedRenderBench, feedServerBench } from "./feed";
import { BENCH_VARS, benchFixtures } from "./fixtures";
import { median, percentile, repeat, report, summary } from "./stats";

/**
 * `wrangler dev` records every invocation's spans (each SQL statement, RPC, fetch and alarm call) and log lines in the
 * Local Explorer's trace store, on by default since wrangler 4.118. That development tool runs on the app's own thread
 * and costs in proportion to binding calls: during bookings it took about a fifth of that thread's CPU (13 → 10 ms
 * per booking without it, side by side), against little of the bare insert's two calls. The bench measures the app,
 * so both of its servers run without it; `X_LOCAL_OBSERVABILITY=true npm run bench` measures with it.
 */
process.env.X_LOCAL_OBSERVABILITY ??= "false";

const DAY = 86_400_000;

/**
 * `BENCH_ONLY=series npm run bench` (or a comma-separated list) runs only those sections: slots, firstload, feed,
 * search, booking, series (with the tutor's page rendering a week of their series); `server` means search, booking
 * and series together.
 */
const SERVER_SECTIONS = ["search", "booking", "series"];
const only = new Set((process.env.BENCH_ONLY ?? "").split(",").map((x) => x.trim()).filter(Boolean));
const wants = (section: string) => only.size === 0 || only.has(section) || (only.has("server") && SERVER_SECTIONS.includes(section));

async function slotsBench() {
  console.log("\nSlots (pure function)");
  const busy = benchBusy(benchFrom);
  const run = () => computeSlots({ availability: complexAvailability, busy, from: benchFrom, to: benchFrom + 90 * DAY, now: benchFrom, durationMinutes: 60 });
  for (let i = 0; i < 50; i++) run();
  const times = await repeat(300, run);
  report("slots, 90 days, complex rules", `${median(times).toFixed(3)} ms median, p95 ${percentile(times, 95).toFixed(3)} ms (${run().length} slots)`, "≤ 2 ms", median(times) <= 2);
}

function firstLoadBench() {
  console.log("\nFirst load of the SPA (landing, search, tutor page)");
  const { gzip, raw, files } = firstLoadJs();
  report("first-load JavaScript", `${(gzip / 1024).toFixed(1)} KB gzip (${(raw / 1024).toFixed(0)} KB raw, ${files.filter((f) => f.endsWith(".js")).length} chunks)`, "≤ 60 KB gzip", gzip <= 60 * 1024);
}

async function serverBench() {
  // The series section alone needs no search tutors and only the students it books with.
  const STUDENTS = wants("search") || wants("booking") ? 400 : 30;
  const SEARCH_TUTORS = wants("search") ? 10_000 : 0;
  console.log(`\nSeeding ${STUDENTS} students and ${SEARCH_TUTORS.toLocaleString("en")} search tutors into a fresh local D1 …`);
  const fx = benchFixtures({ students: STUDENTS, searchTutors: SEARCH_TUTORS, creditMinutes: 2_000 });
  // Email goes out as in a deployment: to an HTTP provider (the wire fake), so notices cost what they would.
  const email = await startEmailFake();
  const server = await startDevServer({ ...BENCH_VARS, EMAIL_PROVIDER: "http", EMAIL_HTTP_URL: `${email.url}/emails`, EMAIL_HTTP_TOKEN: FAKE_EMAIL_TOKEN }, { seedSqlFile: fx.file });
  try {
    const call = (path: string) => fetch(server.url + path);
    // Search first, on a quiet server (bookings leave notices and projections draining for a while after).
    if (wants("search")) await searchBench(call);
    if (wants("booking")) await bookingBench({ url: server.url, serverPid: server.pid, tutor: fx.tutor, students: fx.students });
    if (wants("series")) {
      await seriesBench({ url: server.url, tutor: fx.tutor, students: fx.students });
      await tutorWeekBench({ url: server.url, tutor: fx.tutor });
    }
  } finally {
    await server.stop();
    await email.close();
  }
}

async function searchBench(call: (path: string) => Promise<Response>) {
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
}

console.log(`Tutorly bench — ${new Date().toISOString()} — ${cpus()[0]?.model ?? "cpu"} × ${cpus().length}, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}, wrangler's local trace capture ${process.env.X_LOCAL_OBSERVABILITY === "false" ? "off" : "on"}`);
if (wants("slots")) await slotsBench();
if (wants("firstload")) firstLoadBench();
if (wants("feed")) await feedRenderBench();
if (SERVER_SECTIONS.some(wants)) await serverBench();
if (wants("feed")) await feedServerBench();
console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
summary();
process.exit(0);
