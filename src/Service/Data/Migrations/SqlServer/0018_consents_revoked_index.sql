-- Issue 19: see Sqlite/0018_consents_revoked_index.sql. The revocation check per attempt starts from the (rare)
-- revoked consents instead of every earlier verification of the member.
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'ix_consents_revoked' AND object_id = OBJECT_ID(N'dbo.consents'))
    CREATE INDEX ix_consents_revoked ON dbo.consents (revoked_at) WHERE revoked_at IS NOT NULL;
