-- A patient's phone number as its digits alone, a leading NANP country
-- code 1 dropped (see models.PhoneDigits), so that a search by phone finds
-- "(555) 010-2020" from "5550102020" or "+1 555 010 2020". Phone numbers
-- hold only digits, spaces and + ( ) - . (the records service checks it),
-- so removing those characters leaves the digits.
ALTER TABLE patients ADD COLUMN phone_digits TEXT NOT NULL DEFAULT '';
--bun:split
UPDATE patients SET phone_digits = REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(phone, ' ', ''), '(', ''), ')', ''), '-', ''), '.', ''), '+', '');
--bun:split
UPDATE patients SET phone_digits = SUBSTR(phone_digits, 2) WHERE LENGTH(phone_digits) = 11 AND SUBSTR(phone_digits, 1, 1) = '1';
--bun:split
CREATE INDEX patients_org_phone_digits ON patients (organization_id, phone_digits);
