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
