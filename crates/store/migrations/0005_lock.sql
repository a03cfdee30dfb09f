-- The lock after inactivity, per account: a verifier of the password typed at login (Argon2id,
-- inside the account's encrypted file) so that the lock opens offline too, the driver's choice,
-- whether the app is locked now (a restart does not open it) and the wrong passwords in a row.
CREATE TABLE inactivity_lock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    password_verifier TEXT,
    chosen_minutes INTEGER,
    locked INTEGER NOT NULL DEFAULT 0,
    failed_attempts INTEGER NOT NULL DEFAULT 0
);
INSERT INTO inactivity_lock (id) VALUES (1);
