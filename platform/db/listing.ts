/**
 * When a tutor is listed (shown in search, offered as a replacement, bookable): approved by an admin, with a
 * confirmed email address, and an active account (not suspended or deleted). `p` is `tutor_profiles`, `u` is
 * `users` joined on it. Raw SQL because the search and replacement queries are hand-written.
 */
export const LISTED_TUTOR_SQL = "p.approved_at IS NOT NULL AND u.email_verified_at IS NOT NULL AND u.status = 'active'";

/** The same rule on a row already read. */
export const isListedTutor = (r: { approvedAt: string | null; emailVerifiedAt: string | null; status: string }) =>
  r.approvedAt !== null && r.emailVerifiedAt !== null && r.status === "active";
