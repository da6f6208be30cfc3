-- A cancelled seat given up while its session went on (a student left a group) vs one cancelled with its session: a
-- cancelled group names only the students it had then. Rows projected before this read as held until the cancel.
ALTER TABLE `booking_participants` ADD `left_early` integer DEFAULT false NOT NULL;
