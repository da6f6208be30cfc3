const UNIQUE_FAILED = /UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)/;

/**
 * Whether `e` is SQLite refusing a duplicate, on `on` when given: `"table.column"` (one of the constraint's
 * columns) or `"table"` (any of its columns). It walks `e.cause`, because drizzle wraps a failed single query as
 * `Failed query: <sql>` with D1's error only in `cause` (a `db.batch` failure comes through unwrapped).
 */
export function isUniqueViolation(e: unknown, on?: string): boolean {
  for (let err: unknown = e, depth = 0; err instanceof Error && depth < 5; err = err.cause, depth++) {
    const columns = UNIQUE_FAILED.exec(err.message)?.[1]?.split(", ");
    if (columns && (on === undefined || columns.some((c) => c === on || c.startsWith(`${on}.`)))) return true;
  }
  return false;
}
