CREATE TABLE `calendar_feeds` (
	`user_id` text PRIMARY KEY NOT NULL,
	`nonce` text NOT NULL,
	`rotated_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `calendly_links` (
	`tutor_id` text PRIMARY KEY NOT NULL,
	`user_uri` text NOT NULL,
	`linked_at` text NOT NULL,
	FOREIGN KEY (`tutor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendly_links_user_uri` ON `calendly_links` (`user_uri`);--> statement-breakpoint
CREATE TABLE `external_calendars` (
	`id` text PRIMARY KEY NOT NULL,
	`tutor_id` text NOT NULL,
	`label` text NOT NULL,
	`url` text NOT NULL,
	`created_at` text NOT NULL,
	`last_sync_at` text,
	`last_success_at` text,
	`last_error` text,
	`event_count` integer DEFAULT 0 NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`tutor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `external_calendars_tutor` ON `external_calendars` (`tutor_id`);--> statement-breakpoint
CREATE INDEX `external_calendars_due` ON `external_calendars` (`last_sync_at`);