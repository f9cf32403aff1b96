-- Staff sessions held on the server (issue #14): the session cookie names one row by a random id, stored here only as
-- its SHA-256, and every request checks the row is still open. Signing out, disabling the account (`users disable`)
-- or the session's end closes it, so a copied cookie stops working at once.
IF OBJECT_ID(N'dbo.staff_sessions', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.staff_sessions (
        id_hash       varchar(64)        NOT NULL CONSTRAINT pk_staff_sessions PRIMARY KEY,
        user_id       int                NULL CONSTRAINT fk_staff_sessions_user REFERENCES dbo.users (id),
        user_name     nvarchar(128)      NOT NULL,
        method        varchar(8)         NOT NULL CONSTRAINT ck_staff_sessions_method CHECK (method IN ('pwd', 'oidc')),
        created_at    datetimeoffset(7)  NOT NULL,
        expires_at    datetimeoffset(7)  NOT NULL,
        ended_at      datetimeoffset(7)  NULL,
        ended_reason  varchar(32)        NULL
    );
    CREATE INDEX ix_staff_sessions_user ON dbo.staff_sessions (user_id) WHERE user_id IS NOT NULL;
END;
GO

-- Who acted, by kind: api-key, local-user, sso-user, bearer-token, worker, operator or anonymous. Rows written before
-- this column existed have none.
IF COL_LENGTH(N'dbo.audit_log', N'actor_kind') IS NULL
    ALTER TABLE dbo.audit_log ADD actor_kind varchar(16) NULL;
GO
