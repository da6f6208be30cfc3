/** Small statistics helpers for the bench: figures are medians over repeated runs, never single samples. */
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

export async function timeIt(fn: () => unknown | Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export async function repeat(n: number, fn: () => unknown | Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await timeIt(fn));
  return out;
}

const rows: { name: string; figure: string; budget: string; verdict: string }[] = [];

/** Records one budget line; `ok` compares the figure with its budget. */
export function report(name: string, figure: string, budget = "", ok?: boolean) {
  const verdict = ok === undefined ? "" : ok ? "✓ within budget" : "✗ OVER BUDGET";
  rows.push({ name, figure, budget, verdict });
  console.log(`  ${name}: ${figure}${budget ? `  (budget ${budget})` : ""}${verdict ? `  ${verdict}` : ""}`);
}

export function summary() {
  console.log("\n| measure | figure | budget | |\n|---|---|---|---|");
  for (const r of rows) console.log(`| ${r.name} | ${r.figure} | ${r.budget} | ${r.verdict} |`);
}
