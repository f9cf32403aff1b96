-- #14: plain columns hold codes and our own wording only. Before this, last_error copied the payer's free-text AAA
-- message (payers echo names and dates of birth there) and census errors quoted the rejected value. The payer's text
-- stays in the encrypted result; the census is not kept, so its rejected lines keep their code and a generic reason.
-- Running this again changes nothing more.
UPDATE dbo.verifications
SET last_error = N'AAA ' + COALESCE(last_error_code, 'unknown')
WHERE last_error LIKE N'AAA %' AND last_error <> N'AAA ' + COALESCE(last_error_code, 'unknown');

UPDATE dbo.verifications
SET last_error = N'The clearinghouse''s answer could not be read; the reasons are in the verification''s warnings.'
WHERE last_error_code = 'unreadable-answer' AND last_error LIKE N'%could not be read:%';

UPDATE dbo.batch_rows
SET error = N'This line was rejected (' + error_code + N'); correct it and upload it again to see the reason.'
WHERE error_code IN ('invalid-value', 'invalid-date', 'unknown-payer', 'invalid-header')
  AND (error LIKE N'%"%' OR error LIKE N'%unexpected column(s)%');
