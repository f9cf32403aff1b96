-- Requests from the website's "Verify Coverage Today" form (http-api.md "Website intake", issue #18). Everything the
-- visitor sent (name, date of birth, insurer, member ID, phone, email, best time, the typed signature) is PHI and is in
-- payload_cipher only. Plain columns are what the admissions queue sorts and filters on: the short reference read to
-- the caller, the callback status, whether the insurer named is one of ours (payer_known; an unknown one waits for
-- staff to pick the payer), the consent recorded and the verification queued under it. form_token_id is the id of the
-- one-time form token (not secret): unique, so a token is accepted once.
CREATE TABLE IF NOT EXISTS intake_requests (
    id               TEXT     NOT NULL PRIMARY KEY,
    reference        TEXT     NOT NULL UNIQUE,
    created_at       TEXT     NOT NULL,
    callback_status  TEXT     NOT NULL DEFAULT 'new' CHECK (callback_status IN ('new', 'called', 'reached', 'closed')),
    payer_known      INTEGER  NOT NULL CHECK (payer_known IN (0, 1)),
    payer_id         TEXT     NULL,
    consent_id       TEXT     NULL REFERENCES consents (id),
    verification_id  TEXT     NULL REFERENCES verifications (id),
    form_token_id    TEXT     NOT NULL UNIQUE,
    payload_cipher   BLOB     NOT NULL,
    updated_at       TEXT     NOT NULL,
    updated_by       TEXT     NULL
);
CREATE INDEX IF NOT EXISTS ix_intake_requests_status ON intake_requests (callback_status, created_at);
