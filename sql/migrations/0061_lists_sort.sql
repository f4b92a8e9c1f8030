-- 0061_lists_sort: the paged lists take p_sort (text, last, default NULL);
-- sql/functions/<domain>.sql defines the new ones. The old signatures go,
-- or a call without p_sort would match both.
drop function if exists app.schools_list(bigint, text, integer, integer);
drop function if exists app.users_list(text, bigint, bigint, integer, integer);
drop function if exists app.campaigns_list(text, integer, integer);
drop function if exists app.projects_list(integer, integer);
drop function if exists app.documents_list(text, bigint, integer, integer);
drop function if exists app.assignments_list(boolean, boolean, text, bigint, bigint, text, integer, integer);
drop function if exists app.practices_list(bigint, text, integer, integer);
drop function if exists app.programs_list(text, bigint, bigint, bigint, integer, integer);
