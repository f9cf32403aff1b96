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

-- Who acted, by kind: api-key, local-user, sso-user, bearer-token, worker, operator or anonymous; one row per audit
-- row written since. A table of its own, as in the SQLite dialect (which cannot add a column only when it is missing).
-- Append-only like audit_log.
IF OBJECT_ID(N'dbo.audit_actor_kinds', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.audit_actor_kinds (
        audit_id    bigint       NOT NULL CONSTRAINT pk_audit_actor_kinds PRIMARY KEY
                                 CONSTRAINT fk_audit_actor_kinds_audit_log REFERENCES dbo.audit_log (id),
        actor_kind  varchar(16)  NOT NULL
    );
END;
GO

CREATE OR ALTER TRIGGER dbo.audit_actor_kinds_append_only
ON dbo.audit_actor_kinds
INSTEAD OF UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    THROW 51000, 'audit_actor_kinds is append-only', 1;
END;
GO
