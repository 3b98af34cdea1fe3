-- 070: a member's first hour (issue 12). src/org/claim.c owns both tables.
-- org_claims: a user asks to become the administrator of an organisation that has none. Approved
-- at once when the user's confirmed e-mail domain is the organisation's website domain ('auto'),
-- otherwise a platform moderator approves or refuses it from /admin.
CREATE TABLE org_claims (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES organisations(id),
  user_id     INTEGER NOT NULL REFERENCES users(id),
  message     TEXT,
  status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','refused')),
  auto        INTEGER NOT NULL DEFAULT 0,       -- 1: approved by the e-mail domain
  created_at  TEXT NOT NULL,
  decided_by  INTEGER REFERENCES users(id),
  decided_at  TEXT
) STRICT;
CREATE INDEX org_claims_status ON org_claims(status, id);
CREATE INDEX org_claims_user ON org_claims(user_id);
-- org_messages: "Contact" messages sent through the platform to an organisation (its
-- administrators read them on the members page and get them by mail); also the rate limit's count.
CREATE TABLE org_messages (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES organisations(id),
  from_user   INTEGER NOT NULL REFERENCES users(id),
  subject     TEXT NOT NULL,
  body        TEXT NOT NULL,
  recipients  INTEGER NOT NULL,                 -- how many people it was delivered to
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX org_messages_org ON org_messages(org_id, id);
CREATE INDEX org_messages_from ON org_messages(from_user, created_at);
