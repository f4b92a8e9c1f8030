-- Development programs: who may write, approve, return and comment; the
-- state machine (draft → submitted → returned → submitted → approved →
-- revised → superseded) and its 409s; stale versions; measures only on
-- deficits of the program's own school and campaign; coverage and
-- program.deficits_uncovered; progress only while approved; revisions; RLS
-- scope per role; audit; the deficit lifecycle (in work on approval,
-- eliminated by a later accepted self-diagnostic by instrument and indicator
-- code, closed by the municipality, final states). Fixtures: two open
-- campaigns c1 (earlier) and c2, accepted c1 submissions of T1-A-1 (three
-- deficits, I1 critical, and a growth area), T1-B-1 (one growth area),
-- T1-A-2 (none).
begin;
\ir fixtures.psql
\ir diagnostics_fixtures.psql
\ir programs_fixtures.psql
select plan(97);
grant insert on fx to public;  -- tests remember ids while acting as a role

create function pg_temp.body(p_campaign bigint) returns jsonb language sql stable
as $$ select jsonb_build_object('campaign_id', p_campaign, 'title', 'Программа развития на два года',
                                'period_start', app.moscow_today() - 30, 'period_end', app.moscow_today() + 700) $$;
create function pg_temp.measure(p_deficits bigint[], p_due date default app.moscow_today() + 60) returns jsonb
language sql stable
as $$ select jsonb_build_object('title', 'Мероприятие', 'deficit_ids', to_jsonb(p_deficits), 'due_date', p_due,
                                'responsible', 'Заместитель директора') $$;

-- Creating ------------------------------------------------------------------------------------------------
select pg_temp.act_as('t-school-a1');
select app.program_create(pg_temp.body(pg_temp.fx('campaign:c1')))::jsonb as created \gset
insert into fx values ('program:a1', (:'created'::jsonb ->> 'id')::bigint);
select is((:'created'::jsonb) - array['id', 'school_id', 'municipality_id', 'campaign_id', 'submission_id', 'created_at',
                                      'updated_at', 'deficits', 'uncovered_deficits', 'history', 'revisions',
                                      'period_start', 'period_end'],
  '{"school_code": "T1-A-1", "school_name": "СОШ № 1 Альфинск", "municipality_name": "Альфинский район",
    "campaign_title": "Осень", "title": "Программа развития на два года", "status": "draft", "revision": 1,
    "previous_id": null, "version": 1, "editable": true, "in_force": false, "submitted_at": null, "decided_at": null,
    "measures": [], "analyses": [], "comments": [], "attachments": []}'::jsonb,
  'a school creates its program for a campaign with an accepted submission: a draft, revision 1, editable');
select is((select jsonb_agg(jsonb_build_array(d ->> 'indicator_code', d ->> 'kind', d ->> 'status'))
           from jsonb_array_elements(:'created'::jsonb -> 'deficits') d),
  '[["I1", "deficit", "open"], ["I3", "deficit", "open"], ["I4", "deficit", "open"], ["I2", "growth", "open"]]'::jsonb,
  'the program lists its submission''s deficits: critical first, deficits before growth areas, instrument order');
select is((select jsonb_agg(d ->> 'indicator_code') from jsonb_array_elements(:'created'::jsonb -> 'uncovered_deficits') d),
  '["I1", "I3", "I4"]'::jsonb, 'every deficit is uncovered at first; growth areas need no measure');
select is((:'created'::jsonb -> 'history' -> 0) - 'at' - 'by', '{"action": "create", "status": "draft", "comment": null}'::jsonb,
  'the history starts with create');
select is(pg_temp.error_of(format('select app.program_create(%L)', pg_temp.body(pg_temp.fx('campaign:c1')))) - 'hint',
  '{"sqlstate": "OR409", "detail": "conflict.duplicate", "message": "Программа по этой самодиагностике уже составлена"}'::jsonb,
  'a second program for the same school and campaign is OR409 conflict.duplicate');
select is(pg_temp.error_of(format('select app.program_create(%L)', pg_temp.body(pg_temp.fx('campaign:c2')))) -> 'hint',
  '[{"field": "campaign_id", "code": "not_accepted", "message": "Программа составляется по принятым результатам самодиагностики"}]'::jsonb,
  'no accepted submission in the campaign → campaign_id not_accepted');
select is(pg_temp.error_of(format('select app.program_create(%L)', pg_temp.body(pg_temp.fx('campaign:c2'))
            || '{"title": " ", "period_end": "2020-01-01"}'::jsonb)) -> 'hint',
  '[{"field": "campaign_id", "code": "not_accepted", "message": "Программа составляется по принятым результатам самодиагностики"},
    {"field": "title", "code": "required", "message": "Обязательное поле"},
    {"field": "period_end", "code": "invalid", "message": "Окончание периода — не раньше его начала и не позже чем через 5 лет"}]'::jsonb,
  'every invalid field is reported: title required, period_end before period_start invalid');
select is(pg_temp.error_of(format('select app.program_create(%L)', pg_temp.body(pg_temp.fx('campaign:c2'))
            || jsonb_build_object('period_end', app.moscow_today() - 30 + interval '5 years 1 day'))) -> 'hint' -> 1 ->> 'field',
  'period_end', 'a period longer than 5 years is period_end invalid');
reset role;
select pg_temp.act_as('t-school-t2');
select is(pg_temp.error_of(format('select app.program_create(%L)', pg_temp.body(pg_temp.fx('campaign:c1')))) -> 'hint' -> 0 ->> 'code',
  'not_found', 'a campaign that does not target the school is campaign_id not_found');
reset role;
select pg_temp.act_as('t-mun-a');
select throws_ok(format('select app.program_create(%L)', pg_temp.body(pg_temp.fx('campaign:c1'))), '42501', null,
  'a municipality cannot create programs');
reset role;

-- Measures -------------------------------------------------------------------------------------------------
select pg_temp.act_as('t-school-a1');
select is(pg_temp.error_of(format('select app.program_measure_create(%s, %L)', pg_temp.fx('program:a1'),
            pg_temp.measure(array[pg_temp.fx('deficit:a1:I1'), pg_temp.fx('deficit:b1:I4')]))) -> 'hint',
  '[{"field": "deficit_ids[1]", "code": "not_found", "message": "Нет такого дефицита в самодиагностике школы"}]'::jsonb,
  'a measure cannot point at another school''s deficit (deficit_ids[i] not_found)');
select is(pg_temp.error_of(format('select app.program_measure_create(%s, %L)', pg_temp.fx('program:a1'),
            pg_temp.measure(array[pg_temp.fx('deficit:a1:I1')], app.moscow_today() + 800))) -> 'hint',
  jsonb_build_array(jsonb_build_object('field', 'due_date', 'code', 'invalid', 'message',
    format('Срок должен быть в периоде программы: %s — %s', to_char(app.moscow_today() - 30, 'DD.MM.YYYY'),
           to_char(app.moscow_today() + 700, 'DD.MM.YYYY')))),
  'a due date outside the program period is due_date invalid, naming the period');
select is(pg_temp.error_of(format('select app.program_measure_create(%s, %L)', pg_temp.fx('program:a1'),
            '{"title": "", "deficit_ids": [], "responsible": null}')) -> 'hint',
  '[{"field": "title", "code": "required", "message": "Обязательное поле"},
    {"field": "deficit_ids", "code": "required", "message": "Выберите дефициты, на которые направлено мероприятие"},
    {"field": "due_date", "code": "required", "message": "Укажите дату"},
    {"field": "responsible", "code": "required", "message": "Обязательное поле"}]'::jsonb,
  'required measure fields: title, deficit_ids (empty list too), due_date, responsible');
select is(pg_temp.error_of(format('select app.program_measure_create(%s, %L)', pg_temp.fx('program:a1'),
            pg_temp.measure(array[pg_temp.fx('deficit:a1:I1'), pg_temp.fx('deficit:a1:I1')]))) -> 'hint' -> 0 ->> 'code',
  'duplicate', 'the same deficit twice is deficit_ids duplicate');
select app.program_measure_create(pg_temp.fx('program:a1'),
  pg_temp.measure(array[pg_temp.fx('deficit:a1:I1'), pg_temp.fx('deficit:a1:I2')], app.moscow_today() - 5)
  || '{"title": "Перевести предметы на ФРП", "expected_result": "  "}')::jsonb as m1 \gset
insert into fx values ('measure:a1:1', (:'m1'::jsonb ->> 'id')::bigint);
select is(:'m1'::jsonb - 'id' - 'program_id',
  jsonb_build_object('title', 'Перевести предметы на ФРП',
                     'deficit_ids', jsonb_build_array(pg_temp.fx('deficit:a1:I1'), pg_temp.fx('deficit:a1:I2')),
                     'due_date', app.moscow_today() - 5, 'responsible', 'Заместитель директора', 'expected_result', null,
                     'status', 'planned', 'progress_note', null, 'progress_at', null, 'overdue', true, 'version', 1,
                     'program_version', 2, 'attachments', '[]'::jsonb),
  'a measure is created with its deficits (a growth area too); the program''s version moves; past due is overdue');
select is((select jsonb_agg(d ->> 'indicator_code') from json_array_elements(app.program_get(pg_temp.fx('program:a1')) -> 'uncovered_deficits') d),
  '["I3", "I4"]'::jsonb, 'the covered deficit leaves uncovered_deficits');
select is((select d -> 'measure_ids' from json_array_elements(app.program_get(pg_temp.fx('program:a1')) -> 'deficits') d
           where d ->> 'indicator_code' = 'I1')::jsonb,
  jsonb_build_array(pg_temp.fx('measure:a1:1')), 'deficits carry this program''s measure_ids');

-- Submit needs every open deficit covered ---------------------------------------------------------------------
select is(pg_temp.error_of(format('select app.program_submit(%s, null)', pg_temp.fx('program:a1'))),
  jsonb_build_object('sqlstate', 'OR422', 'detail', 'program.deficits_uncovered',
                     'message', 'Не все дефициты закрыты мероприятиями: 2',
                     'hint', jsonb_build_array(
                       jsonb_build_object('field', 'deficits.' || pg_temp.fx('deficit:a1:I3'), 'code', 'required',
                                          'message', 'Нет мероприятия для дефицита I3: Советник директора по воспитанию'),
                       jsonb_build_object('field', 'deficits.' || pg_temp.fx('deficit:a1:I4'), 'code', 'required',
                                          'message', 'Нет мероприятия для дефицита I4: Школьные творческие объединения'))),
  'submit with uncovered deficits is OR422 program.deficits_uncovered with one HINT entry per deficit');
select is(pg_temp.error_of(format('select app.program_submit(%s, 1)', pg_temp.fx('program:a1'))) ->> 'detail',
  'conflict.stale_version', 'submit with a stale version is OR409 conflict.stale_version (before the input checks)');
select app.program_measure_create(pg_temp.fx('program:a1'),
  pg_temp.measure(array[pg_temp.fx('deficit:a1:I3')]) || '{"title": "Ввести ставку советника"}') \gset ignored_
select app.program_measure_create(pg_temp.fx('program:a1'),
  pg_temp.measure(array[pg_temp.fx('deficit:a1:I4')], app.moscow_today() + 90) || '{"title": "Открыть кружки"}')::jsonb as m3 \gset
insert into fx values ('measure:a1:3', (:'m3'::jsonb ->> 'id')::bigint);
select app.program_measure_create(pg_temp.fx('program:a1'),
  pg_temp.measure(array[pg_temp.fx('deficit:a1:I4')]) || '{"title": "Лишнее мероприятие"}')::jsonb as m4 \gset
select is(app.program_measure_delete(pg_temp.fx('program:a1'), (:'m4'::jsonb ->> 'id')::bigint)::text, '',
  'a measure of a draft is deleted');
select is(json_array_length(app.program_get(pg_temp.fx('program:a1')) -> 'measures'), 3, 'three measures remain');
select is(pg_temp.error_of(format('select app.program_measure_update(%s, %s, 5, %L)', pg_temp.fx('program:a1'),
            pg_temp.fx('measure:a1:3'), '{"title": "Другое"}')) ->> 'detail',
  'conflict.stale_version', 'a measure edit with a stale measure version is OR409');
select is((app.program_measure_update(pg_temp.fx('program:a1'), pg_temp.fx('measure:a1:3'), 1,
            jsonb_build_object('deficit_ids', jsonb_build_array(pg_temp.fx('deficit:a1:I4'), pg_temp.fx('deficit:a1:I3'))))::jsonb
           - array['id', 'program_id', 'due_date', 'program_version', 'progress_at', 'overdue']),
  jsonb_build_object('title', 'Открыть кружки', 'responsible', 'Заместитель директора', 'expected_result', null,
                     'status', 'planned', 'progress_note', null,
                     'deficit_ids', (select jsonb_agg(x order by x) from unnest(array[pg_temp.fx('deficit:a1:I3'),
                                                                                         pg_temp.fx('deficit:a1:I4')]) x),
                     'version', 2, 'attachments', '[]'::jsonb),
  'changing only the deficit links replaces them and moves the measure''s version');
select is(pg_temp.error_of(format('select app.program_update(%s, null, %L)', pg_temp.fx('program:a1'),
            jsonb_build_object('period_start', app.moscow_today()))) -> 'hint',
  '[{"field": "period_start", "code": "invalid", "message": "Сроки мероприятий (1) раньше начала периода: сначала измените их"}]'::jsonb,
  'a new period that leaves measures outside is refused, naming how many');
select is(pg_temp.error_of(format('select app.program_analysis_set(%s, %s, %L)', pg_temp.fx('program:a1'),
            (select id from app.directions where instrument_id = pg_temp.fx('instrument:t-basic') and code = 'd3'), 'Текст')) ->> 'sqlstate',
  'OR404', 'a direction of another instrument is OR404');
select is(app.program_analysis_set(pg_temp.fx('program:a1'),
            (select id from app.directions where instrument_id = pg_temp.fx('instrument:t-main') and code = 'd1'),
            ' Низкая доля ФРП ') -> 'analyses' -> 0 ->> 'text',
  'Низкая доля ФРП', 'a school sets the problem analysis of a direction (trimmed)');
select app.program_get(pg_temp.fx('program:a1'))::jsonb as before_submit \gset
reset role;

-- Scope of the school's writes -------------------------------------------------------------------------------
select pg_temp.act_as('t-school-b1');
select is(pg_temp.error_of(format('select app.program_update(%s, null, %L)', pg_temp.fx('program:a1'), '{"title": "Чужая"}')) ->> 'sqlstate',
  'OR404', 'another school cannot edit the program (404)');
select is(pg_temp.error_of(format('select app.program_measure_create(%s, %L)', pg_temp.fx('program:a1'),
            pg_temp.measure(array[pg_temp.fx('deficit:a1:I1')]))) ->> 'sqlstate', 'OR404',
  'another school cannot add measures (404)');
select is(app.program_get(pg_temp.fx('program:a1'))::text, null, 'another school cannot read the program');
insert into fx values ('program:b1', (app.program_create(pg_temp.body(pg_temp.fx('campaign:c1'))) ->> 'id')::bigint);
select is(pg_temp.error_of(format('select app.program_submit(%s, null)', pg_temp.fx('program:b1'))) -> 'hint',
  '[{"field": "measures", "code": "required", "message": "Добавьте в программу хотя бы одно мероприятие"}]'::jsonb,
  'a program without measures cannot be submitted (measures required)');
select app.program_measure_create(pg_temp.fx('program:b1'), pg_temp.measure(array[pg_temp.fx('deficit:b1:I4')])) \gset ignored_
select is(app.program_submit(pg_temp.fx('program:b1'), null) ->> 'status', 'submitted',
  'with no deficit-kind rows a program with a growth measure can be submitted');
reset role;
select pg_temp.act_as('t-mun-a');
select throws_ok(format('select app.program_measure_create(%s, %L)', pg_temp.fx('program:a1'),
  pg_temp.measure(array[pg_temp.fx('deficit:a1:I1')])), '42501', null, 'a municipality cannot edit a school''s program');
select is(pg_temp.error_of(format('select app.program_approve(%s, null)', pg_temp.fx('program:a1'))) - 'hint',
  '{"sqlstate": "OR409", "detail": "conflict.state", "message": "Утвердить можно только отправленную на согласование программу"}'::jsonb,
  'approving a draft is OR409 conflict.state');
select is(pg_temp.error_of(format('select app.program_return(%s, null, %L)', pg_temp.fx('program:a1'), 'Нет')) ->> 'detail',
  'conflict.state', 'returning a draft is OR409 conflict.state');
select is(pg_temp.error_of(format('select app.program_approve(%s, null)', pg_temp.fx('program:b1'))) ->> 'sqlstate',
  'OR404', 'a municipality cannot approve another municipality''s school''s program (404)');
reset role;
select pg_temp.act_as('t-mun-b');
select is(app.program_approve(pg_temp.fx('program:b1'), null) ->> 'status', 'approved', 'its own municipality approves it');
reset role;

-- Submit, return, resubmit, approve ----------------------------------------------------------------------------
select pg_temp.act_as('t-school-a1');
select app.program_submit(pg_temp.fx('program:a1'), (:'before_submit'::jsonb ->> 'version')::int)::jsonb as submitted \gset
select is(jsonb_build_array(:'submitted'::jsonb -> 'status', :'submitted'::jsonb -> 'editable',
                            :'submitted'::jsonb -> 'uncovered_deficits'),
  '["submitted", false, []]'::jsonb, 'the school submits once every deficit is covered: submitted, no longer editable');
select is(pg_temp.error_of(format('select app.program_measure_create(%s, %L)', pg_temp.fx('program:a1'),
            pg_temp.measure(array[pg_temp.fx('deficit:a1:I1')]))) - 'hint',
  '{"sqlstate": "OR409", "detail": "conflict.state", "message": "Программа отправлена на согласование и не может быть изменена"}'::jsonb,
  'a submitted program cannot be edited (409)');
select is(pg_temp.error_of(format('select app.program_measure_progress(%s, %s, null, %L)', pg_temp.fx('program:a1'),
            pg_temp.fx('measure:a1:1'), '{"status": "in_progress"}')) ->> 'message',
  'Ход выполнения отмечается только в утверждённой программе', 'progress before approval is OR409');
reset role;
select pg_temp.act_as('t-mun-a');
select is(pg_temp.error_of(format('select app.program_return(%s, null, %L)', pg_temp.fx('program:a1'), ' ')) -> 'hint',
  '[{"field": "comment", "code": "required", "message": "Обязательное поле"}]'::jsonb, 'a return needs a comment');
select is(pg_temp.error_of(format('select app.program_return(%s, 1, %L)', pg_temp.fx('program:a1'), 'Нет')) ->> 'detail',
  'conflict.stale_version', 'a return with a stale version is OR409');
select is(app.program_return(pg_temp.fx('program:a1'), null, ' Уточните сроки ') -> 'history' -> -1 ->> 'comment',
  'Уточните сроки', 'the municipality returns it with a comment, kept in the history');
reset role;
select pg_temp.act_as('t-school-a1');
select is(app.program_update(pg_temp.fx('program:a1'), null, '{"title": "Программа развития (доработанная)"}') ->> 'status',
  'returned', 'the school edits its returned program');
select app.program_submit(pg_temp.fx('program:a1'), null)::jsonb ->> 'version' as submitted_version \gset
reset role;
select pg_temp.act_as('t-mun-a');
select is(pg_temp.error_of(format('select app.program_approve(%s, %s)', pg_temp.fx('program:a1'), :submitted_version::int - 1)) ->> 'detail',
  'conflict.stale_version', 'an approve with a stale version is OR409');
select app.program_approve(pg_temp.fx('program:a1'), :submitted_version)::jsonb as approved \gset
select is(jsonb_build_array(:'approved'::jsonb -> 'status', :'approved'::jsonb -> 'in_force'),
  '["approved", true]'::jsonb, 'its municipality approves the submitted program: in force');
select is((select jsonb_agg(h ->> 'action') from jsonb_array_elements(:'approved'::jsonb -> 'history') h),
  '["create", "submit", "return", "submit", "approve"]'::jsonb, 'every transition is in the history');
select is((select jsonb_object_agg(d ->> 'indicator_code', d ->> 'status') from jsonb_array_elements(:'approved'::jsonb -> 'deficits') d),
  '{"I1": "in_work", "I2": "in_work", "I3": "in_work", "I4": "in_work"}'::jsonb,
  'on approval the deficits its measures address go in work');
select is(pg_temp.error_of(format('select app.program_approve(%s, null)', pg_temp.fx('program:a1'))) ->> 'detail',
  'conflict.state', 'approving an approved program is OR409');
reset role;

-- Progress ------------------------------------------------------------------------------------------------------
select pg_temp.act_as('t-school-a1');
select is(pg_temp.error_of(format('select app.program_measure_progress(%s, %s, null, %L)', pg_temp.fx('program:a1'),
            pg_temp.fx('measure:a1:1'), '{"status": "done"}')) -> 'hint',
  '[{"field": "note", "code": "required", "message": "Опишите, что сделано"}]'::jsonb, 'done needs a note');
select is(pg_temp.error_of(format('select app.program_measure_progress(%s, %s, null, %L)', pg_temp.fx('program:a1'),
            pg_temp.fx('measure:a1:1'), '{"status": "not_done"}')) -> 'hint' -> 0 ->> 'message',
  'Укажите причину невыполнения', 'not_done needs a reason');
select is(pg_temp.error_of(format('select app.program_measure_progress(%s, %s, null, %L)', pg_temp.fx('program:a1'),
            pg_temp.fx('measure:a1:1'), '{"status": "finished"}')) -> 'hint' -> 0 ->> 'code',
  'invalid', 'an unknown progress status is invalid');
select is(pg_temp.error_of(format('select app.program_measure_progress(%s, %s, 7, %L)', pg_temp.fx('program:a1'),
            pg_temp.fx('measure:a1:1'), '{"status": "in_progress"}')) ->> 'detail',
  'conflict.stale_version', 'progress on a stale measure version is OR409');
select is(pg_temp.error_of(format('select app.program_measure_progress(%s, %s, null, %L)', pg_temp.fx('program:b1'),
            pg_temp.fx('measure:a1:1'), '{"status": "in_progress"}')) ->> 'sqlstate',
  'OR404', 'a measure of another program is OR404');
select is((app.program_measure_progress(pg_temp.fx('program:a1'), pg_temp.fx('measure:a1:1'), 1,
             '{"status": "done", "note": " Приказ издан "}')::jsonb) - array['id', 'program_id', 'program_version', 'progress_at', 'deficit_ids', 'due_date', 'title', 'responsible', 'expected_result'],
  '{"status": "done", "progress_note": "Приказ издан", "overdue": false, "version": 2, "attachments": []}'::jsonb,
  'the school reports a measure done with a note: no longer overdue');
select is(pg_temp.error_of(format('select app.program_measure_update(%s, %s, null, %L)', pg_temp.fx('program:a1'),
            pg_temp.fx('measure:a1:3'), '{"title": "Иное"}')) ->> 'message',
  'Программа утверждена: чтобы изменить её, создайте новую редакцию', 'an approved program''s measures are not edited (409)');
reset role;

-- Comments ---------------------------------------------------------------------------------------------------------
select pg_temp.act_as('t-loiro');
select app.program_get(pg_temp.fx('program:a1')) ->> 'version' as version_before \gset
select is(app.program_comment_add(pg_temp.fx('program:a1'), ' Используйте практики ЛОИРО ')::jsonb - 'id' - 'at' - 'program_id' - 'by',
  '{"text": "Используйте практики ЛОИРО"}'::jsonb, 'ЛОИРО comments on a program of its region');
select is(app.program_get(pg_temp.fx('program:a1')) ->> 'version', :'version_before', 'a comment does not move the version');
select is(app.program_get(pg_temp.fx('program:a1')) -> 'comments' -> 0 -> 'by' ->> 'role', 'loiro', 'the comment names its author');
reset role;
select pg_temp.act_as('t-school-a1');
select throws_ok(format('select app.program_comment_add(%s, %L)', pg_temp.fx('program:a1'), 'Я'), '42501', null,
  'a school cannot comment');
reset role;
select pg_temp.act_as('t-committee2');
select is(pg_temp.error_of(format('select app.program_comment_add(%s, %L)', pg_temp.fx('program:a1'), 'Чужой')) ->> 'sqlstate',
  'OR404', 'another region''s committee cannot comment (404)');
reset role;

-- Revisions ----------------------------------------------------------------------------------------------------------
select pg_temp.act_as('t-school-a1');
select is(pg_temp.error_of(format('select app.program_revise(%s, null)', pg_temp.fx('program:b1'))) ->> 'sqlstate', 'OR404',
  'a school cannot revise another school''s program');
select app.program_revise(pg_temp.fx('program:a1'), null)::jsonb as rev2 \gset
insert into fx values ('program:a1:2', (:'rev2'::jsonb ->> 'id')::bigint);
select is(jsonb_build_array(:'rev2'::jsonb -> 'status', :'rev2'::jsonb -> 'revision', :'rev2'::jsonb -> 'previous_id',
                            :'rev2'::jsonb -> 'title', jsonb_array_length(:'rev2'::jsonb -> 'measures'),
                            jsonb_array_length(:'rev2'::jsonb -> 'analyses'), :'rev2'::jsonb -> 'uncovered_deficits'),
  jsonb_build_array('draft', 2, pg_temp.fx('program:a1'), 'Программа развития (доработанная)', 3, 1, '[]'::jsonb),
  'revise makes a draft revision 2 copying title, analyses, measures and their deficit links');
select is((select jsonb_agg(jsonb_build_array(m.status, m.source_measure_id) order by m.position)
           from app.program_measures m where m.program_id = pg_temp.fx('program:a1:2') and m.position = 1),
  jsonb_build_array(jsonb_build_array('done', pg_temp.fx('measure:a1:1'))), 'copied measures keep their progress and source');
select is(app.program_get(pg_temp.fx('program:a1')) ->> 'status', 'approved', 'the approved revision stays in force meanwhile');
select is(pg_temp.error_of(format('select app.program_revise(%s, null)', pg_temp.fx('program:a1'))) ->> 'message',
  'Новая редакция программы уже создана', 'a second revision while one is in the works is OR409');
select is(pg_temp.error_of(format('select app.program_revise(%s, null)', pg_temp.fx('program:a1:2'))) ->> 'detail',
  'conflict.state', 'a draft cannot be revised');
-- Progress on the version in force after the revision was made reaches the revision on approval.
select app.program_measure_progress(pg_temp.fx('program:a1'), pg_temp.fx('measure:a1:3'), null,
                                    '{"status": "in_progress"}') \gset ignored_
select app.program_submit(pg_temp.fx('program:a1:2'), null) \gset ignored_
reset role;
select pg_temp.act_as('t-mun-a');
select is(app.program_approve(pg_temp.fx('program:a1:2'), null) ->> 'status', 'approved', 'the municipality approves revision 2');
select is((app.program_get(pg_temp.fx('program:a1'))::jsonb -> 'history' -> -1) - 'at' - 'by',
  '{"action": "supersede", "status": "superseded", "comment": null}'::jsonb, 'revision 1 is superseded (event supersede)');
select is((select m.status from app.program_measures m where m.program_id = pg_temp.fx('program:a1:2')
                                                       and m.source_measure_id = pg_temp.fx('measure:a1:3')),
  'in_progress', 'a copied measure takes the progress its source made after the revision was made');
select is((select jsonb_agg(jsonb_build_array(r ->> 'revision', r ->> 'status')) from json_array_elements(app.program_get(pg_temp.fx('program:a1:2')) -> 'revisions') r),
  '[["1", "superseded"], ["2", "approved"]]'::jsonb, 'every revision is listed with its status');
reset role;
select pg_temp.act_as('t-school-a1');
select is(pg_temp.error_of(format('select app.program_measure_progress(%s, %s, null, %L)', pg_temp.fx('program:a1'),
            pg_temp.fx('measure:a1:3'), '{"status": "planned"}')) ->> 'detail',
  'conflict.state', 'a superseded program takes no progress');
reset role;

-- Guards hold for the owner too -----------------------------------------------------------------------------
select is(pg_temp.error_of(format($$update app.programs set status = 'approved' where id = %s$$, pg_temp.fx('program:a1'))) ->> 'detail',
  'conflict.state', 'the state machine holds for the owner (superseded → approved refused)');
select is(pg_temp.error_of(format($$insert into app.program_measure_deficits values (%s, %s)$$,
            (select id from app.program_measures where program_id = pg_temp.fx('program:b1') limit 1), pg_temp.fx('deficit:a1:I1'))) ->> 'sqlstate',
  'OR422', 'a link to another school''s deficit is refused whoever writes it');
select is(pg_temp.error_of(format($$update app.program_measures set status = 'done', progress_note = 'x' where program_id = %s$$,
            (select id from app.programs where school_id = pg_temp.fx('school:T1-B-1') and status = 'approved'))), null,
  'progress of an approved program''s measures may be written');
select is(pg_temp.error_of(format($$update app.program_measures set title = 'x' where program_id = %s$$,
            (select id from app.programs where school_id = pg_temp.fx('school:T1-B-1') and status = 'approved'))) ->> 'detail',
  'conflict.state', 'an approved program''s measures cannot be rewritten by anyone');

-- Audit -------------------------------------------------------------------------------------------------------
select results_eq(format($$ select entity, action, count(*)::int from app.audit_log
                            where (entity in ('programs', 'program_analyses') and entity_id = %1$s)
                               or (entity in ('program_measures', 'program_measure_deficits')
                                   and entity_id in (select id from app.program_measures where program_id = %1$s))
                               or (entity = 'program_comments' and (after ->> 'program_id')::bigint = %1$s)
                            group by 1, 2 order by 1, 2 $$, pg_temp.fx('program:a1')),
  $$ values ('program_analyses', 'insert', 1), ('program_comments', 'insert', 1),
            ('program_measure_deficits', 'insert', 5), ('program_measures', 'insert', 3),
            ('program_measures', 'update', 3), ('programs', 'insert', 1), ('programs', 'update', 15) $$,
  'every write to the program, its measures, links, analyses and comments is audited');
select is((select count(*)::int from app.audit_log where entity = 'programs' and entity_id = pg_temp.fx('program:a1')
                                                      and role = 'municipality' and after ->> 'status' in ('approved', 'returned', 'superseded')),
  3, 'the municipality''s decisions are audited under its role');

-- Scope (RLS) ---------------------------------------------------------------------------------------------------
select pg_temp.act_as('t-school-b1');
select results_eq($$ select (select count(*)::int from app.programs), (select count(*)::int from app.program_measures),
                            (select count(*)::int from app.program_events), (select count(*)::int from app.program_comments) $$,
  $$ values (1, 1, 3, 0) $$, 'a school sees only its own program and what hangs off it');
reset role;
select pg_temp.act_as('t-mun-b');
select is(app.program_get(pg_temp.fx('program:a1'))::text, null, 'another municipality cannot read the program');
select is((select count(*)::int from app.program_measure_deficits), 1, 'another municipality sees only its schools'' links');
reset role;
select pg_temp.act_as('t-committee2');
select is(app.programs_list(null, null, null, null, 50, 0) ->> 'total', '0', 'another region''s committee sees no programs');
reset role;
select pg_temp.act_as('t-committee');
select results_eq($$ select i ->> 'school_code', (i ->> 'revision')::int, i ->> 'status', (i ->> 'measure_count')::int,
                            (i ->> 'measures_done')::int, (i ->> 'deficit_count')::int, (i ->> 'uncovered_count')::int
                     from json_array_elements(app.programs_list(null, null, null, null, 50, 0) -> 'items') i $$,
  $$ values ('T1-A-1', 2, 'approved', 3, 1, 3, 0), ('T1-A-1', 1, 'superseded', 3, 1, 3, 0),
            ('T1-B-1', 1, 'approved', 1, 1, 0, 0) $$,
  'the committee lists the region''s programs by municipality, school, revision desc, with counts');
select is(pg_temp.error_of('select app.programs_list(''done'', null, null, null, 50, 0)') -> 'hint' -> 0 ->> 'field',
  'status', 'an unknown status is 422 field status');
reset role;
select pg_temp.act_as('t-mun-a');
select is(app.programs_list('approved', null, null, pg_temp.fx('campaign:c1'), 50, 0) -> 'items' -> 0 ->> 'id',
  pg_temp.fx('program:a1:2')::text, 'a municipality filters its queue by status and campaign');
reset role;

-- Deficit lifecycle --------------------------------------------------------------------------------------------------
select pg_temp.act_as('t-mun-b');
select is(pg_temp.error_of(format('select app.deficit_close(%s, %L)', pg_temp.fx('deficit:a1:I3'), 'Причина')) ->> 'sqlstate',
  'OR404', 'another municipality cannot close the deficit (404)');
reset role;
select pg_temp.act_as('t-mun-a');
select is(pg_temp.error_of(format('select app.deficit_close(%s, %L)', pg_temp.fx('deficit:a1:I3'), '')) -> 'hint',
  '[{"field": "reason", "code": "required", "message": "Обязательное поле"}]'::jsonb, 'closing needs a reason');
select is(app.deficit_close(pg_temp.fx('deficit:a1:I3'), ' Функция передана ресурсному центру ')::jsonb
            - array['id', 'indicator_id', 'direction_id', 'status_at', 'measures', 'indicator_text', 'direction_title'],
  '{"indicator_code": "I3", "direction_code": "d2", "points": 0, "max_points": 1, "critical": false, "kind": "deficit",
    "official": true, "status": "closed", "closed_reason": "Функция передана ресурсному центру"}'::jsonb,
  'the municipality closes its school''s deficit with a reason');
select is(pg_temp.error_of(format('select app.deficit_close(%s, %L)', pg_temp.fx('deficit:a1:I3'), 'Снова')) - 'hint',
  '{"sqlstate": "OR409", "detail": "conflict.state", "message": "Дефицит уже закрыт"}'::jsonb, 'a closed deficit is final (409)');
reset role;
select is(pg_temp.error_of(format($$update app.deficits set status = 'open', closed_reason = null where id = %s$$,
            pg_temp.fx('deficit:a1:I3'))) ->> 'detail', 'conflict.state', 'closed is final for the owner too');
-- A later campaign's accepted self-diagnostic: I1 now 1 point (deficit met), I4 3 of 3 (met), I3 still 0,
-- I2 1 of 2 (the growth area is not at full points).
insert into fx values ('sub:a1:c2', pg_temp.accepted('t-school-a1', 't-mun-a', pg_temp.fx('campaign:c2'),
                                                     '{"I1": "yes", "I2": "1", "I3": "no", "I4": "3"}'));
reset role;
select results_eq(format($$ select x.code, d.status, d.eliminated_by from app.deficits d join app.indicators x on x.id = d.indicator_id
                            where d.submission_id = %s order by x.code $$, pg_temp.fx('sub:a1')),
  format($$ values ('I1', 'eliminated', %1$s::bigint), ('I2', 'in_work', null), ('I3', 'closed', null),
                   ('I4', 'eliminated', %1$s) $$, pg_temp.fx('sub:a1:c2')),
  'a later accepted submission eliminates the deficits it meets (same instrument and indicator code); growth needs full points');
select is((select count(*)::int from app.audit_log where entity = 'deficits' and action = 'eliminate'
                                                   and (after ->> 'eliminated_by')::bigint = pg_temp.fx('sub:a1:c2')),
  2, 'each elimination is audited');
select pg_temp.act_as('t-school-a1');
select is((app.school_deficits(pg_temp.fx('school:T1-A-1'), pg_temp.fx('campaign:c1')) -> 'states')::jsonb,
  '{"open": 0, "in_work": 0, "eliminated": 2, "closed": 1}'::jsonb, 'school_deficits counts the deficits by state');
select is((select (d -> 'measures' -> 0 ->> 'program_status') from json_array_elements(
             app.school_deficits(pg_temp.fx('school:T1-A-1'), pg_temp.fx('campaign:c1')) -> 'items') d
           where d ->> 'indicator_code' = 'I2'),
  'approved', 'school_deficits lists the measures addressing each deficit with their program''s status');
reset role;
select pg_temp.act_as('t-mun-a');
select results_eq($$ select i ->> 'school_code', i ->> 'status', (i ->> 'deficit_count')::int, i ->> 'id'
                     from json_array_elements(app.programs_list('not_started', null, null, null, 50, 0) -> 'items') i $$,
  $$ values ('T1-A-1', 'not_started', 1, null::text) $$,
  'not_started lists schools with accepted deficits and no program for that campaign');
select is((app.deficits_summary(pg_temp.fx('campaign:c1'), null, 50, 0) -> 'states')::jsonb,
  '{"open": 0, "in_work": 0, "eliminated": 2, "closed": 1}'::jsonb, 'deficits_summary counts the accepted deficits by state');
reset role;
-- Only open and in-work deficits need a measure: the c2 program covers its only deficit (I3) once closed.
select pg_temp.act_as('t-school-a1');
insert into fx values ('program:a1:c2', (app.program_create(pg_temp.body(pg_temp.fx('campaign:c2'))) ->> 'id')::bigint);
select app.program_measure_create(pg_temp.fx('program:a1:c2'), pg_temp.measure(array[
  (select id from app.deficits where submission_id = pg_temp.fx('sub:a1:c2') and kind = 'growth')])) \gset ignored_
select is(pg_temp.error_of(format('select app.program_submit(%s, null)', pg_temp.fx('program:a1:c2'))) ->> 'message',
  'Не все дефициты закрыты мероприятиями: 1', 'an open deficit must be covered');
reset role;
select pg_temp.act_as('t-mun-a');
select app.deficit_close((select id from app.deficits where submission_id = pg_temp.fx('sub:a1:c2') and kind = 'deficit'),
                         'Показатель неприменим') \gset ignored_
reset role;
select pg_temp.act_as('t-school-a1');
select is(app.program_submit(pg_temp.fx('program:a1:c2'), null) ->> 'status', 'submitted',
  'a closed deficit needs no measure');
reset role;

select * from finish();
rollback;
