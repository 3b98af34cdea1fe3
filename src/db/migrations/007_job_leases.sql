-- 007: leases of background jobs (src/db/lease.c): a job that must run on one node at a time
-- (machine translation, the digest run with its daily jobs) holds the lease of its name while it
-- works. holder names the process (host, pid, start); until (unix seconds) is when the lease
-- lapses unless renewed, so a node that died frees its jobs after at most one lease term.
CREATE TABLE job_leases (
  name    TEXT PRIMARY KEY,
  holder  TEXT NOT NULL,
  until   INTEGER NOT NULL
) STRICT;
