-- The signed-in user (one at a time on a machine), and the forms being filled.
CREATE TABLE session (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    token TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    profile_json TEXT NOT NULL
);

-- A half-filled form survives a crash, a restart or a lost network.
CREATE TABLE drafts (
    form TEXT PRIMARY KEY,
    json TEXT NOT NULL,
    saved_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- The last notifications read from the server, shown when it cannot be reached.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    json TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Registrations sent from this machine, to tell the user where their request stands.
CREATE TABLE sent_registrations (
    request_id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    sent_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
