-- Whether a cancelled seat's credit goes back to the student: the books count a seat cancelled too late to get it
-- back as revenue once its session is cancelled or over. Rows projected before this read as unknown (null).
ALTER TABLE `booking_participants` ADD `refunded` integer;
