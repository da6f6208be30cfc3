ALTER TABLE `calendly_links` ADD `access_token` text;--> statement-breakpoint
ALTER TABLE `calendly_links` ADD `calendly_name` text;--> statement-breakpoint
ALTER TABLE `external_calendars` ADD `host` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `external_calendars` ADD `skipped_events` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `external_calendars` ADD `etag` text;--> statement-breakpoint
ALTER TABLE `external_calendars` ADD `last_modified` text;--> statement-breakpoint
ALTER TABLE `external_calendars` ADD `fetched_at` text;--> statement-breakpoint
CREATE INDEX `auth_sessions_expires` ON `auth_sessions` (`expires_at`);--> statement-breakpoint
CREATE INDEX `checkout_sessions_status` ON `checkout_sessions` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `idempotency_keys_created` ON `idempotency_keys` (`created_at`);--> statement-breakpoint
CREATE INDEX `login_failures_at` ON `login_failures` (`at`);--> statement-breakpoint
CREATE INDEX `notifications_created` ON `notifications` (`created_at`);--> statement-breakpoint
-- Addresses stored before encryption are plain https URLs: their host is shown from now on. The sealing job
-- (worker/features/calendarSync/sealing.ts) encrypts the addresses themselves, which SQL cannot do.
UPDATE `external_calendars` SET `host` = CASE WHEN instr(substr(`url`, 9), '/') > 0 THEN substr(`url`, 9, instr(substr(`url`, 9), '/') - 1) ELSE substr(`url`, 9) END WHERE `url` LIKE 'https://%';
