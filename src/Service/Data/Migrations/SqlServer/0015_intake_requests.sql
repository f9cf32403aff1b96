-- Requests from the website's "Verify Coverage Today" form (issue #18); see Sqlite/0015_intake_requests.sql for what
-- each column means. PHI is in payload_cipher only.
IF OBJECT_ID(N'dbo.intake_requests', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.intake_requests (
        id               uniqueidentifier   NOT NULL CONSTRAINT pk_intake_requests PRIMARY KEY,
        reference        varchar(16)        NOT NULL CONSTRAINT uq_intake_requests_reference UNIQUE,
        created_at       datetimeoffset(7)  NOT NULL,
        callback_status  varchar(16)        NOT NULL CONSTRAINT df_intake_requests_status DEFAULT 'new'
                                            CONSTRAINT ck_intake_requests_status CHECK (callback_status IN ('new', 'called', 'reached', 'closed')),
        payer_known      bit                NOT NULL,
        payer_id         varchar(32)        NULL,
        consent_id       uniqueidentifier   NULL CONSTRAINT fk_intake_requests_consent REFERENCES dbo.consents (id),
        verification_id  uniqueidentifier   NULL CONSTRAINT fk_intake_requests_verification REFERENCES dbo.verifications (id),
        form_token_id    varchar(64)        NOT NULL CONSTRAINT uq_intake_requests_form_token UNIQUE,
        payload_cipher   varbinary(max)     NOT NULL,
        updated_at       datetimeoffset(7)  NOT NULL,
        updated_by       nvarchar(128)      NULL
    );
    CREATE INDEX ix_intake_requests_status ON dbo.intake_requests (callback_status, created_at);
END;
GO
