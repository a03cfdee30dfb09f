-- Data repairs that need the domain's rules (written in Rust, `db::repairs`), each run once by
-- the first instance that starts after it lands: the row is claimed before the repair runs.
CREATE TABLE data_repairs (
    name TEXT PRIMARY KEY,
    done_at BIGINT NOT NULL
);
