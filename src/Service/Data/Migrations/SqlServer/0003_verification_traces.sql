-- The W3C trace context (traceparent) of the request that created a verification, so the worker's later attempts
-- join that trace: API -> worker -> clearinghouse. Written only while traces are exported (OpenTelemetry:Otlp:Endpoint);
-- not PHI. A table of its own, as in the SQLite dialect (which cannot add a column only when it is missing).
IF OBJECT_ID(N'dbo.verification_traces', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.verification_traces (
        verification_id  uniqueidentifier  NOT NULL CONSTRAINT pk_verification_traces PRIMARY KEY
                                           CONSTRAINT fk_verification_traces_verification REFERENCES dbo.verifications (id),
        trace_parent     varchar(55)       NOT NULL
    );
END;
