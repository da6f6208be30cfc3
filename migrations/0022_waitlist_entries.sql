-- Where each student waits for a group seat (the calendars keep the lines): suspension and deletion take an account out of all of them.
CREATE TABLE `waitlist_entries` (
	`student_id` text NOT NULL,
	`session_id` text NOT NULL,
	`tutor_id` text NOT NULL,
	`joined_at` text NOT NULL,
	PRIMARY KEY(`student_id`, `session_id`)
);
