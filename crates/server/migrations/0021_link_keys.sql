-- The tokens of emailed links are no longer stored anywhere (issue 29, N1): a link keeps its
-- key, from which the service's link secret derives the token, and an email keeps the key of
-- the link it carries, its token put in the body only when the email is handed to the
-- transport. Links and emails made before keep NULL (their tokens are taken out of the stored
-- emails by the repair `link-tokens-out-of-stored-emails`).
ALTER TABLE links ADD COLUMN link_key TEXT;
ALTER TABLE outgoing_emails ADD COLUMN link_key TEXT;
