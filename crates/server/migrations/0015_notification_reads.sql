-- When the account read its notifications (Unix milliseconds; NULL while unread): the app's
-- menu counts the unread ones, on whichever computer the account opens.
ALTER TABLE notifications ADD COLUMN read_at BIGINT;
