/**
 * The booking budgets (DESIGN: a booking end to end keeps ≥ ½ the throughput of a bare Worker → Durable Object
 * insert at 16 and at 80 concurrent students; 200 concurrent attempts at one slot settle with one winner in ≤ 2×
 * the baseline's time for the same race; a live change reaches viewers ≤ 100 ms while 80 students are booking),
 * measured against the bare insert started in the same run.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../test/e2e/server";
import { cpuByRuntime, cpuPerCallByRuntime } from "./cpu";
import { type BenchUser, OPEN_ALL_WEEK, remember } from "./fixtures";
import { median, percentile, report, timeIt } from "./stats";

const DAY = 86_400_000;
/** Node's WebSocket (undici) takes request headers, which the DOM typing of the constructor does not know. */
const NodeWebSocket: new (url: string, init?: { headers: Record<string, string> }) => WebSocket = WebSocket as never;
const STEP = 30 * 60_000;

/** The bare Worker → Durable Object insert, served by its own `wrangler dev`. */
export async function startBaseline() {
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
  const insert = async () => {
    const r = await fetch(url, { method: "POST" });
    if (r.status !== 201) throw new Error(`baseline ${r.status}`);
    await r.arrayBuffer();
  };
  return { insert, pid: child.pid!, stop: () => process.kill(-child.pid!, "SIGTERM") };
}

/** `n` calls of `fn`, `concurrency` at a time: calls per second and each call's latency (ms). */
export async function load(n: number, concurrency: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        latencies.push(await timeIt(() => fn(i)));
      }
    }),
  );
  return { perSecond: n / ((performance.now() - t0) / 1000), latencies };
}

const ms = (xs: number[]) => `p50 ${median(xs).toFixed(1)} ms, p99 ${percentile(xs, 99).toFixed(1)} ms`;

/** `serverPid`: the app's `wrangler dev`, whose CPU time is read (with its runtimes') around each load. */
type Ctx = { url: string; serverPid: number; tutor: BenchUser; students: BenchUser[] };

/** After a load's last answer, how long its after-answer work (projection, notices, emails) may still be draining. */
const SETTLE_MS = 2_000;

/**
 * A load and the server CPU it cost per call (ms), counted from its start until SETTLE_MS after its last answer, so a
 * booking's work after the answer counts too. CPU time does not depend on what else loads the machine, as
 * throughput does.
 */
async function loadWithCpu(pid: number, n: number, concurrency: number, fn: (i: number) => Promise<void>) {
  const before = cpuByRuntime(pid);
  const result = await load(n, concurrency, fn);
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const byRuntime = cpuPerCallByRuntime(before, cpuByRuntime(pid), n);
  return { ...result, cpuPerCall: Object.values(byRuntime).reduce((a, b) => a + b, 0), byRuntime };
}

export async function bookingBench({ url, serverPid, tutor, students }: Ctx) {
  /** A request as the user's browser makes it: their cookies (the credential kept), the app's Origin. */
  const call = async (path: string, user: BenchUser, init: RequestInit = {}) => {
    const res = await fetch(url + path, { ...init, headers: { "Content-Type": "application/json", Origin: url, Cookie: user.cookie, ...(init.headers ?? {}) } });
    remember(user, res);
    return res;
  };
  const put = await call("/api/tutors/me/availability", tutor, { method: "PUT", body: JSON.stringify(OPEN_ALL_WEEK) });
  if (!put.ok) throw new Error(`availability: ${put.status} ${await put.text()}`);
  const base = Math.ceil((Date.now() + 3 * DAY) / STEP) * STEP;
  let slot = 0;
  /** A fresh half hour for every booking, so only the race below competes for one. */
  const nextSlot = () => base + slot++ * STEP;
  const book = async (s: BenchUser, start: number) => {
    const r = await call("/api/bookings", s, { method: "POST", body: JSON.stringify({ tutorId: tutor.id, start: new Date(start).toISOString(), durationMinutes: 30, subject: "mathematics" }) });
    const text = await r.text();
    return { status: r.status, text };
  };
  const mustBook = async (s: BenchUser, start: number) => {
    const r = await book(s, start);
    if (r.status !== 201) throw new Error(`booking: ${r.status} ${r.text}`);
    return r.text;
  };
  const studentFor = (i: number) => students[i % students.length]!;

  console.log("\nBooking (one tutor, 30-minute sessions, each booking on its own half hour)");
  // Steady state: every student's wallet already lives in their object (the fixtures' credit is in the D1 ledger of
  // before the wallet move, imported on first use), and each browser holds its signed session credential.
  const warmed = await load(students.length, 8, async (i) => {
    const r = await call("/api/billing/credits", students[i]!);
    if (!r.ok) throw new Error(`credits: ${r.status} ${await r.text()}`);
    await r.arrayBuffer();
  });
  console.log(`  (${students.length} wallets opened first, ${ms(warmed.latencies)} each)`);
  for (let i = 0; i < 20; i++) await mustBook(studentFor(i), nextSlot());

  const baseline = await startBaseline();
  try {
    for (let i = 0; i < 50; i++) await baseline.insert();
    for (const [label, concurrency, n] of [
      ["sequential", 1, 30],
      ["16 concurrent", 16, 160],
      ["80 concurrent", 80, 320],
    ] as const) {
      const bare = await loadWithCpu(baseline.pid, Math.max(n, 400), concurrency, () => baseline.insert());
      const booking = await loadWithCpu(serverPid, n, concurrency, (i) => mustBook(studentFor(i + concurrency * 7), nextSlot()).then(() => undefined));
      report(`bare insert, ${label}`, `${bare.perSecond.toFixed(0)}/s, ${ms(bare.latencies)}`);
      report(
        `booking throughput, ${label}`,
        `${booking.perSecond.toFixed(1)} bookings/s = ${((booking.perSecond / bare.perSecond) * 100).toFixed(0)} % of the bare insert; ${ms(booking.latencies)}`,
        concurrency > 1 ? "≥ 50 %" : "",
        concurrency > 1 ? booking.perSecond / bare.perSecond >= 0.5 : undefined,
      );
      report(
        `  the same in server CPU, ${label}`,
        `${booking.cpuPerCall.toFixed(1)} ms per booking with its after-answer work, ${bare.cpuPerCall.toFixed(1)} ms per bare insert = ${((bare.cpuPerCall / booking.cpuPerCall) * 100).toFixed(0)} %`,
      );
      // The app's runtime is one thread: it runs the Worker, both Durable Objects and D1's local stand-in, so it
      // is what limits booking throughput here; wrangler's proxy and wrangler itself are the same for the bare insert.
      const split = (x: typeof bare.byRuntime) => `app runtime ${x.app.toFixed(1)}, wrangler's proxy ${x.proxy.toFixed(1)}, wrangler ${x.node.toFixed(1)}`;
      report(`  by runtime (ms per call), ${label}`, `booking: ${split(booking.byRuntime)}; bare insert: ${split(bare.byRuntime)}`);
    }

    // The race: 200 at once for one slot (one winner), against 200 bare inserts at once.
    const bareRace = median(await Promise.all([0, 1, 2].map(() => timeIt(() => Promise.all(Array.from({ length: 200 }, () => baseline.insert()))))));
    const contenders = students.slice(0, 200);
    const contested = nextSlot();
    let statuses: number[] = [];
    const race = await timeIt(async () => {
      statuses = await Promise.all(contenders.map(async (s) => (await book(s, contested)).status));
    });
    const winners = statuses.filter((s) => s === 201).length;
    const losers = statuses.filter((s) => s === 409).length;
    report(
      "200 concurrent bookings of one slot",
      `${winners} winner, ${losers} × 409, settled in ${race.toFixed(0)} ms = ${(race / bareRace).toFixed(2)} × the bare race (${bareRace.toFixed(0)} ms)`,
      "one winner, ≤ 2×",
      winners === 1 && losers === contenders.length - 1 && race <= 2 * bareRace,
    );
  } finally {
    baseline.stop();
  }

  await liveUnderLoad({ url, tutor, students, book: mustBook, nextSlot, call });
}

/**
 * While 80 students keep booking the same tutor: how long a change takes to reach (a) viewers of the tutor's page
 * and (b) the `/api/live` socket of the student a tutor's cancellation is about, from the request's start.
 */
async function liveUnderLoad(a: {
  url: string;
  tutor: BenchUser;
  students: BenchUser[];
  book: (s: BenchUser, start: number) => Promise<string>;
  nextSlot: () => number;
  call: (path: string, user: BenchUser, init?: RequestInit) => Promise<Response>;
}) {
  const ws = a.url.replace("http", "ws");
  const connect = async (path: string, cookie?: string) => {
    const socket = new NodeWebSocket(`${ws}${path}`, cookie ? { headers: { Cookie: cookie, Origin: a.url } } : undefined);
    await new Promise((resolve, reject) => ((socket.onopen = resolve), (socket.onerror = reject)));
    return socket;
  };
  const arrival = (socket: WebSocket, match: (m: { type: string; [k: string]: unknown }) => boolean, since: number) =>
    new Promise<number>((resolve) => {
      const onMessage = (e: MessageEvent) => {
        if (!match(JSON.parse(String(e.data)))) return;
        socket.removeEventListener("message", onMessage);
        resolve(performance.now() - since);
      };
      socket.addEventListener("message", onMessage);
    });

  // The people changes are about: 10 students with a booking each, listening on /api/live.
  const probes = a.students.slice(-10);
  const booked: { student: BenchUser; id: string; socket: WebSocket }[] = [];
  for (const student of probes) {
    const { booking } = JSON.parse(await a.book(student, a.nextSlot())) as { booking: { id: string } };
    booked.push({ student, id: booking.id, socket: await connect("/api/live", student.cookie) });
  }
  const viewers = await Promise.all(Array.from({ length: 10 }, () => connect(`/api/tutors/${a.tutor.id}/live`)));

  // 80 students booking without pause until the measurements are done (each loader takes turns among the others,
  // so nobody reaches the per-user booking limit).
  let running = true;
  let loadBookings = 0;
  const others = a.students.slice(0, -10);
  const loaders = Array.from({ length: 80 }, async (_, k) => {
    for (let j = 0; running; j++) {
      await a.book(others[(k + 80 * j) % others.length]!, a.nextSlot());
      loadBookings++;
    }
  });
  await new Promise((r) => setTimeout(r, 1000));

  const toViewers: number[] = [];
  const toStudent: number[] = [];
  /** The same arrivals counted from the moment the request's answer arrived (negative: before it). */
  const afterBooked: number[] = [];
  const afterCancelled: number[] = [];
  try {
    for (let i = 0; i < 10; i++) {
      const at = a.nextSlot();
      const iso = new Date(at).toISOString();
      const since = performance.now();
      const seen = viewers.map((v) => arrival(v, (m) => m.type === "slots.changed" && Array.isArray(m.taken) && (m.taken as { start: string }[]).some((t) => t.start === iso), since));
      await a.book(probes[i]!, at);
      const answered = performance.now() - since;
      const arrivals = await Promise.all(seen);
      toViewers.push(...arrivals);
      afterBooked.push(...arrivals.map((t) => t - answered));
    }
    for (const b of booked) {
      const since = performance.now();
      const seen = arrival(b.socket, (m) => m.type === "booking.changed" && m.change === "cancelled" && (m.booking as { id: string }).id === b.id, since);
      const res = await a.call(`/api/bookings/${encodeURIComponent(b.id)}/cancel`, a.tutor, { method: "POST", body: "{}" });
      if (!res.ok) throw new Error(`cancel: ${res.status} ${await res.text()}`);
      const answered = performance.now() - since;
      const reached = await seen;
      toStudent.push(reached);
      afterCancelled.push(reached - answered);
    }
  } finally {
    running = false;
    await Promise.all(loaders);
    for (const s of [...viewers, ...booked.map((b) => b.socket)]) s.close();
  }
  console.log(`  (${loadBookings} bookings by 80 other students meanwhile)`);
  report("live change reaches 10 tutor-page viewers, 80 students booking", `${ms(toViewers)} (from the booking request)`, "≤ 100 ms", median(toViewers) <= 100);
  report("a tutor's cancellation reaches the student's /api/live, 80 students booking", `${ms(toStudent)} (from the cancel request)`, "≤ 100 ms", median(toStudent) <= 100);
  report("  the same, counted from each answer (negative: before it)", `viewers ${ms(afterBooked)}; student ${ms(afterCancelled)}`);
}
