-- A push subscription belongs to the session it was made under and goes with it (signed out, revoked, expired), so a
-- browser signed out of an account is pushed nothing of it. Rows saved before this keep a null session: unknown, they
-- go when every session of the account is ended (a password reset, signing out everywhere).
-- drizzle-kit leaves ON DELETE out of an added column's REFERENCES; the snapshot has it (cascade).
ALTER TABLE `push_subscriptions` ADD `session_id` text REFERENCES auth_sessions(id) ON DELETE cascade;--> statement-breakpoint
CREATE INDEX `push_subscriptions_session` ON `push_subscriptions` (`session_id`);
