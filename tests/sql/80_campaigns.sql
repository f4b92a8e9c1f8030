-- Campaigns: variant resolution per school (levels, ОВЗ, order), refusal
-- when a targeted school has no fitting variant, targets, dates and the
-- computed status, extending, visibility, progress by municipality.
-- Fixture schools (region T1): T1-A-1 and T1-B-1 offer primary, basic and
-- secondary; T1-A-2 primary and basic. t-main fits secondary, t-basic basic.
begin;
\ir fixtures.psql
\ir diagnostics_fixtures.psql
select plan(34);

create function pg_temp.campaign(p_title text, p_instruments text[], p_opens integer, p_closes integer,
                                 p_target jsonb default '{"all": true}') returns jsonb
language sql
as $$
  select jsonb_build_object('title', p_title,
           'instrument_ids', (select jsonb_agg(pg_temp.fx('instrument:' || i) order by o)
                              from unnest(p_instruments) with ordinality u(i, o)),
           'opens_on', app.moscow_today() + p_opens, 'closes_on', app.moscow_today() + p_closes, 'target', p_target)
$$;

-- Variant resolution -------------------------------------------------------------------------
select pg_temp.act_as('t-committee');
select app.campaign_create(pg_temp.campaign('Весна', array['t-main', 't-basic'], -1, 10))::jsonb as c1 \gset
reset role;
select results_eq(format($$ select s.code, i.code from app.campaign_schools cs join app.schools s on s.id = cs.school_id
                            join app.instruments i on i.id = cs.instrument_id where cs.campaign_id = %s order by 1 $$, :'c1'::jsonb ->> 'id'),
  $$ values ('T1-A-1', 't-main'), ('T1-A-2', 't-basic'), ('T1-B-1', 't-main') $$,
  'each school of the region gets the first variant that fits its levels; none of another region is targeted');
select is((:'c1'::jsonb) - array['id', 'created_at', 'instruments'],
  jsonb_build_object('title', 'Весна', 'status', 'open', 'opens_on', app.moscow_today() - 1, 'closes_on', app.moscow_today() + 10,
                     'target', '{"all": true}'::jsonb, 'targeted', 3, 'version', 1),
  'campaign_create returns the campaign with its computed status and targeted count');
select is((select jsonb_agg(i ->> 'code') from jsonb_array_elements(:'c1'::jsonb -> 'instruments') i),
  '["t-main", "t-basic"]'::jsonb, 'the instruments are listed in variant order');

select pg_temp.act_as('t-committee');
select results_eq(format($$ select s.code, i.code from app.campaign_schools cs join app.schools s on s.id = cs.school_id
                            join app.instruments i on i.id = cs.instrument_id where cs.campaign_id = %s order by 1 $$,
                         app.campaign_create(pg_temp.campaign('Порядок', array['t-basic', 't-main'], -1, 10)) ->> 'id'),
  $$ values ('T1-A-1', 't-basic'), ('T1-A-2', 't-basic'), ('T1-B-1', 't-basic') $$,
  'the order of instrument_ids decides: the first fitting variant wins');

select is(pg_temp.error_of(format('select app.campaign_create(%L)', pg_temp.campaign('Только СОО', array['t-main'], -1, 10))) - 'message',
  '{"sqlstate": "OR422", "detail": "validation.failed",
    "hint": [{"field": "target", "code": "no_instrument", "message": "Для 1 школы нет подходящего инструмента: T1-A-2"}]}'::jsonb,
  'a target that leaves a school without a fitting variant is refused on field target, naming the school');
select is(app.campaign_create(pg_temp.campaign('Только СОО, Бетинск', array['t-main'], -1, 10,
            jsonb_build_object('municipality_ids', jsonb_build_array(pg_temp.fx('municipality:T1-B'))))) ->> 'targeted',
  '1', 'the same variant alone is fine for a municipality whose schools all fit');
reset role;

-- ОВЗ: a variant with ovz fits only schools whose has_ovz_pupils equals it
select pg_temp.fx('instrument:t-main') as main_id \gset
insert into fx values ('instrument:t-ovz',
  pg_temp.load_instrument(jsonb_set(pg_temp.test_doc('t-ovz'), '{applies_to}', '{"levels": ["basic"], "ovz": true}')));
reset role;
select pg_temp.act_as('t-committee');
select is(pg_temp.error_of(format('select app.campaign_create(%L)',
            pg_temp.campaign('ОВЗ', array['t-ovz'], -1, 10, jsonb_build_object('school_ids', jsonb_build_array(pg_temp.fx('school:T1-A-2'))))))
          -> 'hint' -> 0 ->> 'code', 'no_instrument', 'an ovz:true variant does not fit a school without ОВЗ pupils');
select app.school_update(pg_temp.fx('school:T1-A-2'), null, '{"has_ovz_pupils": true}') \gset ignored_
select is(app.campaign_create(pg_temp.campaign('ОВЗ', array['t-ovz', 't-basic'], -1, 10)) ->> 'targeted', '3',
  'with ОВЗ pupils the school fits the ovz variant; the others fall through to t-basic…');
reset role;
select is((select i.code from app.campaign_schools cs join app.campaigns c on c.id = cs.campaign_id
           join app.instruments i on i.id = cs.instrument_id where c.title = 'ОВЗ' and cs.school_id = pg_temp.fx('school:T1-A-2')),
  't-ovz', '… T1-A-2 answers the ОВЗ variant');
select pg_temp.act_as('t-committee');

-- Input validation ------------------------------------------------------------------------------
select is(pg_temp.error_of($$ select app.campaign_create('{}') $$) -> 'hint',
  '[{"field": "title", "code": "required", "message": "Обязательное поле"},
    {"field": "instrument_ids", "code": "required", "message": "Выберите хотя бы один инструмент"},
    {"field": "opens_on", "code": "required", "message": "Укажите дату"},
    {"field": "closes_on", "code": "required", "message": "Укажите дату"},
    {"field": "target", "code": "required", "message": "Укажите, какие школы участвуют"}]'::jsonb,
  'an empty body names every required field');
select is(pg_temp.error_of(format('select app.campaign_create(%L)',
            jsonb_set(jsonb_set(pg_temp.campaign('Даты', array['t-main'], 5, 2), '{opens_on}', '"2025-02-30"'), '{target}',
                      '{"all": true, "school_ids": [1]}'))) -> 'hint',
  '[{"field": "opens_on", "code": "invalid_date", "message": "Ожидается существующая дата в формате ГГГГ-ММ-ДД"},
    {"field": "target", "code": "invalid", "message": "Укажите ровно одно из: {\"all\": true}, {\"municipality_ids\": […]}, {\"school_ids\": […]}"}]'::jsonb,
  'an impossible date is invalid_date; a target with two ways is invalid');
select is(pg_temp.error_of(format('select app.campaign_create(%L)', pg_temp.campaign('Даты', array['t-main'], 5, 2))) -> 'hint',
  '[{"field": "closes_on", "code": "invalid", "message": "Дата окончания раньше даты начала"}]'::jsonb,
  'closes_on before opens_on is refused');
select is(pg_temp.error_of(format('select app.campaign_create(%L)',
            pg_temp.campaign('Чужие', array['t-main'], 0, 2, jsonb_build_object('municipality_ids', jsonb_build_array(pg_temp.fx('municipality:T2-A')))))) -> 'hint' -> 0,
  jsonb_build_object('field', 'target.municipality_ids', 'code', 'not_found',
                     'message', 'Муниципалитеты не найдены: ' || pg_temp.fx('municipality:T2-A')),
  'a municipality of another region is not_found');
select is(pg_temp.error_of(format('select app.campaign_create(%L)',
            jsonb_set(pg_temp.campaign('Дубли', array['t-main'], 0, 2), '{instrument_ids}',
                      jsonb_build_array(pg_temp.fx('instrument:t-main'), pg_temp.fx('instrument:t-main'))))) -> 'hint' -> 0 ->> 'code',
  'duplicate', 'an instrument listed twice is duplicate');
select is(pg_temp.error_of(format('select app.campaign_create(%L)',
            jsonb_set(pg_temp.campaign('Чужой', array['t-main'], 0, 2), '{instrument_ids}', '[999999999]'))) -> 'hint' -> 0 ->> 'code',
  'not_found', 'an unknown instrument is not_found');
select (app.instrument_create(pg_temp.test_doc('t-draft')::json) ->> 'id') as draft_id \gset
select is(pg_temp.error_of(format('select app.campaign_create(%L)',
            jsonb_set(pg_temp.campaign('Черновик', array['t-main'], 0, 2), '{instrument_ids}', jsonb_build_array(:draft_id)))) -> 'hint',
  '[{"field": "instrument_ids", "code": "not_published", "message": "Инструмент не опубликован: «t-draft» v1"}]'::jsonb,
  'a draft instrument cannot run in a campaign');
reset role;
select pg_temp.act_as('t-committee2');
select is(pg_temp.error_of(format('select app.campaign_create(%L)', pg_temp.campaign('Чужой', array['t-main'], 0, 2))) -> 'hint' -> 0 ->> 'code',
  'not_found', 'another region''s committee cannot use the instrument');
reset role;
select pg_temp.act_as('t-mun-a');
select throws_ok(format('select app.campaign_create(%L)', pg_temp.campaign('Муниципальная', array['t-main'], 0, 2)),
  '42501', null, 'a municipality cannot create campaigns');
reset role;

-- Status from the dates (Europe/Moscow), list filter ---------------------------------------------
select pg_temp.act_as('t-loiro');
select is(app.campaign_create(pg_temp.campaign('Будущая', array['t-main', 't-basic'], 1, 10)) ->> 'status', 'planned',
  'a campaign opening tomorrow is planned (ЛОИРО may create campaigns)');
select is(app.campaign_create(pg_temp.campaign('Сегодня', array['t-main', 't-basic'], 0, 0)) ->> 'status', 'open',
  'a campaign opening and closing today is open');
select is(app.campaign_create(pg_temp.campaign('Прошлая', array['t-main', 't-basic'], -10, -1)) ->> 'status', 'closed',
  'a campaign that closed yesterday is closed');
select is(app.campaign_status((now() at time zone 'Europe/Moscow')::date, (now() at time zone 'Europe/Moscow')::date), 'open',
  'the status is computed on the Moscow date');
select results_eq($$ select i ->> 'title' from json_array_elements(app.campaigns_list('planned', 50, 0) -> 'items') i $$,
  $$ values ('Будущая') $$, 'campaigns_list filters by computed status');
select is(pg_temp.error_of($$ select app.campaigns_list('soon', 50, 0) $$) -> 'hint' -> 0 ->> 'field', 'status',
  'an unknown status filter is OR422 field status');

-- Extending -------------------------------------------------------------------------------------
select is(app.campaign_update((:'c1'::jsonb ->> 'id')::bigint, 1, jsonb_build_object('closes_on', app.moscow_today() + 20))::jsonb
            - array['id', 'created_at', 'instruments', 'title', 'opens_on', 'target', 'targeted'],
  jsonb_build_object('status', 'open', 'closes_on', app.moscow_today() + 20, 'version', 2),
  'campaign_update extends closes_on and bumps the version');
select is(pg_temp.error_of(format('select app.campaign_update(%s, 1, %L)', :'c1'::jsonb ->> 'id',
            jsonb_build_object('closes_on', app.moscow_today() + 30))) ->> 'detail',
  'conflict.stale_version', 'extending with a stale version is OR409');
select is(pg_temp.error_of(format('select app.campaign_update(%s, null, %L)', :'c1'::jsonb ->> 'id',
            jsonb_build_object('closes_on', app.moscow_today() - 5, 'title', 'Другая'))) -> 'hint',
  jsonb_build_array(jsonb_build_object('field', 'title', 'code', 'not_allowed', 'message', 'Можно изменить только дату окончания'),
                    jsonb_build_object('field', 'closes_on', 'code', 'invalid',
                                       'message', 'Дата окончания раньше даты начала (' || to_char(app.moscow_today() - 1, 'DD.MM.YYYY') || ')')),
  'only closes_on may change, and not before opens_on');
reset role;
select results_eq(format($$ select action, role from app.audit_log where entity = 'campaigns' and entity_id = %s order by id $$, :'c1'::jsonb ->> 'id'),
  $$ values ('insert', 'committee'), ('update', 'loiro') $$, 'creating and extending a campaign are audited');

-- Visibility -----------------------------------------------------------------------------------
select pg_temp.act_as('t-school-a2');
select results_eq($$ select i ->> 'title' from json_array_elements(app.campaigns_list(null, 50, 0) -> 'items') i order by 1 $$,
  $$ values ('Будущая'), ('Весна'), ('ОВЗ'), ('Порядок'), ('Прошлая'), ('Сегодня') $$,
  'a school sees only the campaigns that target it');
select is(app.campaign_get((select id from app.campaigns where title = 'Только СОО, Бетинск'))::text, null,
  'a campaign that does not target the school is invisible to it (404)');
select is((app.campaign_get((:'c1'::jsonb ->> 'id')::bigint) ->> 'targeted')::int, 1, 'for a school, targeted counts itself');
reset role;
select pg_temp.act_as('t-committee2');
select is(app.campaign_get((:'c1'::jsonb ->> 'id')::bigint)::text, null, 'another region''s committee cannot see the campaign');
reset role;

-- Progress -----------------------------------------------------------------------------------
select pg_temp.act_as('t-school-a1');
select app.submission_open((:'c1'::jsonb ->> 'id')::bigint) \gset ignored_
reset role;
select pg_temp.act_as('t-committee');
select is(app.campaign_progress((:'c1'::jsonb ->> 'id')::bigint)::jsonb,
  jsonb_build_object('campaign_id', (:'c1'::jsonb ->> 'id')::bigint,
    'total', '{"targeted": 3, "not_started": 2, "draft": 1, "submitted": 0, "returned": 0, "accepted": 0}'::jsonb,
    'municipalities', jsonb_build_array(
      jsonb_build_object('municipality_id', pg_temp.fx('municipality:T1-A'), 'name', 'Альфинский район', 'targeted', 2,
                         'not_started', 1, 'draft', 1, 'submitted', 0, 'returned', 0, 'accepted', 0),
      jsonb_build_object('municipality_id', pg_temp.fx('municipality:T1-B'), 'name', 'Бетинский район', 'targeted', 1,
                         'not_started', 1, 'draft', 0, 'submitted', 0, 'returned', 0, 'accepted', 0))),
  'campaign_progress counts every status per municipality, in name order');
reset role;
select pg_temp.act_as('t-mun-b');
select is((app.campaign_progress((:'c1'::jsonb ->> 'id')::bigint) -> 'total')::jsonb,
  '{"targeted": 1, "not_started": 1, "draft": 0, "submitted": 0, "returned": 0, "accepted": 0}'::jsonb,
  'a municipality''s progress counts only its own schools');
reset role;

select * from finish();
rollback;
