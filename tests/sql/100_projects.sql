-- Projects and their participating schools (issue 5): who creates and sees
-- them, versions, groups, removal, and the CSV import with a dry run — a
-- file with any bad line, or a dry run, stores nothing.
-- The CSV is streamed exactly as the C layer does it (docs/design.md):
-- project_schools_import_begin(), COPY … FROM STDIN (FORMAT csv, DELIMITER
-- ';', HEADER match), project_schools_import(project, dry_run).
begin;
\ir fixtures.psql
select plan(35);

select pg_temp.act_as('t-committee');
select app.project_create('{"title": "  Школы с НОР ", "description": "Проект", "starts_on": "2024-01-01",
                            "order_number": "15-р", "order_date": "2024-02-01"}')::jsonb as p1 \gset
reset role;
select is((:'p1'::jsonb) - 'id',
  '{"title": "Школы с НОР", "description": "Проект", "starts_on": "2024-01-01", "ends_on": null, "lead": "committee",
    "lead_name": "Комитет образования Тестовой области", "order_number": "15-р", "order_date": "2024-02-01",
    "school_count": 0, "groups": {"low_results": 0, "risk_zone": 0, "academic_failure": 0}, "version": 1}'::jsonb,
  'project_create returns the project of the committee''s region, trimmed, version 1');
select (:'p1'::jsonb ->> 'id')::bigint as p1_id \gset

select pg_temp.act_as('t-committee');
select is(pg_temp.error_of($$ select app.project_create('{"title": "X", "starts_on": "2024-02-30", "order_number": "1"}') $$) -> 'hint',
  '[{"field": "starts_on", "code": "invalid", "message": "Дата в формате ГГГГ-ММ-ДД"}]'::jsonb,
  'a date that does not exist is refused');
select is(pg_temp.error_of($$ select app.project_create('{"title": "X", "starts_on": "2024-02-01", "order_number": "1"}') $$) -> 'hint',
  '[{"field": "order_date", "code": "required", "message": "Укажите дату распоряжения"}]'::jsonb,
  'an approving order needs both its number and its date');
select is(pg_temp.error_of(format('select app.project_update(%s, 7, %L)', :p1_id, '{"title": "Y"}')) ->> 'detail',
  'conflict.stale_version', 'a stale version is refused with conflict.stale_version');
select is(app.project_update(:p1_id, 1, '{"ends_on": "2026-12-31"}') ->> 'version', '2',
  'a real change moves the version');
reset role;

select pg_temp.act_as('t-loiro');
select is(pg_temp.error_of($$ select app.project_create('{"title": "X", "starts_on": "2024-01-01"}') $$) ->> 'sqlstate',
  '42501', 'ЛОИРО cannot create projects');
reset role;
select pg_temp.act_as('t-committee2');
select is(app.project_get(:p1_id)::jsonb, null, 'a committee does not see another region''s project');
select is(pg_temp.error_of(format('select app.project_update(%s, null, %L)', :p1_id, '{"title": "Y"}')) ->> 'sqlstate',
  'OR404', 'nor change it');
reset role;

-- Participating schools ------------------------------------------------------------------------
select pg_temp.act_as('t-committee');
select is(app.project_school_add(:p1_id, jsonb_build_object('school_id', pg_temp.fx('school:T1-A-1'), 'group', 'low_results',
                                                            'unfavorable_conditions', true))::jsonb,
  jsonb_build_object('created', true, 'school', jsonb_build_object(
    'school_id', pg_temp.fx('school:T1-A-1'), 'code', 'T1-A-1', 'name', 'Средняя школа № 1 Альфинска',
    'short_name', 'СОШ № 1 Альфинск', 'municipality_id', pg_temp.fx('municipality:T1-A'),
    'municipality_name', 'Альфинский район', 'group', 'low_results',
    'group_label', 'низкие образовательные результаты', 'unfavorable_conditions', true)),
  'the committee adds a school of its region with its group and flag');
select is(app.project_school_add(:p1_id, jsonb_build_object('school_id', pg_temp.fx('school:T1-B-1'), 'group', 'risk_zone')) -> 'school' ->> 'unfavorable_conditions',
  'false', 'the flag defaults to the school''s own');
select is(app.project_school_add(:p1_id, jsonb_build_object('school_id', pg_temp.fx('school:T1-B-1'), 'group', 'academic_failure')) ->> 'created',
  'false', 'adding a participating school again changes its group');
select is(pg_temp.error_of(format('select app.project_school_add(%s, %L)', :p1_id,
            jsonb_build_object('school_id', pg_temp.fx('school:T2-A-1'), 'group', 'bad'))) -> 'hint',
  '[{"field": "school_id", "code": "not_found", "message": "Школа не найдена"},
    {"field": "group", "code": "invalid", "message": "Допустимые группы: low_results, risk_zone, academic_failure"}]'::jsonb,
  'a school of another region and an unknown group are refused');
reset role;

select pg_temp.act_as('t-school-a1');
select is((app.projects_list(null, null) -> 'items' -> 0 ->> 'id')::bigint, :p1_id::bigint, 'a school sees the project it takes part in');
select is((app.project_schools_list(:p1_id, null, null, null, null) ->> 'total')::int, 1, 'and only its own participation');
reset role;
select pg_temp.act_as('t-school-a2');
select is(app.projects_list(null, null) ->> 'total', '0', 'a school that does not take part sees no project');
select is(app.project_schools_list(:p1_id, null, null, null, null)::jsonb, null, 'its school list is a 404 (NULL)');
reset role;
select pg_temp.act_as('t-mun-a');
select is((select jsonb_agg(i ->> 'code') from jsonb_array_elements(app.project_schools_list(:p1_id, null, null, null, null)::jsonb -> 'items') i),
  '["T1-A-1"]'::jsonb, 'a municipality sees its own schools'' participation only');
reset role;
select pg_temp.act_as('t-committee');
select is((select jsonb_agg(i ->> 'group') from jsonb_array_elements(app.project_schools_list(:p1_id, null, null, null, null)::jsonb -> 'items') i),
  '["low_results", "academic_failure"]'::jsonb, 'the committee sees every participation of its region, by municipality');
select is(app.project_get(:p1_id)::jsonb -> 'groups', '{"low_results": 1, "risk_zone": 0, "academic_failure": 1}'::jsonb,
  'the project counts its schools per group');
select lives_ok(format('select app.project_school_remove(%s, %s)', :p1_id, pg_temp.fx('school:T1-B-1')),
  'the committee removes a school from its project');
select is(pg_temp.error_of(format('select app.project_school_remove(%s, %s)', :p1_id, pg_temp.fx('school:T1-B-1'))) ->> 'sqlstate',
  'OR404', 'removing a school that does not take part is a 404');
reset role;
select pg_temp.act_as('t-committee2');
select is(pg_temp.error_of(format('select app.project_school_remove(%s, %s)', :p1_id, pg_temp.fx('school:T1-A-1'))) ->> 'sqlstate',
  'OR404', 'another region''s committee cannot remove schools (definer function checks the region)');
reset role;

-- CSV import -----------------------------------------------------------------------------------
select pg_temp.act_as('t-committee');
select app.project_schools_import_begin();
copy pg_temp.project_school_csv (school_code, "group", unfavorable_conditions) from stdin (format csv, delimiter ';', header match);
school_code;group;unfavorable_conditions
T1-A-2;risk_zone;1
"T1-B-1";academic_failure;0
T1-A-1; low_results ;0
\.
select is(app.project_schools_import(:p1_id, true)::jsonb, '{"imported": 0, "would_import": 3}'::jsonb,
  'a good file on a dry run reports what it would import');
select is((select count(*)::int from app.project_schools where project_id = :p1_id), 1, 'the dry run stored nothing');
select is(app.project_schools_import(:p1_id, false)::jsonb, '{"imported": 3, "would_import": 3}'::jsonb,
  'the same file imported for real');
select results_eq(format($$ select s.code, ps.school_group, ps.unfavorable_conditions from app.project_schools ps
                            join app.schools s on s.id = ps.school_id where ps.project_id = %s order by 1 $$, :p1_id),
  $$ values ('T1-A-1', 'low_results', false), ('T1-A-2', 'risk_zone', true), ('T1-B-1', 'academic_failure', false) $$,
  'every line is stored (quoted fields and spaces handled), an existing school gets the file''s group and flag');
reset role;
select results_eq($$ select action, count(*)::int from app.audit_log where entity = 'project_schools'
                     and role = 'committee' and user_id = pg_temp.fx('user:t-committee') group by 1 order by 1 $$,
  $$ values ('delete', 1), ('insert', 4), ('update', 2) $$,
  'every change of participations is audited as the committee: 2 adds, a group change, a removal, then 2 new lines and 1 changed line (an unchanged line writes nothing)');

select pg_temp.act_as('t-committee');
select app.project_schools_import_begin();
copy pg_temp.project_school_csv (school_code, "group", unfavorable_conditions) from stdin (format csv, delimiter ';', header match);
school_code;group;unfavorable_conditions
T1-A-2;low_results;0
NOPE-1;risk_zone;0
T2-A-1;risk_zone;1
T1-B-1;middle;2
;risk_zone;0
T1-A-2;risk_zone;1
\.
select is(pg_temp.error_of(format('select app.project_schools_import(%s, false)', :p1_id)) - 'hint',
  '{"sqlstate": "OR422", "detail": "import.invalid_lines", "message": "Файл не загружен: ошибки в строках — 5"}'::jsonb,
  'a file with bad lines is refused with import.invalid_lines');
select is(pg_temp.error_of(format('select app.project_schools_import(%s, false)', :p1_id)) -> 'hint',
  '[{"line": 3, "field": "school_code", "code": "not_found", "message": "Строка 3: школа с кодом «NOPE-1» не найдена"},
    {"line": 4, "field": "school_code", "code": "not_found", "message": "Строка 4: школа с кодом «T2-A-1» не найдена"},
    {"line": 5, "field": "group", "code": "invalid", "message": "Строка 5: группа «middle» не из списка: low_results, risk_zone, academic_failure"},
    {"line": 5, "field": "unfavorable_conditions", "code": "invalid", "message": "Строка 5: признак «неблагоприятные социальные условия» — 0 или 1"},
    {"line": 6, "field": "school_code", "code": "required", "message": "Строка 6: не указан код школы"},
    {"line": 7, "field": "school_code", "code": "duplicate", "message": "Строка 7: школа «T1-A-2» уже указана в строке 2"}]'::jsonb,
  'every bad line is reported with its line number (header = line 1): unknown, other region (not_found too), bad group, bad flag, missing code, duplicate');
select results_eq(format($$ select s.code, ps.school_group from app.project_schools ps
                            join app.schools s on s.id = ps.school_id where ps.project_id = %s order by 1 $$, :p1_id),
  $$ values ('T1-A-1', 'low_results'), ('T1-A-2', 'risk_zone'), ('T1-B-1', 'academic_failure') $$,
  'a mixed file (a good line among bad ones) stores nothing: line 2 did not change T1-A-2');
select is(pg_temp.error_of(format('select app.project_schools_import(%s, true)', :p1_id)) ->> 'detail',
  'import.invalid_lines', 'a dry run of a bad file reports the same errors');

select is(pg_temp.error_of($$ select app.project_schools_import_copy_error('22P04', 'COPY project_school_csv, line 4: "T1-A-1;low_results"') $$) -> 'hint',
  '[{"line": 4, "field": "file", "code": "format", "message": "Строка 4: ожидается три поля через «;»: код школы;группа;0 или 1"}]'::jsonb,
  'a line COPY cannot parse is reported with the line from the error context');
select is(pg_temp.error_of($$ select app.project_schools_import_copy_error('22P04', 'COPY project_school_csv, line 1: "code;group"') $$) -> 'hint' -> 0 ->> 'code',
  'header', 'a wrong header is reported on line 1');
select is(pg_temp.error_of('select app.project_schools_import(0, false)') ->> 'sqlstate', 'OR404',
  'importing into an unknown project is a 404');
reset role;

select ok(not has_table_privilege('orientir_committee', 'app.project_schools', 'DELETE')
          and not has_any_column_privilege('orientir_loiro', 'app.project_schools', 'INSERT, UPDATE')
          and not has_any_column_privilege('orientir_municipality', 'app.projects', 'INSERT, UPDATE'),
  'only the committee writes projects and participations, and nobody deletes rows directly');

select * from finish();
rollback;
