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
