-- Remittances (X12 835, issue #19); see Sqlite/0016_remittances.sql for what each column means. PHI is in
-- payload_cipher only; file_key and verification_patient_refs.patient_ref_key are keyed hashes.
IF OBJECT_ID(N'dbo.remittances', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.remittances (
        id               uniqueidentifier   NOT NULL CONSTRAINT pk_remittances PRIMARY KEY,
        file_key         varchar(64)        NOT NULL CONSTRAINT uq_remittances_file_key UNIQUE,
        transactions     int                NOT NULL CONSTRAINT ck_remittances_transactions CHECK (transactions >= 0),
        claims           int                NOT NULL CONSTRAINT ck_remittances_claims CHECK (claims >= 0),
        matched          int                NOT NULL CONSTRAINT ck_remittances_matched CHECK (matched >= 0),
        payload_cipher   varbinary(max)     NOT NULL,
        received_at      datetimeoffset(7)  NOT NULL,
        received_by      nvarchar(128)      NOT NULL
    );
    CREATE INDEX ix_remittances_received ON dbo.remittances (received_at);
END;
GO

IF OBJECT_ID(N'dbo.remittance_claims', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.remittance_claims (
        remittance_id    uniqueidentifier   NOT NULL CONSTRAINT fk_remittance_claims_remittance REFERENCES dbo.remittances (id),
        position         int                NOT NULL CONSTRAINT ck_remittance_claims_position CHECK (position >= 0),
        verification_id  uniqueidentifier   NULL CONSTRAINT fk_remittance_claims_verification REFERENCES dbo.verifications (id),
        matched_by       varchar(32)        NULL CONSTRAINT ck_remittance_claims_matched_by CHECK (matched_by IN ('patient-control-number', 'member-id')),
        status           varchar(8)         NULL,
        service_from     date               NULL,
        service_to       date               NULL,
        CONSTRAINT pk_remittance_claims PRIMARY KEY (remittance_id, position)
    );
    CREATE INDEX ix_remittance_claims_verification ON dbo.remittance_claims (verification_id);
    CREATE INDEX ix_remittance_claims_service ON dbo.remittance_claims (service_from);
END;
GO

IF OBJECT_ID(N'dbo.verification_patient_refs', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.verification_patient_refs (
        verification_id  uniqueidentifier  NOT NULL CONSTRAINT pk_verification_patient_refs PRIMARY KEY
                                           CONSTRAINT fk_verification_patient_refs_verification REFERENCES dbo.verifications (id),
        patient_ref_key  varchar(64)       NOT NULL
    );
    CREATE INDEX ix_verification_patient_refs_key ON dbo.verification_patient_refs (patient_ref_key);
END;
GO

CREATE OR ALTER TRIGGER dbo.remittances_refuse_delete
ON dbo.remittances
INSTEAD OF DELETE
AS
BEGIN
    SET NOCOUNT ON;
    THROW 51000, 'remittances are kept', 1;
END;
GO
