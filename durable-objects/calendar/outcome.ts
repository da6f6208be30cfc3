/** What a calendar operation answers: a value, or an expected failure the Worker turns into a 4xx. */
export type Failure = { ok: false; code: string; message: string; issues?: { path: string; message: string }[] };
export type Outcome<T> = { ok: true; value: T; replayed?: boolean } | Failure;

export const fail = (code: string, message: string, issues?: Failure["issues"]): Failure => ({ ok: false, code, message, ...(issues ? { issues } : {}) });

/** Unknown bookings and other people's look the same: nothing says which exists. */
export const NOT_FOUND = fail("not_found", "That booking was not found.");

export const MESSAGES = {
  slot_unavailable: "That time is no longer available. Pick another slot.",
  student_busy: "You already have a session at that time.",
  insufficient_credits: "You do not have enough credits for this session.",
  reservation_closed: "That booking attempt has already been closed. Try again.",
  idempotency_key_reused: "This Idempotency-Key was already used with a different request.",
  account_closed: "This account is suspended or deleted, so it cannot book lessons.",
} as const;

const MESSAGE_BY_CODE = new Map<string, string>(Object.entries(MESSAGES));
export const messageFor = (code: string) => MESSAGE_BY_CODE.get(code) ?? MESSAGES.slot_unavailable;

export const KEY_REUSED = fail("idempotency_key_reused", MESSAGES.idempotency_key_reused);

/** A concurrent repeat's answer: the first attempt's, marked as a replay when it succeeded. */
export const replay = <T>(answer: Promise<Outcome<T>>) => answer.then((o): Outcome<T> => (o.ok ? { ...o, replayed: true } : o));
