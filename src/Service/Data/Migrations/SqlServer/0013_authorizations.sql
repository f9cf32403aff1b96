-- Authorisations recorded on a verification (issue #17); see Sqlite/0013_authorizations.sql for what each column means.
IF OBJECT_ID(N'dbo.authorizations', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.authorizations (
        id                uniqueidentifier   NOT NULL CONSTRAINT pk_authorizations PRIMARY KEY,
        verification_id   uniqueidentifier   NOT NULL CONSTRAINT fk_authorizations_verification REFERENCES dbo.verifications (id),
        number_key        varchar(64)        NOT NULL,
        status            varchar(16)        NOT NULL CONSTRAINT ck_authorizations_status CHECK (status IN ('requested', 'approved', 'partial', 'denied')),
        days              int                NOT NULL CONSTRAINT ck_authorizations_days CHECK (days >= 0),
        effective_date    date               NOT NULL,
        expiration_date   date               NOT NULL,
        next_review_date  date               NULL,
        payload_cipher    varbinary(max)     NOT NULL,
        created_at        datetimeoffset(7)  NOT NULL,
        created_by        nvarchar(128)      NOT NULL,
        CONSTRAINT ck_authorizations_dates CHECK (expiration_date >= effective_date)
    );
    CREATE INDEX ix_authorizations_verification ON dbo.authorizations (verification_id, created_at);
    CREATE INDEX ix_authorizations_review ON dbo.authorizations (next_review_date);
    CREATE INDEX ix_authorizations_expiration ON dbo.authorizations (expiration_date);
END;
GO

CREATE OR ALTER TRIGGER dbo.authorizations_refuse_delete
ON dbo.authorizations
INSTEAD OF DELETE
AS
BEGIN
    SET NOCOUNT ON;
    THROW 51000, 'authorisations are kept', 1;
END;
GO

CREATE OR ALTER TRIGGER dbo.authorizations_refuse_change
ON dbo.authorizations
AFTER UPDATE
AS
BEGIN
    SET NOCOUNT ON;
    IF UPDATE(id) OR UPDATE(verification_id) OR UPDATE(number_key) OR UPDATE(status) OR UPDATE(days) OR UPDATE(effective_date)
       OR UPDATE(expiration_date) OR UPDATE(next_review_date) OR UPDATE(created_at) OR UPDATE(created_by)
        THROW 51000, 'an authorisation is kept as recorded; record a correction instead', 1;
END;
GO
