import { existsSync, readFileSync, readdirSync } from "node:fs";

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on Linux). */
const HZ = 100;

/** The process `root` and everything it started (e.g. `wrangler dev` and its workerd runtimes). */
function tree(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      /* gone meanwhile */
    }
  }
  const pids = [root];
  for (let i = 0; i < pids.length; i++) for (const [pid, parent] of parentOf) if (parent === pids[i]) pids.push(pid);
  return pids;
}

/**
 * Where a `wrangler dev` tree spends its CPU: `app` is the workerd runtime that runs the Worker and its Durable
 * Objects (the one with the inspector); `proxy` is wrangler's own workerd in front of it, which every request
 * passes through locally and which does not exist when deployed; `node` is wrangler itself (and the dev script),
 * which prints every request and log line; `other` is the rest (esbuild's watcher).
 */
const RUNTIMES = ["app", "proxy", "node", "other"] as const;
export type Runtime = (typeof RUNTIMES)[number];

const byRuntime = (value: (r: Runtime) => number) => Object.fromEntries(RUNTIMES.map((r) => [r, value(r)])) as Record<Runtime, number>;

function runtimeOf(pid: number): Runtime {
  const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  if (cmd.includes("workerd")) return cmd.includes("--inspector-addr") ? "app" : "proxy";
  return /(^|\/)node\0/.test(cmd) ? "node" : "other";
}

/**
 * CPU time (user + system, ms) used so far by a process tree, by runtime: what a server spent, whatever else loads
 * the machine. Linux only (/proc); elsewhere NaN.
 */
export function cpuByRuntime(root: number): Record<Runtime, number> {
  if (!existsSync("/proc")) return byRuntime(() => Number.NaN);
  const ms = byRuntime(() => 0);
  for (const pid of tree(root)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ms[runtimeOf(pid)] += ((Number(fields[11]) + Number(fields[12])) / HZ) * 1000;
    } catch {
      /* gone meanwhile */
    }
  }
  return ms;
}

/** CPU per call, by runtime, between two readings of `cpuByRuntime` around `calls` calls. */
export const cpuPerCallByRuntime = (before: Record<Runtime, number>, after: Record<Runtime, number>, calls: number) => byRuntime((r) => (after[r] - before[r]) / calls);
