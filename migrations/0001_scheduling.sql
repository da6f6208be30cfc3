CREATE TABLE `booking_participants` (
	`booking_id` text NOT NULL,
	`student_id` text NOT NULL,
	`reservation_id` text NOT NULL,
	`status` text NOT NULL,
	`credits_minutes` integer NOT NULL,
	PRIMARY KEY(`booking_id`, `student_id`)
);
--> statement-breakpoint
CREATE INDEX `booking_participants_student` ON `booking_participants` (`student_id`,`booking_id`);--> statement-breakpoint
CREATE TABLE `bookings` (
	`id` text PRIMARY KEY NOT NULL,
	`tutor_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`source` text DEFAULT 'app' NOT NULL,
	`subject` text NOT NULL,
	`start_at` text NOT NULL,
	`end_at` text NOT NULL,
	`seats` integer DEFAULT 1 NOT NULL,
	`credits_minutes` integer NOT NULL,
	`sequence` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`cancelled_at` text,
	`cancelled_by` text,
	`cancel_reason` text
);
--> statement-breakpoint
CREATE INDEX `bookings_tutor_start` ON `bookings` (`tutor_id`,`start_at`);--> statement-breakpoint
CREATE INDEX `bookings_status_start` ON `bookings` (`status`,`start_at`);--> statement-breakpoint
CREATE TABLE `credit_ledger` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`minutes` integer NOT NULL,
	`lot_id` text,
	`expires_at` text,
	`reservation_id` text,
	`source_ref` text,
	`reason` text,
	`actor_id` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `credit_ledger_user` ON `credit_ledger` (`user_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `credit_ledger_once_per_reservation_lot` ON `credit_ledger` (`kind`,`reservation_id`,`lot_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `credit_ledger_expire_once` ON `credit_ledger` (`lot_id`) WHERE kind = 'expire';--> statement-breakpoint
CREATE UNIQUE INDEX `credit_ledger_source_once` ON `credit_ledger` (`kind`,`source_ref`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`user_id` text NOT NULL,
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`status` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`user_id`, `scope`, `key`)
);
--> statement-breakpoint
CREATE TABLE `tutor_weekly_windows` (
	`tutor_id` text NOT NULL,
	`start_minute` integer NOT NULL,
	`end_minute` integer NOT NULL,
	FOREIGN KEY (`tutor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tutor_weekly_windows_range` ON `tutor_weekly_windows` (`start_minute`,`end_minute`,`tutor_id`);--> statement-breakpoint
CREATE INDEX `tutor_weekly_windows_tutor` ON `tutor_weekly_windows` (`tutor_id`);