-- The last day of a certificate's window (the day before which the driver must apply for the
-- card), as a column the reminders can search: it was only inside `body_json`. Filled for the
-- certificates already issued by the data repair `certificate-valid-until` (`db::repairs`).
ALTER TABLE certificates ADD COLUMN valid_until TEXT;
CREATE INDEX certificates_valid_until ON certificates (valid_until);
