-- The journal's line numbers come from a counter row, as the sync's versions do: `MAX(seq) + 1`
-- read by two transactions at once on PostgreSQL gave both lines the same number, and a page of
-- the journal (`seq < before`) could then skip one. The row is taken as the unit of work writes
-- its audit lines, just before it commits.
CREATE TABLE audit_counter (
    id BIGINT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO audit_counter (id, value) SELECT 1, COALESCE(MAX(seq), 0) FROM audit_log;

-- « Journal » filtered by action, newest first, a page at a time: read from this index instead
-- of the whole log (a rare action among millions of lines was a full scan).
CREATE INDEX audit_log_action ON audit_log (action, seq);
