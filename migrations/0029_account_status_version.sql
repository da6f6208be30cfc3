-- Each status change of an account (suspension, restore, deletion) takes the next number, and the objects it closes or
-- reopens (a student's wallet, a tutor's calendar) ignore a change older than one they applied. Existing accounts
-- start at 0; their data is unchanged.
ALTER TABLE `users` ADD `status_version` integer DEFAULT 0 NOT NULL;
