import { DurableObject } from "cloudflare:workers";

/**
 * The bench's yardstick: the barest Worker → Durable Object write (one SQLite insert). A booking end to end is
 * compared against this, measured in the same run on the same machine.
 */
export class Counter extends DurableObject {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL)");
  }
  insert(): number {
    this.ctx.storage.sql.exec("INSERT INTO rows (at) VALUES (?)", Date.now());
    return this.ctx.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM rows").one().n;
  }
}

export default {
  async fetch(request: Request, env: { COUNTER: DurableObjectNamespace<Counter> }) {
    if (request.method !== "POST") return new Response("POST only", { status: 405 });
    const n = await env.COUNTER.get(env.COUNTER.idFromName("one")).insert();
    return Response.json({ n }, { status: 201 });
  },
};
