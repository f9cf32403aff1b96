-- Carve-outs (issue #16, http-api.md "Carve-outs"): a verification whose plan hands behavioural-health benefits to a
-- configured administrator gets a linked verification to that administrator (the child); the parent's estimate comes
-- from the child's benefits. One child per parent. No PHI: ids only (the administrator and the member ID asked are in
-- the child's encrypted payload).
CREATE TABLE IF NOT EXISTS verification_carve_outs (
    parent_id   TEXT  NOT NULL PRIMARY KEY REFERENCES verifications (id),
    child_id    TEXT  NOT NULL UNIQUE REFERENCES verifications (id),
    created_at  TEXT  NOT NULL
);
