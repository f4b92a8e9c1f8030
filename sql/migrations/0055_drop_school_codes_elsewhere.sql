-- 0055_drop_school_codes_elsewhere: the CSV import answers not_found for a school
-- of another region, as for an unknown code, so it no longer asks which codes
-- exist elsewhere (that told a committee which school codes other regions have).
drop function if exists app.school_codes_elsewhere(text[]);
