import { type AnyColumn, and, eq, lt, or } from "drizzle-orm";
import { z } from "zod";

/**
 * The admin console's long lists page back in time, newest first: a page's end is its last entry's time and id
 * (`<at>~<id>`, as a page's `next` gives it; a bare time is accepted too), sent back as `before` for the next page.
 * Entries of one moment are ordered by id, so a page boundary among them skips none.
 */
export const PageCursor = z
  .string()
  .max(120)
  .transform((s, ctx) => {
    const [at, id, extra] = s.split("~");
    if (extra !== undefined || !z.iso.datetime().safeParse(at).success || (id !== undefined && !/^[\w-]{1,64}$/.test(id))) {
      ctx.addIssue({ code: "custom", message: "Use the next of a previous page" });
      return z.NEVER;
    }
    return { at: new Date(at!).toISOString(), id: id ?? null };
  });

/** The `next` of a page of `limit` rows: where the following page starts, or null when this one was the last. */
export const nextOf = (rows: readonly { at: string; id: string }[], limit: number): string | null => {
  const last = rows.at(-1);
  return rows.length === limit && last ? `${last.at}~${last.id}` : null;
};

/** Rows older than `before` by (`at`, `id`): the condition of the page that starts there. */
export const olderThan = (at: AnyColumn, id: AnyColumn, before: z.output<typeof PageCursor>) => (before.id ? or(lt(at, before.at), and(eq(at, before.at), lt(id, before.id))) : lt(at, before.at));
