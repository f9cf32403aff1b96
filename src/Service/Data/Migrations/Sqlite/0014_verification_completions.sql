-- Completions of a verification by phone or portal (issue #17, http-api.md "Completing a verification"): what the
-- payer's representative said, with who entered it and when. The content (the call, the benefits, the notes) is PHI and
-- lives in completion_cipher; the plain columns say only which verification and when. A completion is kept as entered:
-- a correction is a new completion that supersedes it (triggers refuse changes and deletes; `phi rekey` may rewrite
-- the ciphertext alone).
CREATE TABLE IF NOT EXISTS verification_completions (
    id                 TEXT  NOT NULL PRIMARY KEY,
    verification_id    TEXT  NOT NULL REFERENCES verifications (id),
    created_at         TEXT  NOT NULL,
    created_by         TEXT  NOT NULL,
    completion_cipher  BLOB  NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_verification_completions_verification ON verification_completions (verification_id, created_at);

CREATE TRIGGER IF NOT EXISTS verification_completions_refuse_delete
BEFORE DELETE ON verification_completions
BEGIN
    SELECT RAISE(ABORT, 'completions are kept');
END;

CREATE TRIGGER IF NOT EXISTS verification_completions_refuse_change
BEFORE UPDATE OF id, verification_id, created_at, created_by ON verification_completions
BEGIN
    SELECT RAISE(ABORT, 'a completion is kept as entered; enter a new one to correct it');
END;
