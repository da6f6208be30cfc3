/**
 * `npm run bench`: the performance budgets of ../shared/DESIGN.md, measured and printed as figures
 * (medians over repeated runs). Nothing here asserts: a figure over budget is printed as such.
 */
import { cpus } from "node:os";
import { computeSlots } from "../../domain/time";
import { benchBusy, benchFrom, complexAvailability } from "../../domain/time/slots.bench-case";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startDevServer } from "../../test/e2e/server";
import { firstLoadJs } from "./firstLoad";
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

function firstLoadBench() {
  console.log("\nFirst load of the SPA (landing, search, tutor page)");
  const { gzip, raw, files } = firstLoadJs();
  report("first-load JavaScript", `${(gzip / 1024).toFixed(1)} KB gzip (${(raw / 1024).toFixed(0)} KB raw, ${files.filter((f) => f.endsWith(".js")).length} chunks)`, "≤ 60 KB gzip", gzip <= 60 * 1024);
}

/** The bare Worker → Durable Object insert, served by its own `wrangler dev`. */
async function startBaseline() {
  const port = await freePort();
  const child = spawn("npx", ["wrangler", "dev", "-c", "scripts/bench/baseline/wrangler.toml", "--port", String(port), "--ip", "127.0.0.1", "--persist-to", mkdtempSync(join(tmpdir(), "tutorly-baseline-")), "--inspector-port", String(await freePort())], {
    stdio: "ignore",
    detached: true,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url, { method: "POST" })).status === 201) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop: () => process.kill(-child.pid!, "SIGTERM") };
}

/** Requests per second for `n` calls of `fn`, `concurrency` at a time. */
async function throughput(n: number, concurrency: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
  return n / ((performance.now() - t0) / 1000);
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
    const bookingSeq = n / seqSecs;
    report("sequential bookings on one tutor", `${bookingSeq.toFixed(1)} bookings/s, ${median(seqTimes).toFixed(1)} ms median end to end`);

    // The same run's yardstick: a bare Worker → Durable Object insert, sequential and concurrent.
    const baseline = await startBaseline();
    try {
      const insert = async () => {
        const r = await fetch(baseline.url, { method: "POST" });
        if (r.status !== 201) throw new Error(`baseline ${r.status}`);
        await r.arrayBuffer();
      };
      for (let i = 0; i < 20; i++) await insert();
      const baseSeq = await throughput(200, 1, insert);
      const baseConc = await throughput(400, 16, insert);
      const bookingConc = await throughput(60, 16, async (i) => {
        const r = await book(fx.students[60 + i]!.cookie, base + (60 + i) * step);
        if (r.status !== 201) throw new Error(`booking ${i}: ${r.status} ${await r.text()}`);
        await r.arrayBuffer();
      });
      report("bare Worker → Durable Object insert", `${baseSeq.toFixed(0)}/s sequential, ${baseConc.toFixed(0)}/s at 16 concurrent`);
      report(
        "booking throughput vs the bare insert",
        `${((bookingSeq / baseSeq) * 100).toFixed(0)} % sequential, ${((bookingConc / baseConc) * 100).toFixed(0)} % at 16 concurrent (${bookingConc.toFixed(1)} bookings/s)`,
        "≥ 50 %",
        bookingConc / baseConc >= 0.5,
      );
    } finally {
      baseline.stop();
    }

    // Live: viewers of the tutor's page learn a slot is taken while the booking is still being paid for.
    const viewers = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const ws = new WebSocket(`${server.url.replace("http", "ws")}/api/tutors/${fx.tutor.id}/live`);
        await new Promise((r, j) => ((ws.onopen = r), (ws.onerror = j)));
        return ws;
      }),
    );
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const slotAt = base + (130 + i) * step;
      const sent = performance.now();
      const arrivals = viewers.map(
        (ws) =>
          new Promise<number>((resolve) => {
            const onMessage = (e: MessageEvent) => {
              const m = JSON.parse(String(e.data));
              if (m.type === "slots.changed" && m.taken?.[0]?.start === new Date(slotAt).toISOString()) {
                ws.removeEventListener("message", onMessage);
                resolve(performance.now() - sent);
              }
            };
            ws.addEventListener("message", onMessage);
          }),
      );
      const res = await book(fx.students[140 + i]!.cookie, slotAt);
      if (res.status !== 201) throw new Error(`live booking: ${res.status}`);
      latencies.push(...(await Promise.all(arrivals)));
    }
    for (const ws of viewers) ws.close();
    report("live change reaches 10 viewers", `${median(latencies).toFixed(1)} ms median, p95 ${percentile(latencies, 95).toFixed(1)} ms (from the booking request)`, "≤ 100 ms", median(latencies) <= 100);

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
firstLoadBench();
await feedRenderBench();
await serverBench();
await feedServerBench();
summary();
process.exit(0);
