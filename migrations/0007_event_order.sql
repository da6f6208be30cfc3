ALTER TABLE `subscriptions` ADD `status_event_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `subscriptions` SET `status_event_at` = `last_event_at`;
