-- The guide's special cases 01–03: replacement requests, card payments, invoices, and cards
-- sent again after a returned mail.

-- A replacement card is made from the same application as the card it replaces, so an
-- application may now have several cards; a card also remembers the address it was last sent
-- to and a new one waiting for its re-shipping fee. SQLite cannot drop a constraint: the table
-- is copied, every row kept.
CREATE TABLE cards_v5 (
    id TEXT PRIMARY KEY,
    card_number TEXT NOT NULL UNIQUE,
    driver_id TEXT NOT NULL REFERENCES accounts (id),
    application_id TEXT NOT NULL REFERENCES applications (id),
    replaces_card_id TEXT,
    status TEXT NOT NULL,
    face_json TEXT NOT NULL,
    photo_key TEXT NOT NULL,
    delivery_address_json TEXT,
    pending_address_json TEXT,
    code95_expiry TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
INSERT INTO cards_v5 (id, card_number, driver_id, application_id, status, face_json, photo_key, delivery_address_json,
                      code95_expiry, issued_on, created_at, updated_at)
    SELECT c.id, c.card_number, c.driver_id, c.application_id, c.status, c.face_json, c.photo_key,
           a.delivery_address_json, c.code95_expiry, c.issued_on, c.created_at, c.updated_at
    FROM cards c JOIN applications a ON a.id = c.application_id;
DROP TABLE cards;
ALTER TABLE cards_v5 RENAME TO cards;
CREATE INDEX cards_driver ON cards (driver_id);
CREATE INDEX cards_status ON cards (status);
CREATE INDEX cards_application ON cards (application_id);

CREATE TABLE replacements (
    id TEXT PRIMARY KEY,
    driver_id TEXT NOT NULL REFERENCES accounts (id),
    card_id TEXT NOT NULL REFERENCES cards (id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    declaration_json TEXT NOT NULL,
    delivery_address_json TEXT,
    billing_address_json TEXT,
    -- The theft declaration in the document store.
    theft_declaration_key TEXT,
    fault TEXT,
    analysis_note TEXT,
    driver_fix TEXT,
    new_card_id TEXT,
    created_at BIGINT NOT NULL,
    submitted_at BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX replacements_driver ON replacements (driver_id);
CREATE INDEX replacements_card ON replacements (card_id);
CREATE INDEX replacements_status ON replacements (status);

-- The fees: a configuration table (amounts before tax in cents, VAT in basis points).
CREATE TABLE billing_settings (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO billing_settings (name, value) VALUES
    ('replacement_card', 2500),
    ('quality_replacement_card', 2500),
    ('reshipping', 600),
    ('vat_basis_points', 2000);

-- One row per attempt; never a card number, only its last four digits.
CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    driver_id TEXT NOT NULL REFERENCES accounts (id),
    -- Sent by the app with each attempt: a repeated request finds its attempt instead of
    -- charging again.
    idempotency_key TEXT NOT NULL UNIQUE,
    -- `replacement:<id>` or `reshipping:<card id>`.
    purpose TEXT NOT NULL,
    -- 1 for the first attempt of a purpose, then 2, 3…: the latest is the one to show.
    attempt BIGINT NOT NULL,
    item TEXT NOT NULL,
    net_cents BIGINT NOT NULL,
    vat_cents BIGINT NOT NULL,
    gross_cents BIGINT NOT NULL,
    -- pending, challenge, confirming, approved, declined, timed_out.
    status TEXT NOT NULL,
    decline_reason TEXT,
    provider_reference TEXT,
    card_last_four TEXT NOT NULL,
    billing_address_json TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- At most one attempt alive or paid per purpose: two clicks with two keys cannot both charge.
CREATE UNIQUE INDEX payments_one_live_per_purpose ON payments (purpose)
    WHERE status IN ('pending', 'challenge', 'confirming', 'approved');
CREATE INDEX payments_driver ON payments (driver_id, created_at);

-- Invoice numbers: one sequence per year, taken under the row's lock in the transaction that
-- records the payment, so a rolled-back payment leaves no gap.
CREATE TABLE invoice_counters (
    year BIGINT PRIMARY KEY,
    last_sequence BIGINT NOT NULL
);

CREATE TABLE invoices (
    number TEXT PRIMARY KEY,
    year BIGINT NOT NULL,
    sequence BIGINT NOT NULL,
    payment_id TEXT NOT NULL UNIQUE REFERENCES payments (id),
    driver_id TEXT NOT NULL REFERENCES accounts (id),
    invoice_json TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    UNIQUE (year, sequence)
);
CREATE INDEX invoices_driver ON invoices (driver_id, issued_at);
