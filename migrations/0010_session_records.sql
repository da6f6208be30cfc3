CREATE TABLE `session_records` (
	`booking_id` text PRIMARY KEY NOT NULL,
	`tutor_id` text NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`notes_format` text DEFAULT 'plain' NOT NULL,
	`summary` text,
	`homework` text,
	`summary_at` text,
	`board_pages` integer DEFAULT 0 NOT NULL,
	`board_items` integer DEFAULT 0 NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `session_records_tutor` ON `session_records` (`tutor_id`);