-- Several instances share one database: a queued email or text message is claimed by one of
-- them until `claimed_until` (then another may take it over), and a periodic job is run by the
-- instance that holds its lease.
ALTER TABLE outgoing_emails ADD COLUMN claimed_by TEXT;
ALTER TABLE outgoing_emails ADD COLUMN claimed_until BIGINT;
ALTER TABLE outgoing_sms ADD COLUMN claimed_by TEXT;
ALTER TABLE outgoing_sms ADD COLUMN claimed_until BIGINT;
CREATE INDEX outgoing_sms_unsent ON outgoing_sms (sent_at, created_at);

CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    held_until BIGINT NOT NULL
);
