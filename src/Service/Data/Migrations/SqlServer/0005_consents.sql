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

-- The consent that covers each verification's payer calls (a re-verification shares its predecessor's).
IF OBJECT_ID(N'dbo.verification_consents', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.verification_consents (
        verification_id  uniqueidentifier  NOT NULL CONSTRAINT pk_verification_consents PRIMARY KEY
                         CONSTRAINT fk_verification_consents_verification REFERENCES dbo.verifications (id),
        consent_id       uniqueidentifier  NOT NULL CONSTRAINT fk_verification_consents_consent REFERENCES dbo.consents (id)
    );
    CREATE INDEX ix_verification_consents_consent ON dbo.verification_consents (consent_id);
END;
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
    -- The reason's ciphertext alone may be rewritten later, by `phi rekey` after a key rotation.
    IF (UPDATE(revoked_at) OR UPDATE(revoked_by) OR UPDATE(revocation_method)) AND EXISTS (SELECT 1 FROM deleted WHERE revoked_at IS NOT NULL)
        THROW 51000, 'a consent is revoked once', 1;
END;
GO
