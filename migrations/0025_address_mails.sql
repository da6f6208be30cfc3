-- Emails sent to an address on an account's word (confirmation links, "you already have an account"), counted per
-- address for an hour across all accounts: at most 3 an hour reach an inbox nobody there asked for.
CREATE TABLE `address_mails` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`address_hash` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `address_mails_address_at` ON `address_mails` (`address_hash`,`at`);--> statement-breakpoint
CREATE INDEX `address_mails_at` ON `address_mails` (`at`);