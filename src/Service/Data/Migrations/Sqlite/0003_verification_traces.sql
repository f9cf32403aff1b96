-- The W3C trace context (traceparent) of the request that created a verification, so the worker's later attempts
-- join that trace: API -> worker -> clearinghouse. Written only while traces are exported (OpenTelemetry:Otlp:Endpoint);
-- not PHI. A table of its own because SQLite cannot add a column only when it is missing, and every script here must
-- be safe to run again.
CREATE TABLE IF NOT EXISTS verification_traces (
    verification_id  TEXT  NOT NULL PRIMARY KEY REFERENCES verifications (id),
    trace_parent     TEXT  NOT NULL
);
