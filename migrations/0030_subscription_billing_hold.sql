-- A suspended student's plan stops billing (Stripe's pause_collection): when that hold was asked, null when none.
ALTER TABLE `subscriptions` ADD `billing_held_at` text;
