-- CoverageCheck schema, SQLite dialect. Keep in step with SqlServer/0001_initial_schema.sql.
-- Idempotent: every object is created only when missing.
-- Types: GUIDs are upper-case TEXT, timestamps ISO-8601 TEXT in UTC, dates 'yyyy-MM-dd' TEXT, ciphertext BLOB.
-- Columns named *_cipher hold AES-256-GCM ciphertext; PHI is never stored in any other column.

CREATE TABLE IF NOT EXISTS batches (
    id            TEXT    NOT NULL PRIMARY KEY,
    status        TEXT    NOT NULL DEFAULT 'accepted' CHECK (status IN ('accepted', 'running', 'completed')),
    row_count     INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT    NOT NULL,
    created_by    TEXT    NOT NULL,
    completed_at  TEXT    NULL
);

CREATE TABLE IF NOT EXISTS verifications (
    id                        TEXT    NOT NULL PRIMARY KEY,
    status                    TEXT    NOT NULL CHECK (status IN ('queued', 'in-progress', 'completed', 'failed', 'needs-review')),
    payer_id                  TEXT    NOT NULL,
    member_key                TEXT    NOT NULL,
    payload_cipher            BLOB    NOT NULL,
    result_cipher             BLOB    NULL,
    attempts                  INTEGER NOT NULL DEFAULT 0,
    next_attempt_at           TEXT    NOT NULL,
    lease_owner               TEXT    NULL,
    lease_expires_at          TEXT    NULL,
    last_error_code           TEXT    NULL,
    last_error                TEXT    NULL,
    created_at                TEXT    NOT NULL,
    created_by                TEXT    NOT NULL,
    updated_at                TEXT    NOT NULL,
    checked_at                TEXT    NULL,
    completed_at              TEXT    NULL,
    idempotency_key           TEXT    NULL,
    batch_id                  TEXT    NULL REFERENCES batches (id),
    batch_line                INTEGER NULL,
    program_end               TEXT    NULL,
    previous_verification_id  TEXT    NULL REFERENCES verifications (id),
    version                   INTEGER NOT NULL DEFAULT 1
);

-- Idempotent POSTs: one verification per (caller, Idempotency-Key), stored as a hash of both.
CREATE UNIQUE INDEX IF NOT EXISTS ux_verifications_idempotency_key
    ON verifications (idempotency_key) WHERE idempotency_key IS NOT NULL;
-- The worker's claim: due queued work, and in-progress work whose lease expired.
CREATE INDEX IF NOT EXISTS ix_verifications_claim_due
    ON verifications (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS ix_verifications_claim_lease
    ON verifications (status, lease_expires_at);
-- The admissions work queue: newest first, optionally by status.
CREATE INDEX IF NOT EXISTS ix_verifications_created
    ON verifications (created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_verifications_status_created
    ON verifications (status, created_at DESC, id DESC);
-- Nightly re-verification: the latest completed check per member.
CREATE INDEX IF NOT EXISTS ix_verifications_member_completed
    ON verifications (member_key, completed_at DESC);
CREATE INDEX IF NOT EXISTS ix_verifications_batch
    ON verifications (batch_id, batch_line) WHERE batch_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS verification_changes (
    id                        INTEGER PRIMARY KEY AUTOINCREMENT,
    verification_id           TEXT    NOT NULL REFERENCES verifications (id),
    previous_verification_id  TEXT    NULL REFERENCES verifications (id),
    kind                      TEXT    NOT NULL,
    detail                    TEXT    NOT NULL,
    detected_at               TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_verification_changes_verification
    ON verification_changes (verification_id);
CREATE INDEX IF NOT EXISTS ix_verification_changes_detected
    ON verification_changes (detected_at DESC);

CREATE TABLE IF NOT EXISTS batch_rows (
    batch_id         TEXT    NOT NULL REFERENCES batches (id),
    line_number      INTEGER NOT NULL,
    patient_ref      TEXT    NULL,
    verification_id  TEXT    NULL REFERENCES verifications (id),
    error_code       TEXT    NULL,
    error            TEXT    NULL,
    PRIMARY KEY (batch_id, line_number),
    CHECK ((verification_id IS NULL) <> (error_code IS NULL))
);

-- Append-only trail of every read and write of protected health information (HIPAA, 42 CFR Part 2).
CREATE TABLE IF NOT EXISTS audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    role         TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    record_type  TEXT    NOT NULL,
    record_id    TEXT    NOT NULL,
    purpose      TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_audit_log_record
    ON audit_log (record_type, record_id, id);
CREATE INDEX IF NOT EXISTS ix_audit_log_actor
    ON audit_log (actor, at);

CREATE TRIGGER IF NOT EXISTS audit_log_refuse_update
BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER IF NOT EXISTS audit_log_refuse_delete
BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Local staff accounts for the staff pages.
CREATE TABLE IF NOT EXISTS users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    username       TEXT    NOT NULL COLLATE NOCASE,
    password_hash  TEXT    NOT NULL,
    roles          TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_users_username
    ON users (username);
