-- Completions of a verification by phone or portal (issue #17): see the SQLite script. Content encrypted; kept as entered.
IF OBJECT_ID(N'dbo.verification_completions', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.verification_completions (
        id                 uniqueidentifier  NOT NULL CONSTRAINT pk_verification_completions PRIMARY KEY,
        verification_id    uniqueidentifier  NOT NULL CONSTRAINT fk_verification_completions_verification REFERENCES dbo.verifications (id),
        created_at         datetimeoffset(7) NOT NULL,
        created_by         nvarchar(128)     NOT NULL,
        completion_cipher  varbinary(max)    NOT NULL
    );
END;

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_verification_completions_verification' AND object_id = OBJECT_ID(N'dbo.verification_completions'))
    CREATE INDEX ix_verification_completions_verification ON dbo.verification_completions (verification_id, created_at);
GO

CREATE OR ALTER TRIGGER dbo.verification_completions_refuse_delete
ON dbo.verification_completions
INSTEAD OF DELETE
AS
BEGIN
    SET NOCOUNT ON;
    THROW 51000, 'completions are kept', 1;
END;
GO

CREATE OR ALTER TRIGGER dbo.verification_completions_refuse_change
ON dbo.verification_completions
AFTER UPDATE
AS
BEGIN
    SET NOCOUNT ON;
    IF UPDATE(id) OR UPDATE(verification_id) OR UPDATE(created_at) OR UPDATE(created_by)
        THROW 51000, 'a completion is kept as entered; enter a new one to correct it', 1;
END;
GO
