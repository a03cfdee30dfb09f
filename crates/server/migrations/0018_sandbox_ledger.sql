-- The sandbox card processor's ledger, in the service's database rather than in one process's
-- memory: a real processor is one service that every instance of ours talks to, so a 3-D Secure
-- code confirmed through another instance than the one that started the charge, or an attempt
-- looked up after a restart, must find the same answer. Used only while payments go to the
-- sandbox; stays empty with a real processor.
CREATE TABLE sandbox_ledger (
    idempotency_key TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    amount_cents BIGINT NOT NULL,
    -- approved | challenge | declined
    answer TEXT NOT NULL,
    decline_reason TEXT,
    -- The money was really taken (an approval, or a challenge answered with the right code).
    charged BIGINT NOT NULL DEFAULT 0
);
