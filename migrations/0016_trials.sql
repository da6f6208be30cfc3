ALTER TABLE `bookings` ADD `trial` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `tutor_profiles` ADD `offers_trials` integer DEFAULT false NOT NULL;