-- The ASP.NET Core Data Protection key ring (session and antiforgery cookies), shared by every instance on this
-- database so a cookie issued by one is read by the others and survives restarts. Each row is one key's XML as Data
-- Protection writes it, its secret encrypted under the PHI key (AES-256-GCM, see DatabaseXmlEncryptor): reading the
-- database alone does not let anyone forge a session.
IF OBJECT_ID(N'dbo.data_protection_keys', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.data_protection_keys (
        id             int IDENTITY(1, 1) NOT NULL CONSTRAINT pk_data_protection_keys PRIMARY KEY,
        friendly_name  nvarchar(256)      NOT NULL,
        xml            nvarchar(max)      NOT NULL,
        created_at     datetimeoffset(7)  NOT NULL
    );
    CREATE UNIQUE INDEX ux_data_protection_keys_friendly_name ON dbo.data_protection_keys (friendly_name);
END;
GO
