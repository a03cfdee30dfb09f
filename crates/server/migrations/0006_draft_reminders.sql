-- Drafts left alone are reminded, then purged: when the reminder was sent.
ALTER TABLE applications ADD COLUMN reminded_at BIGINT;
ALTER TABLE replacements ADD COLUMN reminded_at BIGINT;
