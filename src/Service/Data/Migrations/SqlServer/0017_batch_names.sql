-- The census a batch ran (issue #19); see Sqlite/0017_batch_names.sql.
IF OBJECT_ID(N'dbo.batch_names', N'U') IS NULL
BEGIN
    CREATE TABLE dbo.batch_names (
        batch_id  uniqueidentifier  NOT NULL CONSTRAINT pk_batch_names PRIMARY KEY
                                    CONSTRAINT fk_batch_names_batch REFERENCES dbo.batches (id),
        name      nvarchar(128)     NOT NULL
    );
    CREATE INDEX ix_batch_names_name ON dbo.batch_names (name);
END;
GO
