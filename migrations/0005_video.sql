CREATE TABLE `session_attendance` (
	`id` text PRIMARY KEY NOT NULL,
	`booking_id` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`kind` text NOT NULL,
	`connection_id` text NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `session_attendance_booking` ON `session_attendance` (`booking_id`,`at`);--> statement-breakpoint
CREATE INDEX `session_attendance_user` ON `session_attendance` (`user_id`,`at`);