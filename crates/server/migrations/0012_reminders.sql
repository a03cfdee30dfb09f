-- Reminders before a deadline (the code 95 expiry of a driver's card), one row each: a reminder
-- is sent once, whichever instance's round meets it first. `subject` names the deadline
-- (`code95:<driver id>:<expiry>`): a later expiry, after a training, has reminders of its own.
CREATE TABLE reminders_sent (
    subject TEXT NOT NULL,
    months_before BIGINT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (subject, months_before)
);
