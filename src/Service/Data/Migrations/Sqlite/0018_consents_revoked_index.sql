-- Issue 19: every attempt checks whether any consent on file for its member was revoked. Driven from the member's
-- verifications, that check read every earlier verification of the member (a census that repeats members, or months
-- of nightly re-verification, made each attempt slower than the last). Revocations are rare: this index lets the check
-- start from the revoked consents instead, usually none.
CREATE INDEX IF NOT EXISTS ix_consents_revoked ON consents (revoked_at) WHERE revoked_at IS NOT NULL;
