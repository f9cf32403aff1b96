-- Authorisations recorded on a verification (http-api.md "Authorisations", issue #17): the payer's decision on the
-- program (status, days, dates, next concurrent review). What the payer's reviewer said and who they are (the
-- authorisation number, the reviewer's name and phone) is PHI-like payer-answer text: it is in payload_cipher,
-- encrypted like a verification's result. Plain columns are ids, the status and the dates the "reviews due" and
-- "expiring" lists query; number_key is a keyed hash of the number (as member_key is of a member ID), so a later
-- record of the same authorisation (requested, then approved) supersedes the earlier one without decrypting either.
-- Rows are never changed or deleted: a correction is a new record with the same number.
CREATE TABLE IF NOT EXISTS authorizations (
    id                TEXT     NOT NULL PRIMARY KEY,
    verification_id   TEXT     NOT NULL REFERENCES verifications (id),
    number_key        TEXT     NOT NULL,
    status            TEXT     NOT NULL CHECK (status IN ('requested', 'approved', 'partial', 'denied')),
    days              INTEGER  NOT NULL CHECK (days >= 0),
    effective_date    TEXT     NOT NULL,
    expiration_date   TEXT     NOT NULL,
    next_review_date  TEXT     NULL,
    payload_cipher    BLOB     NOT NULL,
    created_at        TEXT     NOT NULL,
    created_by        TEXT     NOT NULL,
    CHECK (expiration_date >= effective_date)
);
CREATE INDEX IF NOT EXISTS ix_authorizations_verification ON authorizations (verification_id, created_at);
CREATE INDEX IF NOT EXISTS ix_authorizations_review ON authorizations (next_review_date);
CREATE INDEX IF NOT EXISTS ix_authorizations_expiration ON authorizations (expiration_date);

CREATE TRIGGER IF NOT EXISTS authorizations_refuse_delete
BEFORE DELETE ON authorizations
BEGIN
    SELECT RAISE(ABORT, 'authorisations are kept');
END;

-- The ciphertext alone may be rewritten later, by `phi rekey` after a key rotation.
CREATE TRIGGER IF NOT EXISTS authorizations_refuse_change
BEFORE UPDATE OF id, verification_id, number_key, status, days, effective_date, expiration_date, next_review_date, created_at, created_by ON authorizations
BEGIN
    SELECT RAISE(ABORT, 'an authorisation is kept as recorded; record a correction instead');
END;
