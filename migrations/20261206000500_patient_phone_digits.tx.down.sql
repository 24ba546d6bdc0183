DROP INDEX patients_org_phone_digits;
--bun:split
ALTER TABLE patients DROP COLUMN phone_digits;
