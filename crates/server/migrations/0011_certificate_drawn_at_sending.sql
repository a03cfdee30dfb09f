-- The certificate's PDF goes with its email, drawn when the email is sent rather than inside the
-- push that issued it (the drawing would hold the one writer for several milliseconds a
-- training): the email names its certificate, and `attachment_base64` stays empty.
ALTER TABLE outgoing_emails ADD COLUMN certificate_id TEXT;
