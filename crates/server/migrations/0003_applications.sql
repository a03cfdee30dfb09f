-- The card application (guide steps 05–07 and 12): the application with its correction overlay,
-- its documents (stored in the object store, parts of unfinished uploads kept here), the cards
-- and the SMS outbox. The timeline of an application or a card is its rows in audit_log.

CREATE TABLE applications (
    id TEXT PRIMARY KEY,
    driver_id TEXT NOT NULL REFERENCES accounts (id),
    status TEXT NOT NULL,
    -- JSON list of the items to correct while a correction request is open, else NULL.
    correction_json TEXT,
    delivery_address_json TEXT,
    qualifications_json TEXT NOT NULL,
    card_expiry TEXT NOT NULL,
    refusal_reason TEXT,
    created_at BIGINT NOT NULL,
    submitted_at BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX applications_driver ON applications (driver_id);
CREATE INDEX applications_status ON applications (status, submitted_at);

CREATE TABLE application_documents (
    application_id TEXT NOT NULL REFERENCES applications (id),
    kind TEXT NOT NULL,
    object_key TEXT NOT NULL,
    format TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    -- Replaced since the open correction request was made.
    replaced_for_correction BIGINT NOT NULL DEFAULT 0,
    uploaded_at BIGINT NOT NULL,
    PRIMARY KEY (application_id, kind)
);

-- Chunks of an upload in progress, in order; a cut upload resumes after the last one.
CREATE TABLE upload_parts (
    application_id TEXT NOT NULL REFERENCES applications (id),
    kind TEXT NOT NULL,
    start_offset BIGINT NOT NULL,
    -- Base64: the one column type SQLite and PostgreSQL share for bytes.
    bytes_base64 TEXT NOT NULL,
    PRIMARY KEY (application_id, kind, start_offset)
);

-- Card numbers: one serial per year of issue, taken under the row's lock.
CREATE TABLE card_serials (
    year BIGINT PRIMARY KEY,
    last_serial BIGINT NOT NULL
);

CREATE TABLE cards (
    id TEXT PRIMARY KEY,
    card_number TEXT NOT NULL UNIQUE,
    driver_id TEXT NOT NULL REFERENCES accounts (id),
    application_id TEXT NOT NULL UNIQUE REFERENCES applications (id),
    status TEXT NOT NULL,
    face_json TEXT NOT NULL,
    photo_key TEXT NOT NULL,
    code95_expiry TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX cards_driver ON cards (driver_id);
CREATE INDEX cards_status ON cards (status);

CREATE TABLE outgoing_sms (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    phone TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);

-- What a notification's « en savoir plus » opens, e.g. `application:<id>`.
ALTER TABLE notifications ADD COLUMN target TEXT;

-- Entries written in the same millisecond keep the order they were written in.
ALTER TABLE audit_log ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX audit_log_seq ON audit_log (seq);
