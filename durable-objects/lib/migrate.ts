/**
 * Additive schema changes for a Durable Object's SQLite: objects keep their storage across deploys, so a column
 * added after the first release is added in place when missing.
 */
export function addColumns(sql: SqlStorage, table: string, columns: Record<string, string>) {
  const have = new Set(sql.exec<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`).toArray().map((r) => r.name));
  for (const [name, type] of Object.entries(columns)) {
    if (!have.has(name)) sql.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
  }
}

/** A short, stable fingerprint of a schema's text (FNV-1a, 32 bits): the version `migrateOnce` compares. */
export function schemaVersion(...parts: unknown[]): string {
  const text = JSON.stringify(parts);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}

/**
 * Brings an object's tables up to `version` once: an object is constructed on every cold start (a student's wallet
 * at each of their bookings), and running all its DDL and column checks each time costs more than the work it
 * wakes for. One read decides; a new version (the schema's text changed) runs `migrate` again, which must be
 * idempotent (`CREATE … IF NOT EXISTS`, `addColumns`).
 */
export function migrateOnce(sql: SqlStorage, version: string, migrate: () => void) {
  sql.exec("CREATE TABLE IF NOT EXISTS _schema (id INTEGER PRIMARY KEY CHECK (id = 1), version TEXT NOT NULL)");
  const current = sql.exec<{ version: string }>("SELECT version FROM _schema WHERE id = 1").toArray()[0]?.version;
  if (current === version) return;
  migrate();
  sql.exec("INSERT INTO _schema (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version", version);
}
