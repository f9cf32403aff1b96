-- Staff sessions held on the server (issue #14): the session cookie names one row by a random id, stored here only as
-- its SHA-256, and every request checks the row is still open. Signing out, disabling the account (`users disable`)
-- or the session's end closes it, so a copied cookie stops working at once.
CREATE TABLE IF NOT EXISTS staff_sessions (
    id_hash       TEXT    NOT NULL PRIMARY KEY,
    user_id       INTEGER NULL REFERENCES users (id),
    user_name     TEXT    NOT NULL,
    method        TEXT    NOT NULL CHECK (method IN ('pwd', 'oidc')),
    created_at    TEXT    NOT NULL,
    expires_at    TEXT    NOT NULL,
    ended_at      TEXT    NULL,
    ended_reason  TEXT    NULL
);
CREATE INDEX IF NOT EXISTS ix_staff_sessions_user
    ON staff_sessions (user_id) WHERE user_id IS NOT NULL;

-- Who acted, by kind: api-key, local-user, sso-user, bearer-token, worker, operator or anonymous; one row per audit
-- row written since. A table of its own because SQLite cannot add a column only when it is missing, and every script
-- here must be safe to run again. Append-only like audit_log.
CREATE TABLE IF NOT EXISTS audit_actor_kinds (
    audit_id    INTEGER NOT NULL PRIMARY KEY REFERENCES audit_log (id),
    actor_kind  TEXT    NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_actor_kinds_refuse_update
BEFORE UPDATE ON audit_actor_kinds
BEGIN
    SELECT RAISE(ABORT, 'audit_actor_kinds is append-only');
END;
CREATE TRIGGER IF NOT EXISTS audit_actor_kinds_refuse_delete
BEFORE DELETE ON audit_actor_kinds
BEGIN
    SELECT RAISE(ABORT, 'audit_actor_kinds is append-only');
END;
