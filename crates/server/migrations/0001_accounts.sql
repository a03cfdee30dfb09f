-- Accounts, their analysis, emailed links, sessions, notifications, outgoing emails, audit.
-- Written in the SQL that SQLite and PostgreSQL share: the same file migrates both.
-- Times are Unix milliseconds (BIGINT); ids are UUIDs made by the server (TEXT); flags are
-- BIGINT 0/1 (sqlx's Any driver reads no SQLite BOOLEAN).

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    licence_number TEXT UNIQUE,
    display_name TEXT NOT NULL,
    registration_json TEXT,
    password_hash TEXT,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    submitted_at BIGINT NOT NULL,
    resubmitted BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX accounts_status_submitted ON accounts (status, submitted_at);

CREATE TABLE review_items (
    account_id TEXT NOT NULL REFERENCES accounts (id),
    field TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (account_id, field)
);

CREATE TABLE links (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    purpose TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX links_account ON links (account_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX notifications_account ON notifications (account_id, created_at);

CREATE TABLE outgoing_emails (
    id TEXT PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outgoing_emails_unsent ON outgoing_emails (sent_at, created_at);

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    actor_id TEXT,
    action TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    detail TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject_id, at);
