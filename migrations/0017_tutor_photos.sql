ALTER TABLE `tutor_profiles` ADD `photo_version` integer;--> statement-breakpoint
ALTER TABLE `tutor_profiles` ADD `intro_video_url` text;