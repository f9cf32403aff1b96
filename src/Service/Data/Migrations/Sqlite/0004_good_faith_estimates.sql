-- Every Good Faith Estimate issued to a patient, kept as the PDF that was handed over (encrypted: it names the patient),
-- so a copy can be given again on request for 6 years (No Surprises Act, 45 CFR 149.610). Issued documents never
-- change: deletes and changes to what was issued are refused. Only document_cipher may be rewritten, by `phi rekey`
-- after a key rotation (the same PDF under the new key; AES-GCM binds it to its row).
CREATE TABLE IF NOT EXISTS good_faith_estimates (
    id               TEXT  NOT NULL PRIMARY KEY,
    verification_id  TEXT  NOT NULL REFERENCES verifications (id),
    estimate_number  TEXT  NOT NULL,
    issued_at        TEXT  NOT NULL,
    issued_by        TEXT  NOT NULL,
    document_cipher  BLOB  NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_good_faith_estimates_verification
    ON good_faith_estimates (verification_id, issued_at);

CREATE TRIGGER IF NOT EXISTS good_faith_estimates_refuse_update
BEFORE UPDATE OF id, verification_id, estimate_number, issued_at, issued_by ON good_faith_estimates
BEGIN
    SELECT RAISE(ABORT, 'good_faith_estimates are kept as issued');
END;

CREATE TRIGGER IF NOT EXISTS good_faith_estimates_refuse_delete
BEFORE DELETE ON good_faith_estimates
BEGIN
    SELECT RAISE(ABORT, 'good_faith_estimates are kept as issued');
END;
