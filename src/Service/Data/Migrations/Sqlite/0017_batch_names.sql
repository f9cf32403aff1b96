-- The census a batch ran (issue #19): its name (the uploaded file's name, ?name=, or "nightly re-verification"), so a
-- report's changes are against the last run of the same census, not whichever batch came before. A census name is
-- the program's own label (e.g. "census-december.csv"), not patient data; at most 128 characters.
CREATE TABLE IF NOT EXISTS batch_names (
    batch_id  TEXT  NOT NULL PRIMARY KEY REFERENCES batches (id),
    name      TEXT  NOT NULL COLLATE NOCASE
);
CREATE INDEX IF NOT EXISTS ix_batch_names_name ON batch_names (name);
