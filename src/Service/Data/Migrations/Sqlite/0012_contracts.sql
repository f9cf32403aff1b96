-- Payer contracts (http-api.md "Contracts", issue #17): our network status and the allowed amount per IOP day for the
-- plans of a payer that a match rule picks out (plan name contains, group numbers, insurance types). Not PHI. The
-- contract as the API reads and writes it is contract_json (the record, serialised by the feature's context); payer_id
-- and the effective dates are plain columns so the matcher reads only one payer's contracts. Writes are audited.
CREATE TABLE IF NOT EXISTS contracts (
    id              TEXT  NOT NULL PRIMARY KEY,
    payer_id        TEXT  NOT NULL,
    effective_from  TEXT  NOT NULL,
    effective_to    TEXT  NULL,
    contract_json   TEXT  NOT NULL,
    updated_at      TEXT  NOT NULL,
    updated_by      TEXT  NOT NULL,
    CHECK (effective_to IS NULL OR effective_to >= effective_from)
);
CREATE INDEX IF NOT EXISTS ix_contracts_payer ON contracts (payer_id, effective_from);
