-- Every Good Faith Estimate issued to a patient, kept as the PDF that was handed over (encrypted: it names the patient),
-- so a copy can be given again on request for 6 years (No Surprises Act, 45 CFR 149.610). Issued documents never
-- change: deletes and changes to what was issued are refused. Only document_cipher may be rewritten, by `phi rekey`
-- after a key rotation (the same PDF under the new key; AES-GCM binds it to its row).
IF OBJECT_ID(N'dbo.good_faith_estimates', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.good_faith_estimates (
        id               uniqueidentifier   NOT NULL CONSTRAINT pk_good_faith_estimates PRIMARY KEY,
        verification_id  uniqueidentifier   NOT NULL CONSTRAINT fk_good_faith_estimates_verification REFERENCES dbo.verifications (id),
        estimate_number  varchar(32)        NOT NULL,
        issued_at        datetimeoffset(7)  NOT NULL,
        issued_by        nvarchar(128)      NOT NULL,
        document_cipher  varbinary(max)     NOT NULL
    );
    CREATE INDEX ix_good_faith_estimates_verification ON dbo.good_faith_estimates (verification_id, issued_at);
END;
GO

CREATE OR ALTER TRIGGER dbo.good_faith_estimates_refuse_delete
ON dbo.good_faith_estimates
INSTEAD OF DELETE
AS
BEGIN
    SET NOCOUNT ON;
    THROW 51000, 'good_faith_estimates are kept as issued', 1;
END;
GO

CREATE OR ALTER TRIGGER dbo.good_faith_estimates_refuse_change
ON dbo.good_faith_estimates
AFTER UPDATE
AS
BEGIN
    SET NOCOUNT ON;
    IF UPDATE(id) OR UPDATE(verification_id) OR UPDATE(estimate_number) OR UPDATE(issued_at) OR UPDATE(issued_by)
        THROW 51000, 'good_faith_estimates are kept as issued', 1;
END;
GO
