CREATE TABLE `books_cursors` (
	`source` text PRIMARY KEY NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`holder` text,
	`updated_at` text NOT NULL,
	`last_error` text
);
--> statement-breakpoint
CREATE TABLE `journal_lines` (
	`tx_id` text NOT NULL,
	`line` integer NOT NULL,
	`kind` text NOT NULL,
	`at` text NOT NULL,
	`account` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`memo` text NOT NULL,
	`ref` text,
	`student_id` text,
	`tutor_id` text,
	`booking_id` text,
	`reservation_id` text,
	`posted_at` text NOT NULL,
	PRIMARY KEY(`tx_id`, `line`)
);
--> statement-breakpoint
CREATE INDEX `journal_lines_account_at` ON `journal_lines` (`account`,`at`);--> statement-breakpoint
CREATE INDEX `journal_lines_at` ON `journal_lines` (`at`);--> statement-breakpoint
CREATE INDEX `journal_lines_ref` ON `journal_lines` (`ref`,`account`);--> statement-breakpoint
CREATE INDEX `journal_lines_reservation` ON `journal_lines` (`reservation_id`,`account`);--> statement-breakpoint
CREATE INDEX `journal_lines_booking` ON `journal_lines` (`booking_id`);--> statement-breakpoint
CREATE TABLE `journal_sources` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`lines` integer NOT NULL,
	`posted_at` text NOT NULL
);
