-- POST /api/v1/batches with an Idempotency-Key: one batch per (caller, key), stored as a hash of both, so a census
-- upload retried after a lost answer returns the first batch instead of asking every payer again.
-- A table of its own, so this script can run again.
CREATE TABLE IF NOT EXISTS batch_idempotency (
    key_hash    TEXT  NOT NULL PRIMARY KEY,
    batch_id    TEXT  NOT NULL REFERENCES batches (id),
    created_at  TEXT  NOT NULL
);
