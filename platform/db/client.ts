import { drizzle } from "drizzle-orm/d1";

const handles = new WeakMap<D1Database, ReturnType<typeof open>>();
/**
 * Without `{ schema }`: the app uses the query builder only, never relational queries (`db.query.*`), and handing
 * drizzle the schema makes it walk every table each time a handle is built (about 0.07 ms). Each Durable Object has a
 * binding object of its own, so every student's wallet built its own handle.
 */
const open = (db: D1Database) => drizzle(db);

export type Db = ReturnType<typeof open>;

/**
 * A drizzle handle over the `DB` binding. Transactions on D1 are `db.batch([...])`, never `db.transaction()`.
 * One handle per binding object (a request's D1 session, an object's binding).
 */
export function getDb(env: { DB: D1Database }): Db {
  let db = handles.get(env.DB);
  if (!db) handles.set(env.DB, (db = open(env.DB)));
  return db;
}

/**
 * Reads rows for many ids in queries of at most 90 ids each (D1 caps a statement at 100 bound values), side by side.
 */
export async function readInChunks<T, R>(ids: readonly T[], read: (part: T[]) => Promise<R[]>): Promise<R[]> {
  return (await Promise.all(inChunks(ids).map(read))).flat();
}

/** `items` in parts of at most 90 (D1 caps a statement at 100 bound values). */
export function inChunks<T>(items: readonly T[]): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += 90) parts.push(items.slice(i, i + 90));
  return parts;
}
