import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

const handles = new WeakMap<D1Database, ReturnType<typeof open>>();
const open = (db: D1Database) => drizzle(db, { schema });

export type Db = ReturnType<typeof open>;

/**
 * A drizzle handle over the `DB` binding. Transactions on D1 are `db.batch([...])`, never `db.transaction()`.
 * One handle per binding object: building one reads the whole schema, which cost a booking's after-answer work
 * about 5 % of its time when every notice and projection built its own.
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
  const parts: T[][] = [];
  for (let i = 0; i < ids.length; i += 90) parts.push(ids.slice(i, i + 90));
  return (await Promise.all(parts.map(read))).flat();
}
