CREATE TABLE `subscription_pauses` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`subscription_id` text NOT NULL,
	`period_start` text NOT NULL,
	`weeks` integer NOT NULL,
	`starts_at` text NOT NULL,
	`ends_at` text NOT NULL,
	`renewal_before` text NOT NULL,
	`shift_ms` integer NOT NULL,
	`status` text NOT NULL,
	`ended_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscription_pauses_once` ON `subscription_pauses` (`subscription_id`,`period_start`);--> statement-breakpoint
CREATE INDEX `subscription_pauses_user` ON `subscription_pauses` (`user_id`,`created_at`);