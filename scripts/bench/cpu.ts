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
export type Runtime = "app" | "proxy" | "node" | "other";

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
  const ms: Record<Runtime, number> = { app: 0, proxy: 0, node: 0, other: 0 };
  if (!existsSync("/proc")) return { app: Number.NaN, proxy: Number.NaN, node: Number.NaN, other: Number.NaN };
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
