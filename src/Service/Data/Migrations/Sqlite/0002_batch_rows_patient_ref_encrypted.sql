-- batch_rows.patient_ref now holds the census patient_ref encrypted (BatchStore.PatientRefColumn). SQLite's TEXT has
-- no length, so the column needs no change here; this script keeps the two dialects' migrations numbered alike.
SELECT 1;
