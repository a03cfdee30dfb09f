-- The offline sync: this device's id and cursor, the outbox of changes not yet applied by the
-- server, and the records pulled from it (a centre's trainings, a driver's recaps and
-- certificates), with the keys that verify certificates offline.

CREATE TABLE sync_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    client_id TEXT NOT NULL,
    cursor INTEGER NOT NULL DEFAULT 0,
    next_seq INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    training_id TEXT NOT NULL,
    change_json TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- state: pending (in the outbox), accepted, rejected (with reason_json).
CREATE TABLE trainings (
    training_id TEXT PRIMARY KEY,
    record_json TEXT NOT NULL,
    state TEXT NOT NULL,
    reason_json TEXT,
    matched INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE recaps (
    training_id TEXT PRIMARY KEY,
    json TEXT NOT NULL
);

CREATE TABLE certificates (
    id TEXT PRIMARY KEY,
    json TEXT NOT NULL
);

CREATE TABLE certificate_keys (
    key TEXT PRIMARY KEY
);
