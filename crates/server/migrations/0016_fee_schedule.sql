-- Fees with a start date (« Tarifs »): each table applies from its first day (a French civil
-- day, ISO), and a payment costs what was in force on the day its request began. The one table
-- of `billing_settings` becomes the first, in force since always, with its values kept.
CREATE TABLE fee_schedule (
    starts_on TEXT PRIMARY KEY,
    replacement_card BIGINT NOT NULL,
    quality_replacement_card BIGINT NOT NULL,
    reshipping BIGINT NOT NULL,
    vat_basis_points BIGINT NOT NULL,
    -- The administrator who scheduled it; NULL for the first table.
    scheduled_by TEXT REFERENCES accounts (id),
    created_at BIGINT NOT NULL
);
INSERT INTO fee_schedule
    (starts_on, replacement_card, quality_replacement_card, reshipping, vat_basis_points, created_at)
SELECT '2000-01-01',
    COALESCE((SELECT value FROM billing_settings WHERE name = 'replacement_card'), 2500),
    COALESCE((SELECT value FROM billing_settings WHERE name = 'quality_replacement_card'), 2500),
    COALESCE((SELECT value FROM billing_settings WHERE name = 'reshipping'), 600),
    COALESCE((SELECT value FROM billing_settings WHERE name = 'vat_basis_points'), 2000),
    0;

-- The VAT rate a payment was priced at, printed on its invoice whatever the rate is later.
ALTER TABLE payments ADD COLUMN vat_basis_points BIGINT NOT NULL DEFAULT 2000;
UPDATE payments SET vat_basis_points = (SELECT vat_basis_points FROM fee_schedule WHERE starts_on = '2000-01-01');

DROP TABLE billing_settings;
