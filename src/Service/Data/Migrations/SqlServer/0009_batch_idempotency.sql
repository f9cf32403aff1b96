-- POST /api/v1/batches with an Idempotency-Key: one batch per (caller, key), stored as a hash of both, so a census
-- upload retried after a lost answer returns the first batch instead of asking every payer again.
IF OBJECT_ID(N'dbo.batch_idempotency', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.batch_idempotency (
        key_hash    char(64)           NOT NULL CONSTRAINT pk_batch_idempotency PRIMARY KEY,
        batch_id    uniqueidentifier   NOT NULL CONSTRAINT fk_batch_idempotency_batch REFERENCES dbo.batches (id),
        created_at  datetimeoffset(7)  NOT NULL
    );
END;
GO
