-- Weeks of a series in the listings: which series, and when an unpaid week's credits are taken. Written by the tutor's
-- calendar with every projection of the session; rows projected before this fill in on their next projection.
ALTER TABLE `booking_participants` ADD `series_id` text;--> statement-breakpoint
ALTER TABLE `booking_participants` ADD `payment_due_at` text;