import { eq } from "drizzle-orm";
import type { Db } from "./client";
import { appMeta } from "./schema";

const PAGE = 200;
const PAGES_PER_RUN = 20;

/**
 * A job that goes once over every id of a kind (a daily job, run until done): `page(after, limit)` answers the next
 * ids in order after `after`, and `each` does the work for one. It goes page by page from where the last page stopped,
 * kept in app_meta under `key` ("done" at the end), so a run that fails resumes there; at most 20 pages of 200 a run.
 * Answers how many ids it did and whether all are done.
 */
export async function everyIdOnce(db: Db, key: string, page: (after: string, limit: number) => Promise<{ id: string }[]>, each: (id: string) => Promise<void>): Promise<{ count: number; done: boolean }> {
  let count = 0;
  for (let i = 0; i < PAGES_PER_RUN; i++) {
    const mark = (await db.select().from(appMeta).where(eq(appMeta.key, key)).get())?.value ?? "";
    if (mark === "done") return { count, done: true };
    const ids = await page(mark, PAGE);
    for (const { id } of ids) await each(id);
    count += ids.length;
    const next = ids.length < PAGE ? "done" : ids.at(-1)!.id;
    await db.insert(appMeta).values({ key, value: next }).onConflictDoUpdate({ target: appMeta.key, set: { value: next } });
  }
  return { count, done: false };
}
