-- Open reports filed twice by one reporter before this index (concurrent posts) would block it: the later ones are closed as duplicates of the earliest.
UPDATE `conversation_reports` SET `status` = 'dismissed', `resolved_at` = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), `resolution_note` = 'Duplicate of an earlier open report by the same reporter.'
WHERE `status` = 'open' AND EXISTS (
  SELECT 1 FROM `conversation_reports` AS `earlier`
  WHERE `earlier`.`conversation_id` = `conversation_reports`.`conversation_id` AND `earlier`.`reporter_id` = `conversation_reports`.`reporter_id` AND `earlier`.`status` = 'open'
    AND (`earlier`.`created_at` < `conversation_reports`.`created_at` OR (`earlier`.`created_at` = `conversation_reports`.`created_at` AND `earlier`.`id` < `conversation_reports`.`id`))
);--> statement-breakpoint
CREATE UNIQUE INDEX `conversation_reports_open_per_reporter` ON `conversation_reports` (`conversation_id`,`reporter_id`) WHERE status = 'open';
