-- CoverageCheck schema, SQL Server dialect. Keep in step with Sqlite/0001_initial_schema.sql.
-- Idempotent: every object is created only when missing. Batches are separated by GO (DbUp splits on it).
-- Columns named *_cipher hold AES-256-GCM ciphertext; PHI is never stored in any other column.

IF OBJECT_ID(N'dbo.batches', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.batches (
        id            uniqueidentifier   NOT NULL CONSTRAINT pk_batches PRIMARY KEY,
        status        varchar(16)        NOT NULL CONSTRAINT df_batches_status DEFAULT 'accepted'
                                         CONSTRAINT ck_batches_status CHECK (status IN ('accepted', 'running', 'completed')),
        row_count     int                NOT NULL CONSTRAINT df_batches_row_count DEFAULT 0,
        created_at    datetimeoffset(7)  NOT NULL,
        created_by    nvarchar(128)      NOT NULL,
        completed_at  datetimeoffset(7)  NULL
    );
END;
GO

IF OBJECT_ID(N'dbo.verifications', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.verifications (
        id                        uniqueidentifier   NOT NULL CONSTRAINT pk_verifications PRIMARY KEY NONCLUSTERED,
        status                    varchar(16)        NOT NULL
                                  CONSTRAINT ck_verifications_status CHECK (status IN ('queued', 'in-progress', 'completed', 'failed', 'needs-review')),
        payer_id                  varchar(32)        NOT NULL,
        member_key                char(64)           NOT NULL,
        payload_cipher            varbinary(max)     NOT NULL,
        result_cipher             varbinary(max)     NULL,
        attempts                  int                NOT NULL CONSTRAINT df_verifications_attempts DEFAULT 0,
        next_attempt_at           datetimeoffset(7)  NOT NULL,
        lease_owner               nvarchar(128)      NULL,
        lease_expires_at          datetimeoffset(7)  NULL,
        last_error_code           varchar(32)        NULL,
        last_error                nvarchar(512)      NULL,
        created_at                datetimeoffset(7)  NOT NULL,
        created_by                nvarchar(128)      NOT NULL,
        updated_at                datetimeoffset(7)  NOT NULL,
        checked_at                datetimeoffset(7)  NULL,
        completed_at              datetimeoffset(7)  NULL,
        idempotency_key           char(64)           NULL,
        batch_id                  uniqueidentifier   NULL CONSTRAINT fk_verifications_batch REFERENCES dbo.batches (id),
        batch_line                int                NULL,
        program_end               date               NULL,
        previous_verification_id  uniqueidentifier   NULL CONSTRAINT fk_verifications_previous REFERENCES dbo.verifications (id),
        version                   int                NOT NULL CONSTRAINT df_verifications_version DEFAULT 1
    );
    -- Cluster by creation time: inserts append, and the work queue reads newest first.
    CREATE CLUSTERED INDEX cx_verifications_created ON dbo.verifications (created_at, id);
END;
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ux_verifications_idempotency_key' AND object_id = OBJECT_ID(N'dbo.verifications'))
    CREATE UNIQUE INDEX ux_verifications_idempotency_key
        ON dbo.verifications (idempotency_key) WHERE idempotency_key IS NOT NULL;
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_verifications_claim_due' AND object_id = OBJECT_ID(N'dbo.verifications'))
    CREATE INDEX ix_verifications_claim_due
        ON dbo.verifications (status, next_attempt_at) INCLUDE (lease_owner, lease_expires_at);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_verifications_claim_lease' AND object_id = OBJECT_ID(N'dbo.verifications'))
    CREATE INDEX ix_verifications_claim_lease
        ON dbo.verifications (status, lease_expires_at);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_verifications_status_created' AND object_id = OBJECT_ID(N'dbo.verifications'))
    CREATE INDEX ix_verifications_status_created
        ON dbo.verifications (status, created_at DESC, id DESC)
        INCLUDE (payer_id, attempts, created_by, checked_at, last_error_code);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_verifications_member_completed' AND object_id = OBJECT_ID(N'dbo.verifications'))
    CREATE INDEX ix_verifications_member_completed
        ON dbo.verifications (member_key, completed_at DESC) INCLUDE (status, program_end, payer_id);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_verifications_batch' AND object_id = OBJECT_ID(N'dbo.verifications'))
    CREATE INDEX ix_verifications_batch
        ON dbo.verifications (batch_id, batch_line) WHERE batch_id IS NOT NULL;
GO

IF OBJECT_ID(N'dbo.verification_changes', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.verification_changes (
        id                        bigint IDENTITY(1, 1) NOT NULL CONSTRAINT pk_verification_changes PRIMARY KEY,
        verification_id           uniqueidentifier   NOT NULL CONSTRAINT fk_verification_changes_verification REFERENCES dbo.verifications (id),
        previous_verification_id  uniqueidentifier   NULL CONSTRAINT fk_verification_changes_previous REFERENCES dbo.verifications (id),
        kind                      varchar(64)        NOT NULL,
        detail                    nvarchar(512)      NOT NULL,
        detected_at               datetimeoffset(7)  NOT NULL
    );
    CREATE INDEX ix_verification_changes_verification ON dbo.verification_changes (verification_id);
    CREATE INDEX ix_verification_changes_detected ON dbo.verification_changes (detected_at DESC);
END;
GO

IF OBJECT_ID(N'dbo.batch_rows', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.batch_rows (
        batch_id         uniqueidentifier  NOT NULL CONSTRAINT fk_batch_rows_batch REFERENCES dbo.batches (id),
        line_number      int               NOT NULL,
        patient_ref      nvarchar(128)     NULL,
        verification_id  uniqueidentifier  NULL CONSTRAINT fk_batch_rows_verification REFERENCES dbo.verifications (id),
        error_code       varchar(32)       NULL,
        error            nvarchar(512)     NULL,
        CONSTRAINT pk_batch_rows PRIMARY KEY (batch_id, line_number),
        CONSTRAINT ck_batch_rows_outcome CHECK ((verification_id IS NULL AND error_code IS NOT NULL) OR (verification_id IS NOT NULL AND error_code IS NULL))
    );
END;
GO

-- Append-only trail of every read and write of protected health information (HIPAA, 42 CFR Part 2).
IF OBJECT_ID(N'dbo.audit_log', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.audit_log (
        id           bigint IDENTITY(1, 1) NOT NULL CONSTRAINT pk_audit_log PRIMARY KEY,
        at           datetimeoffset(7)  NOT NULL,
        actor        nvarchar(128)      NOT NULL,
        role         varchar(32)        NOT NULL,
        action       varchar(32)        NOT NULL,
        record_type  varchar(32)        NOT NULL,
        record_id    varchar(64)        NOT NULL,
        purpose      nvarchar(256)      NOT NULL
    );
    CREATE INDEX ix_audit_log_record ON dbo.audit_log (record_type, record_id, id);
    CREATE INDEX ix_audit_log_actor ON dbo.audit_log (actor, at);
END;
GO

-- The trigger refuses UPDATE and DELETE for everyone; TRUNCATE bypasses triggers, so production also runs the
-- service under a login that is DENY'd UPDATE, DELETE and ALTER on dbo.audit_log (see docs/storage-and-security.md).
CREATE OR ALTER TRIGGER dbo.audit_log_append_only
ON dbo.audit_log
INSTEAD OF UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    THROW 51000, 'audit_log is append-only', 1;
END;
GO

-- Local staff accounts for the staff pages.
IF OBJECT_ID(N'dbo.users', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.users (
        id             int IDENTITY(1, 1) NOT NULL CONSTRAINT pk_users PRIMARY KEY,
        username       nvarchar(128)      NOT NULL,
        password_hash  varchar(512)       NOT NULL,
        roles          varchar(256)       NOT NULL,
        created_at     datetimeoffset(7)  NOT NULL,
        disabled       bit                NOT NULL CONSTRAINT df_users_disabled DEFAULT 0
    );
    CREATE UNIQUE INDEX ux_users_username ON dbo.users (username);
END;
GO
