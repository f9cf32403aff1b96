-- batch_rows.patient_ref now holds the census patient_ref encrypted (BatchStore.PatientRefColumn): "phi1:" and the
-- base64 of PhiProtector's AES-GCM output, about 560 characters for the 128 characters kept. Rows written before
-- stay as they were and are read as plain text. Altering a column to the type it already has changes nothing, so
-- this script can run again.
ALTER TABLE dbo.batch_rows ALTER COLUMN patient_ref nvarchar(800) NULL;
