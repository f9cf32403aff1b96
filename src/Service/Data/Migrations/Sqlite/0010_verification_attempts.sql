-- One row per finished attempt at a verification (issue #14): who made it (the worker or request that held the lease),
-- how it ended, how many requests of it reached the clearinghouse (0: the payer's breaker refused it), and whether it
-- counts against Verification:MaxAttempts (a retryable answer about this member; outages never count). Written in
-- the same transaction as the outcome it records, and only by the lease holder, so "who finished what" is exact.
-- No PHI: codes and counts only.
CREATE TABLE IF NOT EXISTS verification_attempts (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    verification_id  TEXT     NOT NULL REFERENCES verifications (id),
    attempt          INTEGER  NOT NULL,
    worker_id        TEXT     NOT NULL,
    outcome          TEXT     NOT NULL CHECK (outcome IN ('completed', 'failed', 'needs-review', 'retry')),
    error_code       TEXT     NULL,
    sent             INTEGER  NOT NULL,
    counted          INTEGER  NOT NULL CHECK (counted IN (0, 1)),
    finished_at      TEXT     NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_verification_attempts_verification
    ON verification_attempts (verification_id, counted);
