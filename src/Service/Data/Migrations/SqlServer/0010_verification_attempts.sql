-- One row per finished attempt at a verification (issue #14): who made it (the worker or request that held the lease),
-- how it ended, how many requests of it reached the clearinghouse (0: the payer's breaker refused it), and whether it
-- counts against Verification:MaxAttempts (a retryable answer about this member; outages never count). Written in
-- the same transaction as the outcome it records, and only by the lease holder. No PHI: codes and counts only.
IF OBJECT_ID(N'dbo.verification_attempts', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.verification_attempts (
        id               bigint            NOT NULL IDENTITY(1, 1) CONSTRAINT pk_verification_attempts PRIMARY KEY,
        verification_id  uniqueidentifier  NOT NULL CONSTRAINT fk_verification_attempts_verification REFERENCES dbo.verifications (id),
        attempt          int               NOT NULL,
        worker_id        nvarchar(128)     NOT NULL,
        outcome          varchar(16)       NOT NULL CONSTRAINT ck_verification_attempts_outcome
                                           CHECK (outcome IN ('completed', 'failed', 'needs-review', 'retry')),
        error_code       varchar(32)       NULL,
        sent             int               NOT NULL,
        counted          bit               NOT NULL,
        finished_at      datetimeoffset(7) NOT NULL
    );
END;

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_verification_attempts_verification' AND object_id = OBJECT_ID(N'dbo.verification_attempts'))
    CREATE INDEX ix_verification_attempts_verification ON dbo.verification_attempts (verification_id, counted);
