-- An email that carries someone's words (a message digest) names them, so the drain drops it unsent when that account
-- was suspended or deleted while it waited. Rows queued before this name nobody and go as before.
ALTER TABLE `email_outbox` ADD `from_user_id` text;
