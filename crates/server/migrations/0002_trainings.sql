-- Training centres and their staff, the offline sync (devices, applied mutations, change
-- versions), trainings, training recaps, qualification certificates, email attachments.

CREATE TABLE centres (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    approval_number TEXT NOT NULL UNIQUE,
    address TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Set for centre staff only.
ALTER TABLE accounts ADD COLUMN centre_id TEXT REFERENCES centres (id);

-- One counter orders every change that pull returns: taking the next value locks the row until
-- commit, so versions become visible in order and no cursor skips a change.
CREATE TABLE change_counter (
    id BIGINT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO change_counter (id, value) VALUES (1, 0);

-- A device that pushes changes, and the last mutation number applied for it.
CREATE TABLE sync_clients (
    client_id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL REFERENCES centres (id),
    last_seq BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The answer given to each applied mutation, so that a resent push gets the same answer.
CREATE TABLE mutation_results (
    client_id TEXT NOT NULL REFERENCES sync_clients (client_id),
    seq BIGINT NOT NULL,
    mutation_id TEXT NOT NULL,
    outcome_json TEXT NOT NULL,
    PRIMARY KEY (client_id, seq)
);

CREATE TABLE trainings (
    id TEXT PRIMARY KEY,
    centre_id TEXT NOT NULL REFERENCES centres (id),
    accepted BIGINT NOT NULL,
    record_json TEXT NOT NULL,
    outcome_json TEXT NOT NULL,
    licence_number TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    driver_id TEXT REFERENCES accounts (id),
    recorded_by TEXT NOT NULL REFERENCES accounts (id),
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX trainings_centre_version ON trainings (centre_id, version);
CREATE INDEX trainings_licence ON trainings (licence_number, driver_id);

CREATE TABLE recaps (
    training_id TEXT PRIMARY KEY REFERENCES trainings (id),
    driver_id TEXT NOT NULL REFERENCES accounts (id),
    body_json TEXT NOT NULL,
    available_until TEXT,
    version BIGINT NOT NULL
);
CREATE INDEX recaps_driver_version ON recaps (driver_id, version);

CREATE TABLE certificates (
    id TEXT PRIMARY KEY,
    training_id TEXT NOT NULL UNIQUE REFERENCES trainings (id),
    driver_id TEXT NOT NULL REFERENCES accounts (id),
    qualification TEXT NOT NULL,
    card_expiry TEXT NOT NULL,
    body_json TEXT NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX certificates_driver_version ON certificates (driver_id, version);

ALTER TABLE outgoing_emails ADD COLUMN attachment_name TEXT;
ALTER TABLE outgoing_emails ADD COLUMN attachment_base64 TEXT;
