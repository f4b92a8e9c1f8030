-- 0057_shared_list_helpers: helpers replaced by shared ones in
-- sql/functions/shared.sql — the paging check (app.paging, which also
-- returns the limit and offset) and the OR404 raisers (app.raise_not_found).
drop function if exists app.check_paging(integer, integer);
drop function if exists app.raise_submission_not_found();
drop function if exists app.raise_report_not_found();
