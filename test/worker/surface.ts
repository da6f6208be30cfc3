import { app } from "../../worker/index";

/** Every route the app serves, from its own route table ("METHOD /path"), minus middleware-only registrations. */
export function routeTable(): string[] {
  const seen = new Set<string>();
  for (const r of app.routes) {
    if (r.method === "ALL" || r.path.includes("*")) continue;
    seen.add(`${r.method} ${r.path}`);
  }
  return [...seen];
}

/** Fills a route's path parameters. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? "unknown-id"));
}
