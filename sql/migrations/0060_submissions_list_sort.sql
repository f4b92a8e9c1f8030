-- 0060_submissions_list_sort: app.submissions_list takes with_not_started and
-- sort (sql/functions/submissions.sql defines the new one).
drop function if exists app.submissions_list(bigint, text, bigint, integer, integer);
