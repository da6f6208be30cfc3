/**
 * How long conversations keep their messages. A message is deleted a year after it was sent, unless the
 * conversation is under an open report: then nothing in it is deleted until an admin closes the report.
 * Closed reports are deleted two years after they were closed.
 */
export const MESSAGE_RETENTION_MS = 365 * 86_400_000;
export const CLOSED_REPORT_RETENTION_MS = 730 * 86_400_000;

/** Messages sent before this instant are past retention at `now`. */
export const messagesExpireBefore = (now: number) => now - MESSAGE_RETENTION_MS;
