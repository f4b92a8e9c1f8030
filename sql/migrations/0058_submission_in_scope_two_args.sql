-- 0058_submission_in_scope_two_args: app.submission_in_scope no longer takes
-- the municipality it did not read (sql/functions/submissions.sql defines
-- the new (school, region) one).
drop function if exists app.submission_in_scope(bigint, bigint, bigint);
