-- Guards against abuse (issue 10).
--
-- login_guards: the failed-login series of an email (known or not: the answers must not tell),
-- keyed by the SHA-256 of the email as typed and normalised, so that no unknown person's
-- address is kept. Counted with one atomic upsert before any password is checked.
-- The per-account columns it replaces only held locks of at most 15 minutes: dropping them
-- loses nothing a user needs.
CREATE TABLE login_guards (
    id TEXT PRIMARY KEY,
    attempts BIGINT NOT NULL,
    locked_until BIGINT,
    updated_at BIGINT NOT NULL
);
ALTER TABLE accounts DROP COLUMN failed_logins;
ALTER TABLE accounts DROP COLUMN locked_until;

-- rate_limits: hits per key (action and hashed client address or account) in fixed windows,
-- in the shared database so that the limits hold across server instances.
CREATE TABLE rate_limits (
    id TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    hits BIGINT NOT NULL
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);
