-- Carve-outs (issue #16, http-api.md "Carve-outs"): a verification whose plan hands behavioural-health benefits to a
-- configured administrator gets a linked verification to that administrator (the child); the parent's estimate comes
-- from the child's benefits. One child per parent. No PHI: ids only (the administrator and the member ID asked are in
-- the child's encrypted payload).
IF OBJECT_ID(N'dbo.verification_carve_outs', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.verification_carve_outs (
        parent_id   uniqueidentifier  NOT NULL CONSTRAINT pk_verification_carve_outs PRIMARY KEY
                                      CONSTRAINT fk_verification_carve_outs_parent REFERENCES dbo.verifications (id),
        child_id    uniqueidentifier  NOT NULL CONSTRAINT fk_verification_carve_outs_child REFERENCES dbo.verifications (id),
        created_at  datetimeoffset(7) NOT NULL
    );
END;

IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ux_verification_carve_outs_child' AND object_id = OBJECT_ID(N'dbo.verification_carve_outs'))
    CREATE UNIQUE INDEX ux_verification_carve_outs_child ON dbo.verification_carve_outs (child_id);
