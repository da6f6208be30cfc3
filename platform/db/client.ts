import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = ReturnType<typeof getDb>;

/** A drizzle handle over the `DB` binding. Transactions on D1 are `db.batch([...])`, never `db.transaction()`. */
export const getDb = (env: { DB: D1Database }) => drizzle(env.DB, { schema });
