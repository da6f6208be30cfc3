CREATE TABLE `reliability_events` (
	`tutor_id` text NOT NULL,
	`booking_id` text NOT NULL,
	`kind` text NOT NULL,
	`weight` integer NOT NULL,
	`at` text NOT NULL,
	`detail` text,
	PRIMARY KEY(`tutor_id`, `booking_id`, `kind`)
);
--> statement-breakpoint
CREATE INDEX `reliability_events_tutor_at` ON `reliability_events` (`tutor_id`,`at`);--> statement-breakpoint
CREATE TABLE `reviews` (
	`booking_id` text NOT NULL,
	`student_id` text NOT NULL,
	`tutor_id` text NOT NULL,
	`rating` integer NOT NULL,
	`comment` text,
	`created_at` text NOT NULL,
	PRIMARY KEY(`booking_id`, `student_id`)
);
--> statement-breakpoint
CREATE INDEX `reviews_tutor` ON `reviews` (`tutor_id`,`created_at`);