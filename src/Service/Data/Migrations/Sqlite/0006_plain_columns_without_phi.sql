-- #14: plain columns hold codes and our own wording only. Before this, last_error copied the payer's free-text AAA
-- message (payers echo names and dates of birth there) and census errors quoted the rejected value. The payer's text
-- stays in the encrypted result; the census is not kept, so its rejected lines keep their code and a generic reason.
-- Running this again changes nothing more.
UPDATE verifications
SET last_error = 'AAA ' || COALESCE(last_error_code, 'unknown')
WHERE last_error LIKE 'AAA %' AND last_error <> 'AAA ' || COALESCE(last_error_code, 'unknown');

UPDATE verifications
SET last_error = 'The clearinghouse''s answer could not be read; the reasons are in the verification''s warnings.'
WHERE last_error_code = 'unreadable-answer' AND last_error LIKE '%could not be read:%';

UPDATE batch_rows
SET error = 'This line was rejected (' || error_code || '); correct it and upload it again to see the reason.'
WHERE error_code IN ('invalid-value', 'invalid-date', 'unknown-payer', 'invalid-header')
  AND (error LIKE '%"%' OR error LIKE '%unexpected column(s)%');
