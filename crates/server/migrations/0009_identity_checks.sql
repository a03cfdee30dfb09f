-- A training whose trainee has the licence number and birth date of an account but clearly
-- other names waits for an agent's check instead of attaching: 'pending', then NULL once the
-- agent confirms (it attaches) or 'refused' (the centre is told to check the licence number).
ALTER TABLE trainings ADD COLUMN identity_check TEXT;
CREATE INDEX trainings_identity_check ON trainings (identity_check);
