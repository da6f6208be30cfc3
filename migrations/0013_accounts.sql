CREATE TABLE `account_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`purpose` text NOT NULL,
	`email` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `account_tokens_user` ON `account_tokens` (`user_id`,`purpose`,`created_at`);--> statement-breakpoint
CREATE INDEX `account_tokens_expires` ON `account_tokens` (`expires_at`);--> statement-breakpoint
CREATE TABLE `admin_invitations` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`invited_by` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`accepted_at` text,
	`accepted_user_id` text
);
--> statement-breakpoint
CREATE INDEX `admin_invitations_email` ON `admin_invitations` (`email`,`created_at`);--> statement-breakpoint
CREATE INDEX `admin_invitations_expires` ON `admin_invitations` (`expires_at`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`actor_id` text NOT NULL,
	`action` text NOT NULL,
	`target_id` text,
	`detail` text,
	`request_id` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_target` ON `audit_log` (`target_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_log_actor` ON `audit_log` (`actor_id`,`at`);--> statement-breakpoint
CREATE TABLE `login_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`attempt_id` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `login_attempts_key_at` ON `login_attempts` (`key`,`at`);--> statement-breakpoint
CREATE INDEX `login_attempts_attempt` ON `login_attempts` (`attempt_id`);--> statement-breakpoint
CREATE INDEX `login_attempts_at` ON `login_attempts` (`at`);--> statement-breakpoint
DROP TABLE `login_failures`;--> statement-breakpoint
DROP INDEX `users_email_unique`;--> statement-breakpoint
ALTER TABLE `users` ADD `locale` text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `email_verified_at` text;--> statement-breakpoint
ALTER TABLE `users` ADD `status` text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `suspended_at` text;--> statement-breakpoint
ALTER TABLE `users` ADD `deleted_at` text;--> statement-breakpoint
-- Accounts from before verification existed keep their addresses: they count as verified.
UPDATE `users` SET `email_verified_at` = `created_at`;--> statement-breakpoint
CREATE UNIQUE INDEX `users_verified_email_unique` ON `users` (`email`) WHERE email_verified_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `users_email` ON `users` (`email`);--> statement-breakpoint
ALTER TABLE `auth_sessions` ADD `id` text;--> statement-breakpoint
ALTER TABLE `auth_sessions` ADD `absolute_expires_at` text;--> statement-breakpoint
ALTER TABLE `auth_sessions` ADD `last_seen_at` text;--> statement-breakpoint
ALTER TABLE `auth_sessions` ADD `user_agent` text;--> statement-breakpoint
-- Open sessions get a public id and the 90-day absolute lifetime, counted from their sign-in.
UPDATE `auth_sessions` SET `id` = lower(hex(randomblob(16))), `last_seen_at` = `created_at`, `absolute_expires_at` = strftime('%Y-%m-%dT%H:%M:%fZ', `created_at`, '+90 days');--> statement-breakpoint
CREATE UNIQUE INDEX `auth_sessions_id` ON `auth_sessions` (`id`);--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `to_name` text;--> statement-breakpoint
ALTER TABLE `students` ADD `learning_goals` text;