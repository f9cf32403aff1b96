-- Remittances (X12 835) uploaded by finance (http-api.md "Remittances", issue #19), and what matches them to
-- verifications. Everything an 835 says about a patient (names, member IDs, control numbers, amounts per claim) is PHI:
-- the file as read (every claim) is in payload_cipher, encrypted like a payer's 271 answer. file_key
-- is a keyed hash of the file's bytes: the same file sent twice is recognised (UNIQUE) without keeping a plain digest.
-- Plain columns are what the estimate-accuracy report selects on: the verification a claim matched (and how), its
-- status and its service dates.
CREATE TABLE IF NOT EXISTS remittances (
    id               TEXT     NOT NULL PRIMARY KEY,
    file_key         TEXT     NOT NULL UNIQUE,
    transactions     INTEGER  NOT NULL CHECK (transactions >= 0),
    claims           INTEGER  NOT NULL CHECK (claims >= 0),
    matched          INTEGER  NOT NULL CHECK (matched >= 0),
    payload_cipher   BLOB     NOT NULL,
    received_at      TEXT     NOT NULL,
    received_by      TEXT     NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_remittances_received ON remittances (received_at);

CREATE TABLE IF NOT EXISTS remittance_claims (
    remittance_id    TEXT     NOT NULL REFERENCES remittances (id),
    position         INTEGER  NOT NULL CHECK (position >= 0),
    verification_id  TEXT     NULL REFERENCES verifications (id),
    matched_by       TEXT     NULL CHECK (matched_by IN ('patient-control-number', 'member-id')),
    status           TEXT     NULL,
    service_from     TEXT     NULL,
    service_to       TEXT     NULL,
    PRIMARY KEY (remittance_id, position)
);
CREATE INDEX IF NOT EXISTS ix_remittance_claims_verification ON remittance_claims (verification_id);
CREATE INDEX IF NOT EXISTS ix_remittance_claims_service ON remittance_claims (service_from);

-- The patient control number a verification bills with (its patientRef, a census row's patient_ref), as a keyed hash
-- (PhiProtector.PatientRefKey), for matching CLP01: one row per verification that has one (as verification_traces
-- holds a trace). Verifications stored before this migration, and those without a reference, have none: they are
-- matched by member ID and service dates (`phi rekey --lookup-key-id N` fills it for the older ones).
CREATE TABLE IF NOT EXISTS verification_patient_refs (
    verification_id  TEXT  NOT NULL PRIMARY KEY REFERENCES verifications (id),
    patient_ref_key  TEXT  NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_verification_patient_refs_key ON verification_patient_refs (patient_ref_key);

CREATE TRIGGER IF NOT EXISTS remittances_refuse_delete
BEFORE DELETE ON remittances
BEGIN
    SELECT RAISE(ABORT, 'remittances are kept');
END;
