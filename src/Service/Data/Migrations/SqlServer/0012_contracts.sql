-- Payer contracts (http-api.md "Contracts", issue #17); see Sqlite/0012_contracts.sql for what each column means.
IF OBJECT_ID(N'dbo.contracts', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.contracts (
        id              varchar(64)        NOT NULL CONSTRAINT pk_contracts PRIMARY KEY,
        payer_id        varchar(80)        NOT NULL,
        effective_from  date               NOT NULL,
        effective_to    date               NULL,
        contract_json   nvarchar(max)      NOT NULL,
        updated_at      datetimeoffset(7)  NOT NULL,
        updated_by      nvarchar(128)      NOT NULL,
        CONSTRAINT ck_contracts_effective CHECK (effective_to IS NULL OR effective_to >= effective_from)
    );
    CREATE INDEX ix_contracts_payer ON dbo.contracts (payer_id, effective_from);
END;
GO
