-- Consent records (42 CFR Part 2, http-api.md "Consent records"); see Sqlite/0005_consents.sql for what each column
-- means. What was given never changes (a trigger refuses it); only the revocation columns are written once, and a
-- consent is never deleted.
IF OBJECT_ID(N'dbo.consents', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.consents (
        id                        uniqueidentifier   NOT NULL CONSTRAINT pk_consents PRIMARY KEY,
        given_by                  varchar(16)        NOT NULL CONSTRAINT ck_consents_given_by CHECK (given_by IN ('patient', 'representative')),
        method                    varchar(16)        NOT NULL CONSTRAINT ck_consents_method CHECK (method IN ('verbal', 'written', 'electronic')),
        given_at                  datetimeoffset(7)  NOT NULL,
        attested_by               nvarchar(128)      NOT NULL,
        payer_id                  varchar(32)        NOT NULL,
        purpose                   varchar(16)        NOT NULL CONSTRAINT ck_consents_purpose CHECK (purpose IN ('eligibility')),
        expires_at                datetimeoffset(7)  NOT NULL,
        text_version              varchar(32)        NULL,
        source                    varchar(16)        NOT NULL,
        created_at                datetimeoffset(7)  NOT NULL,
        revoked_at                datetimeoffset(7)  NULL,
        revoked_by                nvarchar(128)      NULL,
        revocation_method         varchar(16)        NULL CONSTRAINT ck_consents_revocation_method CHECK (revocation_method IS NULL OR revocation_method IN ('verbal', 'written', 'electronic')),
        revocation_reason_cipher  varbinary(max)     NULL,
        CONSTRAINT ck_consents_revoked CHECK ((revoked_at IS NULL AND revoked_by IS NULL) OR (revoked_at IS NOT NULL AND revoked_by IS NOT NULL))
    );
END;
GO

IF COL_LENGTH(N'dbo.verifications', N'consent_id') IS NULL
    ALTER TABLE dbo.verifications ADD consent_id uniqueidentifier NULL CONSTRAINT fk_verifications_consent REFERENCES dbo.consents (id);
GO

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_verifications_consent' AND object_id = OBJECT_ID(N'dbo.verifications'))
    CREATE INDEX ix_verifications_consent ON dbo.verifications (consent_id) WHERE consent_id IS NOT NULL;
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_verifications_member_consent' AND object_id = OBJECT_ID(N'dbo.verifications'))
    CREATE INDEX ix_verifications_member_consent ON dbo.verifications (member_key, consent_id);
GO

CREATE OR ALTER TRIGGER dbo.consents_refuse_delete
ON dbo.consents
INSTEAD OF DELETE
AS
BEGIN
    SET NOCOUNT ON;
    THROW 51000, 'consents are kept', 1;
END;
GO

CREATE OR ALTER TRIGGER dbo.consents_refuse_change
ON dbo.consents
AFTER UPDATE
AS
BEGIN
    SET NOCOUNT ON;
    IF UPDATE(id) OR UPDATE(given_by) OR UPDATE(method) OR UPDATE(given_at) OR UPDATE(attested_by) OR UPDATE(payer_id)
       OR UPDATE(purpose) OR UPDATE(expires_at) OR UPDATE(text_version) OR UPDATE(source) OR UPDATE(created_at)
        THROW 51000, 'a consent is kept as given; only its revocation is recorded', 1;
    IF EXISTS (SELECT 1 FROM deleted WHERE revoked_at IS NOT NULL)
        THROW 51000, 'a consent is revoked once', 1;
END;
GO
