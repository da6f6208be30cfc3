CREATE TABLE `credit_disputes` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`charge_id` text,
	`purchase_ref` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`currency` text DEFAULT 'usd' NOT NULL,
	`reason` text,
	`status` text NOT NULL,
	`frozen_minutes` integer DEFAULT 0 NOT NULL,
	`clawed_back_minutes` integer DEFAULT 0 NOT NULL,
	`opened_at` text NOT NULL,
	`closed_at` text,
	`last_event_at` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `credit_disputes_opened` ON `credit_disputes` (`opened_at`);--> statement-breakpoint
CREATE INDEX `credit_disputes_user` ON `credit_disputes` (`user_id`);--> statement-breakpoint
DROP INDEX `credit_ledger_once_per_reservation_lot`;--> statement-breakpoint
DROP INDEX `credit_ledger_expire_once`;--> statement-breakpoint
DROP INDEX `credit_ledger_source_once`;--> statement-breakpoint
ALTER TABLE `credit_ledger` ADD `paid_cents` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `credit_ledger` ADD `funding` text;--> statement-breakpoint
ALTER TABLE `credit_ledger` ADD `purchase_ref` text;--> statement-breakpoint
ALTER TABLE `credit_ledger` ADD `seq` integer;--> statement-breakpoint
CREATE INDEX `credit_ledger_purchase` ON `credit_ledger` (`purchase_ref`);--> statement-breakpoint
CREATE INDEX `credit_ledger_reservation` ON `credit_ledger` (`reservation_id`);--> statement-breakpoint
CREATE INDEX `credit_ledger_expiry` ON `credit_ledger` (`expires_at`);--> statement-breakpoint
CREATE INDEX `credit_ledger_legacy` ON `credit_ledger` (`user_id`) WHERE seq IS NULL;