-- Control of execution (issue 5): documents and nested items, executors and
-- their records, who sees which record, who reports and who reviews,
-- overdue and due-soon computed from the deadline in Europe/Moscow, reports
-- again after a return, versions, audit, municipal road maps.
-- Fixture region T1: municipalities T1-A (schools T1-A-1, T1-A-2), T1-B
-- (T1-B-1); region T2 is foreign.
begin;
\ir fixtures.psql
select plan(51);

create function pg_temp.day(n integer) returns text language sql stable
as $$ select to_char(app.moscow_today() + n, 'YYYY-MM-DD') $$;
-- The record of an item number and executor key ('municipality:T1-A', 'school:T1-A-1', 'loiro', …).
create function pg_temp.rec(p_doc bigint, p_number text, p_executor text) returns bigint language sql stable
as $$
  select a.id from app.assignments a join app.document_items i on i.id = a.item_id
  where a.document_id = p_doc and i.number = p_number
    and case when p_executor in ('committee', 'loiro') then a.executor_kind = p_executor
             when p_executor like 'municipality:%' then a.executor_kind = 'municipality'
                                                     and a.municipality_id = pg_temp.fx(p_executor)
             else a.school_id = pg_temp.fx(p_executor) end
$$;

-- A committee order with four items ----------------------------------------------------------
select pg_temp.act_as('t-committee');
select (app.document_create('{"kind": "order", "number": "12-р", "date": "2024-03-01", "title": "О мерах"}') ->> 'id')::bigint as doc \gset
select app.document_items_create(:doc, jsonb_build_array(
  jsonb_build_object('number', '1.', 'content', 'Всем муниципалитетам', 'deadline', pg_temp.day(-1),
                     'executors', '[{"kind": "all_municipalities"}]'::jsonb),
  jsonb_build_object('number', '1.1', 'content', 'Школе', 'deadline', pg_temp.day(3), 'expected_result', 'Справка',
                     'executors', jsonb_build_array(jsonb_build_object('kind', 'school', 'id', pg_temp.fx('school:T1-A-1')))),
  jsonb_build_object('number', '1.1.2', 'content', 'Институту и комитету', 'deadline', pg_temp.day(30),
                     'deadline_text', 'в течение года', 'executors', '[{"kind": "loiro"}, {"kind": "committee"}]'::jsonb),
  jsonb_build_object('number', '2', 'content', 'Бетинскому району', 'deadline', pg_temp.day(-5),
                     'executors', jsonb_build_array(jsonb_build_object('kind', 'municipality', 'id', pg_temp.fx('municipality:T1-B')))),
  jsonb_build_object('number', '10', 'content', 'Раздел без исполнителей')))::jsonb as tree \gset
reset role;

select results_eq(format($$ select m.code from app.assignments a join app.municipalities m on m.id = a.municipality_id
                            where a.item_id = (select id from app.document_items where document_id = %s and number = '1')
                            order by 1 $$, :doc),
  $$ values ('T1-A'), ('T1-B') $$,
  'all_municipalities creates one record per municipality of the region (none of another region)');
select is((select jsonb_agg(jsonb_build_array(i ->> 'number', (select jsonb_agg(c ->> 'number') from jsonb_array_elements(i -> 'children') c)))
           from jsonb_array_elements(:'tree'::jsonb -> 'items') i),
  '[["1", ["1.1"]], ["2", null], ["10", null]]'::jsonb,
  'the item tree follows the numbers (a trailing dot dropped; 10 after 2)');
select is((:'tree'::jsonb #> '{items,0,children,0,children,0}') - array['id', 'assignments', 'version'],
  jsonb_build_object('number', '1.1.2', 'content', 'Институту и комитету', 'deadline', pg_temp.day(30),
                     'deadline_text', 'в течение года', 'expected_result', null, 'overdue', false, 'due_soon', false,
                     'executors', jsonb_build_array(
                       jsonb_build_object('kind', 'loiro', 'id', pg_temp.fx('region:T1'), 'name', 'Институт развития образования Тестовой области'),
                       jsonb_build_object('kind', 'committee', 'id', pg_temp.fx('region:T1'), 'name', 'Комитет образования Тестовой области')),
                     'children', '[]'::jsonb),
  '1.1.2 nests under 1.1 (its longest existing prefix) with its executors as named');
select is(:'tree'::jsonb #> '{items,0,executors}',
  '[{"kind": "all_municipalities", "id": null, "name": "Все муниципалитеты"}]'::jsonb,
  'an item for all municipalities shows that executor once');

select pg_temp.act_as('t-committee');
select is(pg_temp.error_of(format('select app.document_item_create(%s, %L)', :doc,
            '{"number": "2", "content": "x", "deadline": "2024-01-01", "executors": [{"kind": "committee"}]}')) -> 'hint',
  '[{"field": "number", "code": "taken", "message": "Пункт 2 уже есть в документе"}]'::jsonb,
  'an item number already in the document is refused');
select is(pg_temp.error_of(format('select app.document_items_create(%s, %L)', :doc,
            '[{"number": "3", "content": "x", "executors": [{"kind": "loiro"}]},
              {"number": "3", "content": "", "deadline": "2024-01-01", "executors": [{"kind": "municipality"}, {"kind": "school", "id": 999999}, {"kind": "loiro", "id": 1}, {"kind": "all_municipalities"}, {"kind": "all_municipalities"}]}]')) -> 'hint',
  '[{"field": "items[0].deadline", "code": "required", "message": "Укажите дату"},
    {"field": "items[1].number", "code": "duplicate", "message": "Пункт 3 указан дважды"},
    {"field": "items[1].content", "code": "required", "message": "Обязательное поле"},
    {"field": "items[1].executors[0].id", "code": "required", "message": "Укажите организацию"},
    {"field": "items[1].executors[1].id", "code": "not_found", "message": "Школа не найдена"},
    {"field": "items[1].executors[2].id", "code": "must_be_empty", "message": "Для этого исполнителя организацию указывать не нужно"},
    {"field": "items[1].executors[4]", "code": "duplicate", "message": "Исполнитель указан дважды"}]'::jsonb,
  'pasted items are checked together with paths like items[1].executors[0].id, and nothing is stored');
select is((select count(*)::int from app.document_items where document_id = :doc), 5, 'the refused paste stored nothing');
select is(pg_temp.error_of(format('select app.document_update(%s, 5, %L)', :doc, '{"title": "Новое"}')) ->> 'detail',
  'conflict.stale_version', 'a document edited with a stale version is refused');
select is(app.document_update(:doc, 1, '{"title": "О мерах поддержки"}') ->> 'version', '2', 'a document edit moves its version');
reset role;

-- Who sees which record --------------------------------------------------------------------------
select pg_temp.act_as('t-school-a1');
select results_eq($$ select (i ->> 'item_number') from json_array_elements(app.assignments_list(null, null, null, null, null, null, null, null) -> 'items') i $$,
  $$ values ('1.1') $$, 'a school sees only the records assigned to it');
select is((select count(*)::int from app.assignments), 1, 'RLS itself keeps a school to its own records');
select is((select jsonb_agg(i ->> 'number') from jsonb_array_elements(app.document_get(:doc)::jsonb -> 'items') i),
  '["1.1"]'::jsonb, 'and a school''s document view holds only its own item');
reset role;
select pg_temp.act_as('t-school-a2');
select is(app.document_get(:doc)::jsonb, null, 'a school with nothing assigned does not see the document');
reset role;
select pg_temp.act_as('t-mun-a');
select results_eq($$ select (i ->> 'item_number'), (i -> 'executor' ->> 'kind') from json_array_elements(app.assignments_list(null, null, null, null, null, null, null, null) -> 'items') i $$,
  $$ values ('1', 'municipality'), ('1.1', 'school') $$,
  'a municipality sees the records assigned to it or to its schools (overdue first), not another municipality''s');
select results_eq($$ select (i ->> 'item_number') from json_array_elements(app.assignments_list(true, null, null, null, null, null, null, null) -> 'items') i $$,
  $$ values ('1') $$, '«Мои поручения» of a municipality: only its own records');
reset role;
select pg_temp.act_as('t-loiro');
select is(app.assignments_list(null, null, null, null, null, null, null, null) ->> 'total', '6', 'ЛОИРО sees every record of its region');
select is(app.assignments_list(null, null, 'municipality:' || pg_temp.fx('municipality:T1-B'), null, null, null, null, null) ->> 'total', '2',
  'the executor filter picks one municipality''s records');
select is(app.assignments_list(null, null, null, null, pg_temp.fx('municipality:T1-A'), null, null, null) ->> 'total', '2',
  'the municipality filter takes a municipality and its schools');
reset role;
select pg_temp.act_as('t-committee2');
select is(app.assignments_list(null, null, null, null, null, null, null, null) ->> 'total', '0', 'another region''s committee sees no record');
select is(app.document_get(:doc)::jsonb, null, 'nor the document');
reset role;

-- Overdue and due soon -------------------------------------------------------------------------
select pg_temp.act_as('t-committee');
select results_eq($$ select i ->> 'item_number', i ->> 'status', (i ->> 'overdue')::boolean, (i ->> 'due_soon')::boolean
                     from json_array_elements(app.assignments_list(null, null, null, null, null, null, null, null) -> 'items') i $$,
  $$ values ('2', 'not_started', true, false), ('1', 'not_started', true, false), ('1', 'not_started', true, false),
            ('1.1', 'not_started', false, true), ('1.1.2', 'not_started', false, false), ('1.1.2', 'not_started', false, false) $$,
  'a deadline before today is overdue, within 7 days is due soon; overdue first, then by deadline');
select is(app.assignments_list(null, true, null, null, null, null, null, null) ->> 'total', '3', 'the overdue filter');
reset role;
select hasnt_column('app', 'assignments', 'overdue', 'overdue is never stored');

-- Reporting: only the executor, on its own record -------------------------------------------------
select pg_temp.rec(:doc, '1', 'municipality:T1-A') as rec_a, pg_temp.rec(:doc, '1', 'municipality:T1-B') as rec_b,
       pg_temp.rec(:doc, '1.1', 'school:T1-A-1') as rec_s, pg_temp.rec(:doc, '1.1.2', 'loiro') as rec_l \gset
select pg_temp.act_as('t-mun-a');
select is(pg_temp.error_of(format('select app.assignment_report(%s, null, %L)', :rec_b, '{"status": "done", "text": "x"}')) ->> 'sqlstate',
  'OR404', 'a municipality cannot report on another municipality''s record (not even visible)');
select is(pg_temp.error_of(format('select app.assignment_report(%s, null, %L)', :rec_s, '{"status": "done", "text": "x"}')) - 'hint',
  '{"sqlstate": "OR403", "detail": "auth.forbidden", "message": "Отчитаться может только исполнитель поручения"}'::jsonb,
  'a municipality cannot report on its school''s record');
select is(pg_temp.error_of(format('select app.assignment_report(%s, null, %L)', :rec_a,
            jsonb_build_object('status', 'finished', 'links', (select jsonb_agg('https://x.example/' || g) from generate_series(1, 11) g)))) -> 'hint',
  '[{"field": "status", "code": "invalid", "message": "Допустимо: not_started, in_progress, done"},
    {"field": "links", "code": "too_many", "message": "Не больше 10 ссылок"}]'::jsonb,
  'a report status outside not_started/in_progress/done and more than 10 links are refused');
select is(pg_temp.error_of(format('select app.assignment_report(%s, null, %L)', :rec_a,
            jsonb_build_object('status', 'done', 'links', jsonb_build_array('https://x.example/' || repeat('a', 490), 'ftp://x', 'https://ok.example/a')))) -> 'hint',
  '[{"field": "text", "code": "required", "message": "Обязательное поле"},
    {"field": "links[0]", "code": "too_long", "message": "Ссылка не длиннее 500 символов"},
    {"field": "links[1]", "code": "invalid", "message": "Ссылка должна начинаться с http:// или https://"}]'::jsonb,
  'a done report needs a text; each link is an http(s) URL of at most 500 characters');
select is((app.assignment_report(:rec_a, 1, '{"status": "in_progress", "text": "Идёт работа"}')::jsonb -> 'report') - 'at',
  jsonb_build_object('status', 'in_progress', 'text', 'Идёт работа', 'links', '[]'::jsonb,
                     'by', jsonb_build_object('id', pg_temp.fx('user:t-mun-a'), 'name', 'Альфина Ольга Сергеевна')),
  'the executor reports on its own record');
select is(pg_temp.error_of(format('select app.assignment_report(%s, 1, %L)', :rec_a, '{"status": "done", "text": "x"}')) ->> 'detail',
  'conflict.stale_version', 'a report against a stale version is refused');
reset role;
select pg_temp.act_as('t-committee');
select is(pg_temp.error_of(format('select app.assignment_report(%s, null, %L)', :rec_a, '{"status": "done", "text": "x"}')) ->> 'sqlstate',
  'OR403', 'the committee cannot report on a municipality''s record');
select is(pg_temp.error_of(format('select app.assignment_accept(%s, null)', :rec_a)) - 'hint',
  '{"sqlstate": "OR409", "detail": "conflict.state", "message": "Исполнитель ещё не отчитался о выполнении"}'::jsonb,
  'a report still in progress cannot be accepted');
reset role;
select pg_temp.act_as('t-mun-a');
select app.assignment_report(:rec_a, null, '{"status": "done", "text": "Выполнено", "links": ["https://mo.example/report"]}')::jsonb as done_a \gset
select is(jsonb_build_array(:'done_a'::jsonb ->> 'status', :'done_a'::jsonb -> 'overdue', :'done_a'::jsonb ->> 'version'),
  '["done", false, "3"]'::jsonb, 'a done report ends the overdue state (deadline passed, but done)');
reset role;

-- Review: only the region's committee -------------------------------------------------------------
select pg_temp.act_as('t-loiro');
select is(pg_temp.error_of(format('select app.assignment_accept(%s, null)', :rec_a)) ->> 'sqlstate', '42501',
  'ЛОИРО may not call accept at all');
reset role;
select pg_temp.act_as('t-mun-a');
select is(pg_temp.error_of(format('select app.assignment_accept(%s, null)', :rec_a)) ->> 'sqlstate', '42501',
  'a municipality cannot accept its own report');
reset role;
select pg_temp.act_as('t-committee2');
select is(pg_temp.error_of(format('select app.assignment_accept(%s, null)', :rec_a)) ->> 'sqlstate', 'OR404',
  'another region''s committee cannot accept (the record is not in its region)');
reset role;
select pg_temp.act_as('t-committee');
select is(pg_temp.error_of(format('select app.assignment_return(%s, null, %L)', :rec_a, '  ')) -> 'hint',
  '[{"field": "comment", "code": "required", "message": "Обязательное поле"}]'::jsonb, 'a return needs a comment');
select is((app.assignment_return(:rec_a, 3, 'Приложите протокол')::jsonb -> 'review') - array['at', 'by'],
  '{"decision": "returned", "comment": "Приложите протокол"}'::jsonb, 'the committee returns a done report with a comment');
select is(app.assignment_get(:rec_a)::jsonb ->> 'overdue', 'true', 'a returned record past its deadline is overdue again');
reset role;
select pg_temp.act_as('t-mun-a');
select is(jsonb_build_array(r ->> 'status', r -> 'review'), '["done", null]'::jsonb,
  'a returned report can be reported again (the review is cleared)')
from (select app.assignment_report(:rec_a, null, '{"status": "done", "text": "С протоколом"}')::jsonb as r) x;
reset role;
select pg_temp.act_as('t-committee');
select is(app.assignment_accept(:rec_a, null)::jsonb ->> 'status', 'accepted', 'the committee accepts the new report');
reset role;
select pg_temp.act_as('t-mun-a');
select is(pg_temp.error_of(format('select app.assignment_report(%s, null, %L)', :rec_a, '{"status": "in_progress"}')) ->> 'detail',
  'conflict.state', 'an accepted record is final');
reset role;
select throws_ok(format('update app.assignments set report_text = %L where id = %s', 'подмена', :rec_a), 'OR409', null,
  'even the owner cannot change an accepted record (trigger)');

-- Audit ------------------------------------------------------------------------------------------
select results_eq(format($$ select action, role, user_id, after ->> 'status' from app.audit_log
                            where entity = 'assignments' and entity_id = %s and action = 'update' order by id $$, :rec_a),
  format($$ values ('update', 'municipality', %1$s::bigint, 'in_progress'), ('update', 'municipality', %1$s, 'done'),
                   ('update', 'committee', %2$s, 'returned'), ('update', 'municipality', %1$s, 'done'),
                   ('update', 'committee', %2$s, 'accepted') $$,
         pg_temp.fx('user:t-mun-a'), pg_temp.fx('user:t-committee')),
  'every report and review is audited with who did it');
select is_empty($$ select r, p from unnest(array['orientir_committee', 'orientir_loiro', 'orientir_municipality', 'orientir_school']) r,
                   unnest(array['UPDATE', 'DELETE']) p
                   where case p when 'UPDATE' then has_any_column_privilege(r, 'app.assignments', p)
                               else has_table_privilege(r, 'app.assignments', p) end $$,
  'no API role may update or delete execution records directly');

-- Municipal road maps ----------------------------------------------------------------------------
select pg_temp.act_as('t-mun-a');
select is(pg_temp.error_of($$ select app.document_create('{"kind": "order", "number": "1", "date": "2024-01-01", "title": "X"}') $$) -> 'hint' -> 0 ->> 'code',
  'not_allowed', 'a municipality keeps road maps only');
select (app.document_create('{"kind": "roadmap", "number": "ДК-1", "date": "2024-01-01", "title": "Дорожная карта"}') ->> 'id')::bigint as map \gset
select is(pg_temp.error_of(format('select app.document_items_create(%s, %L)', :map, jsonb_build_array(
            jsonb_build_object('number', '1', 'content', 'x', 'deadline', '2024-02-01', 'executors', jsonb_build_array(
              jsonb_build_object('kind', 'school', 'id', pg_temp.fx('school:T1-B-1')), jsonb_build_object('kind', 'loiro'))))))
          -> 'hint',
  '[{"field": "items[0].executors[0].id", "code": "not_found", "message": "Школа не найдена"},
    {"field": "items[0].executors[1].kind", "code": "not_allowed", "message": "В муниципальной дорожной карте исполнители — сам муниципалитет или его школы"}]'::jsonb,
  'a road map''s executors are the municipality and its own schools only');
select is(pg_temp.error_of(format('select app.document_item_create(%s, %L)', :doc, '{"number": "9", "content": "x"}')) ->> 'sqlstate',
  'OR403', 'a municipality cannot add items to the committee''s document');
select app.document_item_create(:map, jsonb_build_object('number', '1', 'content', 'Программы развития', 'deadline', pg_temp.day(10),
         'executors', jsonb_build_array(jsonb_build_object('kind', 'school', 'id', pg_temp.fx('school:T1-A-2'))))) is not null as ok \gset
select pg_temp.rec(:map, '1', 'school:T1-A-2') as rec_m \gset
reset role;
select pg_temp.act_as('t-school-a2');
select is(app.assignment_report(:rec_m, null, '{"status": "done", "text": "Готово"}')::jsonb ->> 'status', 'done',
  'the school reports on its road-map record');
reset role;
select pg_temp.act_as('t-mun-a');
select is(pg_temp.error_of(format('select app.assignment_accept(%s, null)', :rec_m)) ->> 'sqlstate', '42501',
  'the municipality does not review its own road map');
reset role;
select pg_temp.act_as('t-committee');
select is(app.assignment_accept(:rec_m, null)::jsonb ->> 'status', 'accepted', 'the committee reviews a municipality''s road map');
select is(app.execution_summary('executor', pg_temp.fx('municipality:T1-A'))::jsonb -> 'totals',
  '{"total": 3, "not_started": 1, "in_progress": 0, "done": 0, "accepted": 2, "returned": 0, "overdue": 0, "due_soon": 1}'::jsonb,
  'the summary counts a municipality''s and its schools'' records by state');
reset role;

select * from finish();
rollback;
