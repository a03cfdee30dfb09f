-- Each answer of a push and each pulled training asks whether the outbox still holds a change
-- of that training: without this index, a scan of the whole outbox (10,000 offline trainings
-- made a push 40 times slower).
CREATE INDEX outbox_training ON outbox (training_id);
