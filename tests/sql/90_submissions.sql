-- Submissions: who may edit, answer validation, versions, the state machine
-- (open → answer → submit → return → resubmit → accept → reopen), scoring at
-- the exact thresholds, the critical rule, a variant with another maximum,
-- deficits derived, replaced and made official, reads and their scope, audit.
-- Campaign «Весна» (open: yesterday … in 10 days) targets T1: T1-A-1 and
-- T1-B-1 answer t-main (max 7, thresholds 3/5/7; d1 1/2/3, d2 1/2/4),
-- T1-A-2 answers t-basic (max 6, thresholds 2/4/6).
begin;
\ir fixtures.psql
\ir diagnostics_fixtures.psql
select plan(74);
grant insert on fx to public;  -- tests remember ids while acting as a role

select pg_temp.act_as('t-committee');
insert into fx select 'campaign:spring', (app.campaign_create(jsonb_build_object(
  'title', 'Весна', 'opens_on', app.moscow_today() - 1, 'closes_on', app.moscow_today() + 10, 'target', '{"all": true}'::jsonb,
  'instrument_ids', jsonb_build_array(pg_temp.fx('instrument:t-main'), pg_temp.fx('instrument:t-basic')))) ->> 'id')::bigint;
reset role;

-- Opening -------------------------------------------------------------------------------------
select pg_temp.act_as('t-school-a1');
select app.submission_open(pg_temp.fx('campaign:spring'))::jsonb as opened \gset
select is((:'opened'::jsonb) - 'submission', '{"created": true}'::jsonb, 'a school opens its draft: created true');
select is((:'opened'::jsonb -> 'submission') - array['id', 'created_at', 'updated_at', 'history', 'campaign_id', 'school_id',
                                                   'municipality_id', 'instrument_id', 'opens_on', 'closes_on'],
  '{"campaign_title": "Весна", "campaign_status": "open", "school_code": "T1-A-1", "school_name": "СОШ № 1 Альфинск",
    "status": "draft", "version": 1, "editable": true, "submitted_at": null, "decided_at": null,
    "progress": {"answered": 0, "total": 4}, "answers": [], "attachments": [], "result": null}'::jsonb,
  'the draft: version 1, editable, no answers, no result');
select is((:'opened'::jsonb #>> '{submission,instrument_id}')::bigint, pg_temp.fx('instrument:t-main'),
  'the draft answers the variant resolved for the school');
insert into fx values ('sub:a1', (:'opened'::jsonb #>> '{submission,id}')::bigint);
select is(app.submission_open(pg_temp.fx('campaign:spring'))::jsonb -> 'created', 'false'::jsonb,
  'opening again returns the same submission: created false');
select is((select count(*)::int from app.submissions where school_id = pg_temp.fx('school:T1-A-1')), 1, 'one submission per school and campaign');
reset role;
select pg_temp.act_as('t-school-b1');
insert into fx values ('sub:b1', (app.submission_open(pg_temp.fx('campaign:spring')) #>> '{submission,id}')::bigint);
select is(app.submission_get(pg_temp.fx('sub:a1'))::text, null, 'another school cannot read the submission (404)');
select is(pg_temp.error_of(format($$select app.submission_answer(%s, %s, 'yes', null, null)$$, pg_temp.fx('sub:a1'),
                                  (select id from app.indicators where instrument_id = pg_temp.fx('instrument:t-main') and code = 'I1'))) ->> 'sqlstate',
  'OR404', 'another school cannot answer it (404)');
select is(pg_temp.error_of(format('select app.submission_submit(%s, null)', pg_temp.fx('sub:a1'))) ->> 'sqlstate',
  'OR404', 'another school cannot submit it (404)');
select is((select count(*)::int from app.answers), 0, 'a school sees no answers but its own');
reset role;
select pg_temp.act_as('t-school-t2');
select is(pg_temp.error_of(format('select app.submission_open(%s)', pg_temp.fx('campaign:spring'))) ->> 'sqlstate', 'OR404',
  'a school the campaign does not target cannot open it (404)');
reset role;
select pg_temp.act_as('t-mun-a');
select throws_ok(format('select app.submission_open(%s)', pg_temp.fx('campaign:spring')), '42501', null,
  'a municipality cannot open submissions');
select is(pg_temp.error_of(format($$select app.submission_answer(%s, 1, 'yes', null, null)$$, pg_temp.fx('sub:a1'))) ->> 'sqlstate',
  '42501', 'a municipality cannot answer for its school');
reset role;

-- Answers -----------------------------------------------------------------------------------------
select pg_temp.act_as('t-school-a1');
select is(pg_temp.answer(pg_temp.fx('sub:a1'), 'I1', 'yes')::jsonb - 'answer',
  '{"submission_id": 0, "status": "draft", "version": 2, "progress": {"answered": 1, "total": 4}}'::jsonb
    || jsonb_build_object('submission_id', pg_temp.fx('sub:a1')),
  'saving an answer bumps the version and reports progress');
select is(pg_temp.answer(pg_temp.fx('sub:a1'), 'I1', 'yes')::jsonb ->> 'version', '2',
  'saving the same answer again changes nothing (version stays)');
select is(pg_temp.error_of(format($$select app.submission_answer(%s, %s, 'maybe', null, null)$$, pg_temp.fx('sub:a1'),
                                  pg_temp.indicator(pg_temp.fx('sub:a1'), 'I1'))) - 'message',
  '{"sqlstate": "OR422", "detail": "validation.failed",
    "hint": [{"field": "value", "code": "invalid", "message": "Выберите один из ответов: «Нет», «Да»"}]}'::jsonb,
  'a value that is not one of the indicator''s options is field value invalid');
select is(pg_temp.error_of(format($$select app.submission_answer(%s, %s, 'yes', null, null)$$, pg_temp.fx('sub:a1'),
                                  (select id from app.indicators where instrument_id = pg_temp.fx('instrument:t-basic') and code = 'H1'))) -> 'hint',
  '[{"field": "indicator_id", "code": "not_found", "message": "В анкете нет такого показателя"}]'::jsonb,
  'an indicator of another instrument is field indicator_id not_found (422)');
select is(pg_temp.error_of(format($$select app.submission_answer(%s, %s, 'yes', %L, null)$$, pg_temp.fx('sub:a1'),
                                  pg_temp.indicator(pg_temp.fx('sub:a1'), 'I3'), repeat('ж', 2001))) -> 'hint' -> 0 ->> 'code',
  'too_long', 'a comment over 2000 characters is too_long');
select is(pg_temp.error_of(format($$select app.submission_answer(%s, %s, 'no', null, 2)$$, pg_temp.fx('sub:a1'),
                                  pg_temp.indicator(pg_temp.fx('sub:a1'), 'I1'))) - 'hint',
  '{"sqlstate": "OR409", "message": "Запись изменена другим пользователем. Обновите страницу и повторите",
    "detail": "conflict.stale_version"}'::jsonb,
  'a change based on another version of that answer is OR409 conflict.stale_version (If-Match: the answer''s version)');
select is(pg_temp.error_of(format($$select app.submission_answer(%s, %s, 'yes', null, 1)$$, pg_temp.fx('sub:a1'),
                                  pg_temp.indicator(pg_temp.fx('sub:a1'), 'I3'))) - 'hint',
  '{"sqlstate": "OR409", "message": "Этот ответ ещё не сохранён: обновите страницу и повторите",
    "detail": "conflict.stale_version"}'::jsonb,
  'a version for an answer not saved yet is stale too');
select is((app.submission_answer(pg_temp.fx('sub:a1'), pg_temp.indicator(pg_temp.fx('sub:a1'), 'I3'), 'yes', ' Подтверждено приказом ', null)::jsonb
            -> 'answer') - 'indicator_id' - 'updated_at',
  '{"value": "yes", "comment": "Подтверждено приказом", "points": 1, "version": 1}'::jsonb,
  'a first answer without If-Match is saved as version 1 (comment trimmed), whatever the submission''s version');
select is((app.submission_answer(pg_temp.fx('sub:a1'), pg_temp.indicator(pg_temp.fx('sub:a1'), 'I1'), 'yes', 'С комментарием', 1)::jsonb
            -> 'answer' ->> 'version'), '2', 'a change with the answer''s current version moves it');
select is((select count(*)::int from app.answers), 2, 'refused answers stored nothing');

-- Submit needs every indicator ------------------------------------------------------------------
select is(pg_temp.error_of(format('select app.submission_submit(%s, null)', pg_temp.fx('sub:a1'))),
  jsonb_build_object('sqlstate', 'OR422', 'detail', 'submission.incomplete',
                     'message', 'Ответьте на все показатели: без ответа 2',
                     'hint', jsonb_build_array(
                       jsonb_build_object('field', 'answers.' || pg_temp.indicator(pg_temp.fx('sub:a1'), 'I2'), 'code', 'required',
                                          'message', 'Нет ответа на показатель I2: Обеспеченность учебниками'),
                       jsonb_build_object('field', 'answers.' || pg_temp.indicator(pg_temp.fx('sub:a1'), 'I4'), 'code', 'required',
                                          'message', 'Нет ответа на показатель I4: Школьные творческие объединения'))),
  'submit with unanswered indicators is OR422 submission.incomplete listing each as answers.<id>');

-- Exact thresholds: 5 points reach medium (and d1 3 = high, d2 2 = medium) ---------------------
select pg_temp.answer(pg_temp.fx('sub:a1'), 'I2', '2') \gset ignored_
select pg_temp.answer(pg_temp.fx('sub:a1'), 'I4', '1') \gset ignored_
select is(pg_temp.error_of(format('select app.submission_submit(%s, 2)', pg_temp.fx('sub:a1'))) ->> 'detail',
  'conflict.stale_version', 'submit with a stale version is OR409');
select app.submission_submit(pg_temp.fx('sub:a1'), 6)::jsonb as submitted \gset
select is(:'submitted'::jsonb ->> 'status', 'submitted', 'submit with the current version succeeds');
select is(:'submitted'::jsonb -> 'result',
  jsonb_build_object('total_points', 5, 'max_points', 7, 'level', 'medium',
    'directions', jsonb_build_array(
      jsonb_build_object('direction_id', (select id from app.directions where instrument_id = pg_temp.fx('instrument:t-main') and code = 'd1'),
                         'code', 'd1', 'title', 'Знание', 'points', 3, 'max_points', 3, 'level', 'high'),
      jsonb_build_object('direction_id', (select id from app.directions where instrument_id = pg_temp.fx('instrument:t-main') and code = 'd2'),
                         'code', 'd2', 'title', 'Воспитание', 'points', 2, 'max_points', 4, 'level', 'medium'))),
  'points equal to a threshold reach that level, overall and per direction (5 → medium, 3 → high, 2 → medium)');
select results_eq(format($$ select x.code, d.kind, d.points, d.max_points, d.critical, d.official
                            from app.deficits d join app.indicators x on x.id = d.indicator_id
                            where d.submission_id = %s order by x.code $$, pg_temp.fx('sub:a1')),
  $$ values ('I4', 'growth', 1, 3, false, false) $$,
  'deficits are derived on submit: above 0 and below the maximum is a growth area, not official yet');

-- One point below: 4 points are basic (d2 1 point = basic) ----------------------------------------
reset role;
select pg_temp.act_as('t-school-b1');
select count(pg_temp.answer(pg_temp.fx('sub:b1'), v.code, v.value)) from (values ('I1', 'yes'), ('I2', '2'), ('I3', 'yes'), ('I4', '0')) v(code, value) \gset ignored_
select is((select jsonb_build_object('total', r -> 'total_points', 'level', r -> 'level',
                                     'd', jsonb_path_query_array(r, '$.directions[*].level'))
           from (select app.submission_submit(pg_temp.fx('sub:b1'), null)::jsonb -> 'result' as r) x),
  '{"total": 4, "level": "basic", "d": ["high", "basic"]}'::jsonb,
  'one point below a threshold does not reach it (4 → basic; d2 1 → basic)');
select results_eq(format($$ select x.code, d.kind, d.points, d.critical from app.deficits d join app.indicators x on x.id = d.indicator_id
                            where d.submission_id = %s order by x.code $$, pg_temp.fx('sub:b1')),
  $$ values ('I4', 'deficit', 0, false) $$, 'an indicator at 0 points is a deficit');
reset role;

-- A variant with a different maximum ---------------------------------------------------------------
select pg_temp.act_as('t-school-a2');
insert into fx values ('sub:a2', (app.submission_open(pg_temp.fx('campaign:spring')) #>> '{submission,id}')::bigint);
select count(pg_temp.answer(pg_temp.fx('sub:a2'), v.code, v.value)) from (values ('I1', 'yes'), ('I2', '1'), ('H1', '2')) v(code, value) \gset ignored_
select is((app.submission_submit(pg_temp.fx('sub:a2'), null)::jsonb -> 'result') - 'directions',
  '{"total_points": 4, "max_points": 6, "level": "medium"}'::jsonb,
  'the t-basic variant scores against its own maximum and thresholds (4 of 6 → medium, where t-main says basic)');
reset role;

-- The state machine --------------------------------------------------------------------------------
select pg_temp.act_as('t-school-a1');
select is(pg_temp.error_of(format($$select app.submission_answer(%s, %s, 'no', null, null)$$, pg_temp.fx('sub:a1'),
                                  pg_temp.indicator(pg_temp.fx('sub:a1'), 'I1'))) - 'hint',
  '{"sqlstate": "OR409", "message": "Анкета отправлена на проверку и не может быть изменена", "detail": "conflict.state"}'::jsonb,
  'a submitted submission cannot be edited (409 conflict.state)');
select is(pg_temp.error_of(format('select app.submission_submit(%s, null)', pg_temp.fx('sub:a1'))) ->> 'detail',
  'conflict.state', 'nor submitted twice');
select is(app.submission_get(pg_temp.fx('sub:a1')) ->> 'editable', 'false', 'editable is false once submitted');
reset role;

select pg_temp.act_as('t-mun-b');
select is(pg_temp.error_of(format('select app.submission_accept(%s, null)', pg_temp.fx('sub:a1'))) ->> 'sqlstate',
  'OR404', 'the municipality of another district cannot accept it (404)');
select is(pg_temp.error_of(format($$select app.submission_return(%s, null, 'Нет')$$, pg_temp.fx('sub:a1'))) ->> 'sqlstate',
  'OR404', 'nor return it');
select is(app.submission_get(pg_temp.fx('sub:a1'))::text, null, 'nor read it');
reset role;
select pg_temp.act_as('t-committee');
select throws_ok(format('select app.submission_accept(%s, null)', pg_temp.fx('sub:a1')), '42501', null,
  'the committee does not accept submissions (municipality only)');
reset role;

select pg_temp.act_as('t-mun-a');
select is(pg_temp.error_of(format('select app.submission_return(%s, null, %L)', pg_temp.fx('sub:a1'), '  ')) -> 'hint',
  '[{"field": "comment", "code": "required", "message": "Обязательное поле"}]'::jsonb, 'returning needs a comment');
select is(pg_temp.error_of(format('select app.submission_accept(%s, 5)', pg_temp.fx('sub:a1'))) ->> 'detail',
  'conflict.stale_version', 'accepting with a stale version is OR409');
select is(pg_temp.error_of(format('select app.submission_accept(%s, null)', pg_temp.fx('sub:a2'))) ->> 'sqlstate', null,
  'the municipality accepts another of its schools');
select is(app.submission_return(pg_temp.fx('sub:a1'), 7, 'Уточните показатель I4')::jsonb ->> 'status', 'returned',
  'the municipality returns a submitted submission with a comment');
select is((app.submission_get(pg_temp.fx('sub:a1')) -> 'history' -> -1)::jsonb - 'at',
  jsonb_build_object('action', 'return', 'status', 'returned', 'comment', 'Уточните показатель I4',
                     'by', jsonb_build_object('id', pg_temp.fx('user:t-mun-a'), 'full_name', 'Альфина Ольга Сергеевна',
                                              'role', 'municipality', 'organisation_name', 'Альфинский район')),
  'the history records who returned it, as whom, and the comment');
select is(pg_temp.error_of(format('select app.submission_accept(%s, null)', pg_temp.fx('sub:a1'))) ->> 'detail',
  'conflict.state', 'a returned submission cannot be accepted');
reset role;

-- The school corrects and resubmits: a critical indicator at 0 makes it below_basic ---------------
select pg_temp.act_as('t-school-a1');
select is(app.submission_get(pg_temp.fx('sub:a1')) ->> 'editable', 'true', 'a returned submission is editable again');
select pg_temp.answer(pg_temp.fx('sub:a1'), 'I1', 'no') \gset ignored_
select pg_temp.answer(pg_temp.fx('sub:a1'), 'I4', '3') \gset ignored_
select is((app.submission_submit(pg_temp.fx('sub:a1'), null)::jsonb -> 'result') - 'directions',
  '{"total_points": 6, "max_points": 7, "level": "below_basic"}'::jsonb,
  'with critical_rule a critical indicator at 0 makes the level below_basic although 6 points reach medium');
select results_eq(format($$ select x.code, d.kind, d.points, d.critical from app.deficits d join app.indicators x on x.id = d.indicator_id
                            where d.submission_id = %s order by x.code $$, pg_temp.fx('sub:a1')),
  $$ values ('I1', 'deficit', 0, true) $$,
  'deficits are replaced on resubmit: the growth area I4 is gone, the critical deficit I1 appears');
reset role;
select is((select level from app.submission_directions sd join app.directions d on d.id = sd.direction_id
           where sd.submission_id = pg_temp.fx('sub:a1') and d.code = 'd1'), 'medium',
  'direction levels ignore the critical rule (d1: 2 of 3 → medium)');

-- Accept: frozen, deficits official ---------------------------------------------------------------
select pg_temp.act_as('t-mun-a');
select is(app.submission_accept(pg_temp.fx('sub:a1'), null) ->> 'status', 'accepted', 'the municipality accepts it');
select is((select bool_and(official) from app.deficits where submission_id = pg_temp.fx('sub:a1')), true,
  'accepting makes its deficits official');
reset role;
select pg_temp.act_as('t-school-a1');
select is(pg_temp.error_of(format($$select app.submission_answer(%s, %s, 'yes', null, null)$$, pg_temp.fx('sub:a1'),
                                  pg_temp.indicator(pg_temp.fx('sub:a1'), 'I1'))) ->> 'message',
  'Анкета принята и не может быть изменена', 'an accepted submission cannot be edited (409)');
reset role;
select is(pg_temp.error_of(format($$update app.answers set points = 1 where submission_id = %s$$, pg_temp.fx('sub:a1'))) ->> 'sqlstate',
  'OR409', 'even the owner cannot change answers of an accepted submission (trigger)');
select is(pg_temp.error_of(format($$update app.submissions set status = 'draft' where id = %s$$, pg_temp.fx('sub:a1'))) ->> 'sqlstate',
  'OR409', 'even the owner cannot move a submission outside the state machine (trigger)');

-- Reopen: committee only, with a reason, audited -------------------------------------------------
select pg_temp.act_as('t-mun-a');
select throws_ok(format($$select app.submission_reopen(%s, null, 'Ошибка')$$, pg_temp.fx('sub:a1')), '42501', null,
  'a municipality cannot reopen');
reset role;
select pg_temp.act_as('t-committee2');
select is(pg_temp.error_of(format($$select app.submission_reopen(%s, null, 'Ошибка')$$, pg_temp.fx('sub:a1'))) ->> 'sqlstate',
  'OR404', 'another region''s committee cannot reopen it (404)');
reset role;
select pg_temp.act_as('t-committee');
select is(pg_temp.error_of(format('select app.submission_reopen(%s, null, null)', pg_temp.fx('sub:a1'))) -> 'hint' -> 0 ->> 'field',
  'reason', 'reopening needs a reason');
select is(pg_temp.error_of(format($$select app.submission_reopen(%s, null, 'Ошибка')$$, pg_temp.fx('sub:b1'))) ->> 'detail',
  'conflict.state', 'only an accepted submission can be reopened');
select is(app.submission_reopen(pg_temp.fx('sub:a1'), null, 'Ошибка в данных о программах') ->> 'status', 'returned',
  'the committee reopens an accepted submission: it goes back to returned');
reset role;
select results_eq(format($$ select action, role, user_id, before ->> 'status', after ->> 'status', after ->> 'reason'
                            from app.audit_log where entity = 'submissions' and entity_id = %s
                              and (action = 'reopen' or (before ->> 'status' = 'accepted')) order by id $$, pg_temp.fx('sub:a1')),
  format($$ values ('update', 'committee', %1$s::bigint, 'accepted', 'returned', null),
                   ('reopen', 'committee', %1$s, 'accepted', 'returned', 'Ошибка в данных о программах') $$, pg_temp.fx('user:t-committee')),
  'the reopen is audited: the row change and a reopen entry with the reason');
select is((select jsonb_build_object('action', action, 'comment', comment) from app.submission_events
           where submission_id = pg_temp.fx('sub:a1') order by id desc limit 1),
  '{"action": "reopen", "comment": "Ошибка в данных о программах"}'::jsonb, 'the reason is the history comment');
select is((select bool_or(official) from app.deficits where submission_id = pg_temp.fx('sub:a1')), false,
  'a reopened submission''s deficits are no longer official');
select cmp_ok((select count(*)::int from app.audit_log where entity = 'answers' and role = 'school'
               and user_id = pg_temp.fx('user:t-school-a1')), '>=', 6, 'every saved answer is audited');

-- A closed campaign refuses edits ----------------------------------------------------------------
select pg_temp.act_as('t-committee');
select app.campaign_update(pg_temp.fx('campaign:spring'), null, jsonb_build_object('closes_on', app.moscow_today() - 1)) \gset ignored_
reset role;
select pg_temp.act_as('t-school-a1');
select is(pg_temp.error_of(format($$select app.submission_answer(%s, %s, 'yes', null, null)$$, pg_temp.fx('sub:a1'),
                                  pg_temp.indicator(pg_temp.fx('sub:a1'), 'I1'))),
  jsonb_build_object('sqlstate', 'OR409', 'detail', 'conflict.state', 'hint', null,
                     'message', 'Кампания завершена: приём анкет закончился ' || to_char(app.moscow_today() - 1, 'DD.MM.YYYY')),
  'after the closing date the school cannot edit (409)');
reset role;

-- Reads and their scope ------------------------------------------------------------------------------
select pg_temp.act_as('t-school-a1');
select is((select jsonb_agg(i ->> 'indicator_code') from json_array_elements(app.school_deficits(pg_temp.fx('school:T1-A-1'), null) -> 'items') i),
  '["I1"]'::jsonb, 'a school lists its deficits');
select is(app.school_deficits(pg_temp.fx('school:T1-B-1'), null)::text, null, 'not another school''s (404)');
select is(json_array_length(app.school_results(pg_temp.fx('school:T1-A-1')) -> 'items'), 1, 'a school sees its results by campaign');
reset role;
select pg_temp.act_as('t-mun-b');
select is(((select jsonb_agg(i) from json_array_elements(app.school_deficits(pg_temp.fx('school:T1-B-1'), pg_temp.fx('campaign:spring')) -> 'items') i)
            -> 0) - array['id', 'indicator_id', 'direction_id', 'status', 'status_at', 'closed_reason', 'measures'],
  '{"indicator_code": "I4", "indicator_text": "Школьные творческие объединения", "direction_code": "d2",
    "direction_title": "Воспитание", "points": 0, "max_points": 3, "critical": false, "kind": "deficit", "official": false}'::jsonb,
  'a municipality lists the deficits of its school with indicator and direction');
select is((app.deficits_summary(pg_temp.fx('campaign:spring'), null, 50, 0))::jsonb - 'items' - 'campaign_id' - 'states',
  '{"municipality_id": null, "assessed": 1, "total": 1, "limit": 50, "offset": 0}'::jsonb,
  'a municipality''s deficit summary counts only its own schools');
select results_eq($$ select i ->> 'school_code', i ->> 'status' from json_array_elements(
                       app.submissions_list(null, null, null, null, null, 50, 0) -> 'items') i $$,
  $$ values ('T1-B-1', 'submitted') $$, 'a municipality lists only its schools'' submissions');
reset role;
select pg_temp.act_as('t-committee');
select results_eq($$ select i ->> 'indicator_code', (i ->> 'deficit_schools')::int, (i ->> 'growth_schools')::int
                     from json_array_elements(app.deficits_summary(pg_temp.fx('campaign:spring'), null, 50, 0) -> 'items') i $$,
  $$ values ('I4', 1, 0), ('H1', 0, 1), ('I2', 0, 1) $$,
  'the region''s summary: per indicator code, how many submitted or accepted schools have it as a deficit or growth area');
select results_eq($$ select i ->> 'school_code', i ->> 'status', (i ->> 'id') is null
                     from json_array_elements(app.submissions_list(pg_temp.fx('campaign:spring'), null, null, null, null, 50, 0) -> 'items') i $$,
  $$ values ('T1-A-2', 'accepted', false), ('T1-A-1', 'returned', false), ('T1-B-1', 'submitted', false) $$,
  'the committee lists the region''s submissions by municipality and school');
select is(app.submissions_list(pg_temp.fx('campaign:spring'), 'not_started', null, null, null, 50, 0) ->> 'total', '0',
  'status not_started lists targeted schools without a submission (none here)');
select results_eq($$ select i ->> 'school_code', i ->> 'status'
                     from json_array_elements(app.submissions_list(pg_temp.fx('campaign:spring'), null, null, true,
                                                                   'status', 50, 0) -> 'items') i $$,
  $$ values ('T1-B-1', 'submitted'), ('T1-A-1', 'returned'), ('T1-A-2', 'accepted') $$,
  'sort status puts the submissions in review order: submitted, returned, draft, not started, accepted');
select results_eq($$ select i ->> 'school_code'
                     from json_array_elements(app.submissions_list(pg_temp.fx('campaign:spring'), null, null, null,
                                                                   '-school_name', 50, 0) -> 'items') i $$,
  $$ values ('T1-B-1'), ('T1-A-1'), ('T1-A-2') $$,
  'sort -school_name lists by school name descending');
select throws_ok($$ select app.submissions_list(null, null, null, null, 'id', 50, 0) $$, 'OR422', 'Проверьте введённые данные',
  'a sort outside the allow-list is 422');
reset role;

select * from finish();
rollback;
