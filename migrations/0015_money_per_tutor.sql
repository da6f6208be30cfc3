CREATE TABLE `card_fingerprints` (
	`user_id` text NOT NULL,
	`fingerprint` text NOT NULL,
	`seen_at` text NOT NULL,
	PRIMARY KEY(`user_id`, `fingerprint`)
);
--> statement-breakpoint
CREATE INDEX `card_fingerprints_fingerprint` ON `card_fingerprints` (`fingerprint`);--> statement-breakpoint
CREATE TABLE `feed_renders` (
	`user_id` text PRIMARY KEY NOT NULL,
	`etag` text NOT NULL,
	`origin` text NOT NULL,
	`gzip` blob NOT NULL,
	`rendered_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `bookings` ADD `tutor_earning_cents` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `bookings` ADD `outcome` text;--> statement-breakpoint
ALTER TABLE `bookings` ADD `taught_minutes` integer;--> statement-breakpoint
ALTER TABLE `earnings` ADD `status` text DEFAULT 'accrued' NOT NULL;--> statement-breakpoint
ALTER TABLE `earnings` ADD `hold_reason` text;--> statement-breakpoint
ALTER TABLE `earnings` ADD `reviewed_by` text;--> statement-breakpoint
ALTER TABLE `earnings` ADD `reviewed_at` text;--> statement-breakpoint
ALTER TABLE `earnings` ADD `fixed_cents` integer;--> statement-breakpoint
ALTER TABLE `earnings` ADD `outcome` text;--> statement-breakpoint
CREATE INDEX `earnings_status` ON `earnings` (`status`);--> statement-breakpoint
CREATE INDEX `earnings_reviewed` ON `earnings` (`reviewed_at`) WHERE reviewed_at IS NOT NULL;