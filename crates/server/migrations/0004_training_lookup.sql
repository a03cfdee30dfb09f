-- Spotting a training recorded twice looks up the centre's trainings of one licence number:
-- with only (centre_id, version) and (licence_number, driver_id) to choose from, SQLite could
-- walk all of the centre's trainings for each one pushed.
CREATE INDEX trainings_centre_licence ON trainings (centre_id, licence_number);
