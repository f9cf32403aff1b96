-- Consent records (42 CFR Part 2, http-api.md "Consent records"): every payer call is covered by one. A consent says
-- who gave it (the patient or their representative), how, when, who attested it, what it allows (eligibility checks
-- with one payer), until when, and its revocation. It names no one: the patient it concerns is found through the
-- verifications that carry its id (verification_consents). What was given never changes (triggers refuse it); only the revocation columns
-- are written once, and a consent is never deleted.
CREATE TABLE IF NOT EXISTS consents (
    id                  TEXT  NOT NULL PRIMARY KEY,
    given_by            TEXT  NOT NULL CHECK (given_by IN ('patient', 'representative')),
    method              TEXT  NOT NULL CHECK (method IN ('verbal', 'written', 'electronic')),
    given_at            TEXT  NOT NULL,
    attested_by         TEXT  NOT NULL,
    payer_id            TEXT  NOT NULL,
    purpose             TEXT  NOT NULL CHECK (purpose IN ('eligibility')),
    expires_at          TEXT  NOT NULL,
    text_version        TEXT  NULL,
    source              TEXT  NOT NULL,
    created_at          TEXT  NOT NULL,
    revoked_at          TEXT  NULL,
    revoked_by          TEXT  NULL,
    revocation_method   TEXT  NULL CHECK (revocation_method IS NULL OR revocation_method IN ('verbal', 'written', 'electronic')),
    revocation_reason_cipher BLOB NULL,
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

-- The consent that covers each verification's payer calls (a re-verification shares its predecessor's). A table of
-- its own, so this script can run again (SQLite cannot add a column only if it is missing).
CREATE TABLE IF NOT EXISTS verification_consents (
    verification_id  TEXT  NOT NULL PRIMARY KEY REFERENCES verifications (id),
    consent_id       TEXT  NOT NULL REFERENCES consents (id)
);
CREATE INDEX IF NOT EXISTS ix_verification_consents_consent ON verification_consents (consent_id);

CREATE TRIGGER IF NOT EXISTS consents_refuse_delete
BEFORE DELETE ON consents
BEGIN
    SELECT RAISE(ABORT, 'consents are kept');
END;

CREATE TRIGGER IF NOT EXISTS consents_refuse_change
BEFORE UPDATE OF id, given_by, method, given_at, attested_by, payer_id, purpose, expires_at, text_version, source, created_at ON consents
BEGIN
    SELECT RAISE(ABORT, 'a consent is kept as given; only its revocation is recorded');
END;

-- The reason's ciphertext alone may be rewritten later, by `phi rekey` after a key rotation.
CREATE TRIGGER IF NOT EXISTS consents_revoke_once
BEFORE UPDATE OF revoked_at, revoked_by, revocation_method ON consents
WHEN OLD.revoked_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a consent is revoked once');
END;
