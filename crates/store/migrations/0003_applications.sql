-- The card application as filled on this machine: each document kept here the moment it is
-- chosen, captured or drawn (already checked and re-encoded), until the server holds it; and the
-- applications and cards last read from the server, for offline reading.

CREATE TABLE application_files (
    application_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    bytes BLOB NOT NULL,
    format TEXT NOT NULL,
    uploaded INTEGER NOT NULL DEFAULT 0,
    saved_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (application_id, kind)
);

CREATE TABLE server_copies (
    name TEXT PRIMARY KEY,
    json TEXT NOT NULL
);
