-- 0063_more_lists_sort: the rest of the paged lists take p_sort (text, last,
-- default NULL) as 0061's do; sql/functions/<domain>.sql defines the new
-- ones. The old signatures go, or a call without p_sort would match both.
drop function if exists app.municipalities_list(bigint, integer, integer);
drop function if exists app.instruments_list(text, integer, integer);
drop function if exists app.project_schools_list(bigint, text, bigint, integer, integer);
drop function if exists app.partnerships_list(bigint, integer, integer);
drop function if exists app.indicator_mentors(bigint, bigint, integer, integer);
drop function if exists app.deficits_summary(bigint, bigint, integer, integer);
drop function if exists app.report_schools(bigint, bigint, integer, integer);
