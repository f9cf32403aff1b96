-- The ASP.NET Core Data Protection key ring (session and antiforgery cookies), shared by every instance on this
-- database so a cookie issued by one is read by the others and survives restarts. Each row is one key's XML as Data
-- Protection writes it, its secret encrypted under the PHI key (AES-256-GCM, see DatabaseXmlEncryptor): reading the
-- database alone does not let anyone forge a session.
CREATE TABLE IF NOT EXISTS data_protection_keys (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    friendly_name  TEXT    NOT NULL,
    xml            TEXT    NOT NULL,
    created_at     TEXT    NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_data_protection_keys_friendly_name
    ON data_protection_keys (friendly_name);
