-- Which device pushed a training, and at which version: a centre's device pulls back what
-- changed since its cursor, and the trainings it pushed itself, unchanged since (the same
-- version), are lines it already holds as the server does. Lines pushed before this migration
-- have neither and are sent as before.
ALTER TABLE trainings ADD COLUMN pushed_by_device TEXT;
ALTER TABLE trainings ADD COLUMN pushed_version BIGINT;
