/**
 * Structured JSON log lines; Workers observability indexes their fields. Field names that look like credentials
 * are redacted whatever the caller passes, so a password, token, cookie or signature never reaches the logs.
 */
export type LogFields = Record<string, unknown> & { requestId?: string };

const SENSITIVE = /pass(word)?|secret|token|authorization|cookie|signature|api[-_]?key|card/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SENSITIVE.test(k) ? "[redacted]" : redact(v, depth + 1)]));
}

function emit(level: "info" | "warn" | "error", msg: string, fields: LogFields = {}) {
  const line = JSON.stringify({ level, msg, ...(redact(fields) as object), at: new Date().toISOString() });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

export const log = {
  info: (msg: string, fields?: LogFields) => emit("info", msg, fields),
  warn: (msg: string, fields?: LogFields) => emit("warn", msg, fields),
  error: (msg: string, fields?: LogFields) => emit("error", msg, fields),
};
