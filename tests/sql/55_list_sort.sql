-- Sorting of the paged lists in SQL (issue 11): the functions check p_sort
-- themselves (the API's allow-list is not the only guard), order by it with
-- ties in the default order, and sort_errors names every allowed value.
begin;
\ir fixtures.psql
select plan(18);

select is(app.sort_errors(null, array['code', 'name']), '[]'::jsonb, 'no sort is no error');
select is(app.sort_errors('-name', array['code', 'name']), '[]'::jsonb, 'a descending field of the list is allowed');
select is(app.sort_errors('id', array['code', 'name']),
  jsonb_build_array(jsonb_build_object('field', 'sort', 'code', 'invalid',
                                       'message', 'Допустимый порядок: code, -code, name, -name')),
  'another value is one error: field sort, code invalid, each field then its -field');

select pg_temp.act_as('t-committee');
select is(pg_temp.error_of($$ select app.schools_list(null, null, 50, 0, 'id') $$) ->> 'sqlstate', 'OR422',
  'schools_list refuses a sort outside its list');
select is(pg_temp.error_of($$ select app.users_list(null, null, null, 50, 0, '--login') $$) -> 'hint' -> 0 ->> 'field', 'sort',
  'users_list names the sort field');
select is(pg_temp.error_of($$ select app.campaigns_list(null, 50, 0, 'status') $$) -> 'hint' -> 0 ->> 'code', 'invalid',
  'campaigns_list: code invalid');
select is(pg_temp.error_of($$ select app.projects_list(50, 0, 'lead') $$) ->> 'sqlstate', 'OR422', 'projects_list refuses lead');
select is(pg_temp.error_of($$ select app.documents_list(null, null, 50, 0, 'kind') $$) ->> 'sqlstate', 'OR422', 'documents_list refuses kind');
select is(pg_temp.error_of($$ select app.assignments_list(null, null, null, null, null, null, 50, 0, 'id') $$) ->> 'sqlstate', 'OR422',
  'assignments_list refuses id');
select is(pg_temp.error_of($$ select app.programs_list(null, null, null, null, 50, 0, 'title') $$) ->> 'sqlstate', 'OR422',
  'programs_list refuses title');
select is(pg_temp.error_of($$ select app.practices_list(null, null, 50, 0, 'body') $$) ->> 'sqlstate', 'OR422',
  'practices_list refuses body');
select is(pg_temp.error_of($$ select app.municipalities_list(null, 50, 0, 'region_id') $$) ->> 'sqlstate', 'OR422',
  'municipalities_list refuses region_id');
select is(pg_temp.error_of($$ select app.instruments_list(null, 50, 0, 'version') $$) ->> 'sqlstate', 'OR422',
  'instruments_list refuses version');
select is(pg_temp.error_of($$ select app.project_schools_list(1, null, null, 50, 0, 'name') $$) ->> 'sqlstate', 'OR422',
  'project_schools_list refuses name');
select is(pg_temp.error_of($$ select app.partnerships_list(null, 50, 0, 'id') $$) ->> 'sqlstate', 'OR422',
  'partnerships_list refuses id');
select is(pg_temp.error_of($$ select app.deficits_summary(1, null, 50, 0, 'critical') $$) ->> 'sqlstate', 'OR422',
  'deficits_summary refuses critical');
select is(pg_temp.error_of($$ select app.report_schools(1, null, 50, 0, 'level') $$) ->> 'sqlstate', 'OR422',
  'report_schools refuses level');
select results_eq($$ select i ->> 'code' from json_array_elements(app.schools_list(null, null, 50, 0, '-code') -> 'items') i $$,
  $$ select code from app.schools order by code desc $$,
  'schools_list sort=-code: every visible school by code, descending');
reset role;

select * from finish();
rollback;
