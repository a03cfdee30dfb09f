-- Whether every training this device pushed is here as the server's answer left it: its pulls
-- then ask the server to leave them out. Logging out forgets what was pulled (and so the pushed
-- lines already sent); the next pull from zero brings everything back and sets it again.
ALTER TABLE sync_state ADD COLUMN holds_own_pushes INTEGER NOT NULL DEFAULT 1;
-- A device at cursor 0 has forgotten what it pulled (a logout) or never pulled: it asks for
-- everything once.
UPDATE sync_state SET holds_own_pushes = 0 WHERE cursor = 0;
