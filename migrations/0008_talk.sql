CREATE TABLE `conversation_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`reporter_id` text NOT NULL,
	`reported_user_id` text NOT NULL,
	`reason` text NOT NULL,
	`details` text,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` text NOT NULL,
	`resolved_at` text,
	`resolved_by` text,
	`resolution_note` text,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `conversation_reports_status` ON `conversation_reports` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `conversation_reports_conversation` ON `conversation_reports` (`conversation_id`);--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`student_id` text NOT NULL,
	`tutor_id` text NOT NULL,
	`started_by` text NOT NULL,
	`created_at` text NOT NULL,
	`last_message_at` text,
	`last_message_preview` text,
	`last_sender_id` text,
	`student_unread` integer DEFAULT 0 NOT NULL,
	`tutor_unread` integer DEFAULT 0 NOT NULL,
	`student_blocked` integer DEFAULT false NOT NULL,
	`tutor_blocked` integer DEFAULT false NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`student_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tutor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversations_pair` ON `conversations` (`student_id`,`tutor_id`);--> statement-breakpoint
CREATE INDEX `conversations_tutor` ON `conversations` (`tutor_id`,`last_message_at`);--> statement-breakpoint
CREATE INDEX `conversations_student` ON `conversations` (`student_id`,`last_message_at`);--> statement-breakpoint
CREATE TABLE `notification_settings` (
	`user_id` text PRIMARY KEY NOT NULL,
	`push_reminders` integer DEFAULT true NOT NULL,
	`push_cancellations` integer DEFAULT true NOT NULL,
	`push_offers` integer DEFAULT true NOT NULL,
	`push_messages` integer DEFAULT true NOT NULL,
	`email_reminders` integer DEFAULT true NOT NULL,
	`email_cancellations` integer DEFAULT true NOT NULL,
	`email_offers` integer DEFAULT true NOT NULL,
	`email_messages` integer DEFAULT true NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `push_subscriptions` (
	`endpoint` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`p256dh` text NOT NULL,
	`auth` text NOT NULL,
	`created_at` text NOT NULL,
	`last_success_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `push_subscriptions_user` ON `push_subscriptions` (`user_id`,`created_at`);