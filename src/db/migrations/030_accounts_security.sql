-- 030: accounts people can keep, and that cannot be turned against them.
-- Pending links (sign-up confirmation, password reset, change of e-mail), known devices for the
-- login throttle, session idle time, API token names and expiry (account/ owns these), and the
-- shared mail outbox (mail/ owns it) for mail that is not an event notification.

-- a link sent by e-mail; only the BLAKE2b hash of its token is kept; single use, expiring
CREATE TABLE account_links (
  token_hash  TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('signup','reset','email')),
  user_id     INTEGER REFERENCES users(id),   -- reset, email: the account; signup: NULL
  email       TEXT NOT NULL,                  -- signup: the address; reset: the account's; email: the new one
  name        TEXT,                           -- signup: the name, password hash and language given
  pw_hash     TEXT,
  lang        TEXT,
  created_at  TEXT NOT NULL,
  expires_at  INTEGER NOT NULL                -- unix seconds
) STRICT;
CREATE INDEX account_links_user ON account_links(user_id, kind);
CREATE INDEX account_links_email ON account_links(email, kind);

-- browsers an account has logged in from (the "device" cookie's hash): never locked out
CREATE TABLE known_devices (
  device_hash TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  created_at  TEXT NOT NULL,
  last_login  INTEGER NOT NULL,               -- unix seconds
  PRIMARY KEY (device_hash, user_id)
) STRICT;
CREATE INDEX known_devices_user ON known_devices(user_id);

-- sessions end after 8 hours without a request (SESSION_IDLE) as well as after 30 days
ALTER TABLE sessions ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;   -- unix seconds
ALTER TABLE sessions ADD COLUMN ip TEXT;                                 -- address it was started from
UPDATE sessions SET last_seen = CAST(strftime('%s','now') AS INTEGER);

-- API tokens: a name, an expiry and when it was last used; tokens made before this migration
-- expire 90 days after it (NULL would mean never; nothing sets it)
ALTER TABLE api_tokens ADD COLUMN name TEXT;
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;                   -- unix seconds
ALTER TABLE api_tokens ADD COLUMN last_used INTEGER;                    -- unix seconds, hourly precision
UPDATE api_tokens SET expires_at = CAST(strftime('%s','now') AS INTEGER) + 90 * 86400 WHERE revoked_at IS NULL;
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- mail to an address rather than about an event: delivered by the SMTP sender (`serve --smtp`);
-- the body (which may hold a link) is emptied once it is sent or has failed
CREATE TABLE mail_outbox (
  id          INTEGER PRIMARY KEY,
  to_addr     TEXT NOT NULL,
  subject     TEXT NOT NULL,
  body        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,               -- unix seconds
  status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','failed')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_try    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT
) STRICT;
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_try);
