-- Practices (ЛОИРО writes, everyone of the region reads; found by indicator
-- code across variants and versions), mentor suggestions (full points on the
-- same instrument and indicator code in an accepted submission, own
-- municipality first, the caller left out) and partnerships (recorded by the
-- mentee's municipality, seen by both schools and their municipalities).
-- Fixtures as 120_programs: c1 accepted for T1-A-1 (I1 0), T1-B-1 (I1 full,
-- I4 2 of 3) and T1-A-2 (t-basic, I1 full).
begin;
\ir fixtures.psql
\ir diagnostics_fixtures.psql
\ir programs_fixtures.psql
select plan(33);

create function pg_temp.ind(p_instrument text, p_code text) returns bigint language sql stable
as $$ select id from app.indicators where instrument_id = pg_temp.fx('instrument:' || p_instrument) and code = p_code $$;
-- A second version of t-main: its I1 shares the code, so the same practices apply.
insert into fx values ('instrument:t-main-v2', pg_temp.load_instrument(pg_temp.test_doc('t-main', 2)));

-- Practices ------------------------------------------------------------------------------------------------------
select pg_temp.act_as('t-loiro');
select app.practice_create(jsonb_build_object(
  'title', ' Переход на ФРП ', 'body', repeat('Алгоритм перехода. ', 30),
  'links', '["https://edsoo.ru/", " http://example.org/a "]'::jsonb,
  'indicator_ids', jsonb_build_array(pg_temp.ind('t-main', 'I1'))))::jsonb as p1 \gset
insert into fx values ('practice:1', (:'p1'::jsonb ->> 'id')::bigint);
select is(:'p1'::jsonb - array['id', 'body', 'created_at', 'updated_at', 'indicators'],
  '{"title": "Переход на ФРП", "links": ["https://edsoo.ru/", "http://example.org/a"], "author_name": "Институтов Пётр Ильич",
    "version": 1, "attachments": []}'::jsonb, 'ЛОИРО adds a practice (title and links trimmed, author named)');
select is(:'p1'::jsonb -> 'indicators' -> 0 ->> 'instrument_code', 't-main', 'the practice lists its indicators with their instrument');
insert into fx values ('practice:2', (app.practice_create(jsonb_build_object(
  'title', 'Школьный театр', 'body', 'Как открыть школьный театр',
  'indicator_ids', jsonb_build_array(pg_temp.ind('t-main', 'I4')))) ->> 'id')::bigint);
select is(pg_temp.error_of($$select app.practice_create('{"title": "", "body": "x", "links": ["ftp://x", 5], "indicator_ids": [999999999]}')$$) -> 'hint',
  '[{"field": "title", "code": "required", "message": "Обязательное поле"},
    {"field": "links[0]", "code": "invalid", "message": "Ссылка должна начинаться с http:// или https://"},
    {"field": "links[1]", "code": "invalid", "message": "Ссылка должна начинаться с http:// или https://"},
    {"field": "indicator_ids[0]", "code": "not_found", "message": "Нет такого показателя"}]'::jsonb,
  'practice fields are validated together: title, each link, each unknown indicator');
select is(pg_temp.error_of($$select app.practice_create('{"title": "x", "body": "x", "indicator_ids": []}')$$) -> 'hint',
  '[{"field": "indicator_ids", "code": "required", "message": "Выберите показатели"}]'::jsonb, 'a practice needs an indicator');
select is(pg_temp.error_of(format('select app.practice_create(%L)', jsonb_build_object('title', 'x', 'body', 'x',
            'links', (select jsonb_agg('https://a.ru/' || i) from generate_series(1, 11) i), 'indicator_ids', jsonb_build_array(pg_temp.ind('t-main', 'I1'))))) -> 'hint' -> 0,
  '{"field": "links", "code": "too_many", "message": "Не больше 10 ссылок"}'::jsonb, 'at most 10 links');
select is(pg_temp.error_of(format('select app.practice_update(%s, 5, %L)', pg_temp.fx('practice:1'), '{"title": "Новое"}')) ->> 'detail',
  'conflict.stale_version', 'a practice edit with a stale version is OR409');
select is((app.practice_update(pg_temp.fx('practice:1'), 1, jsonb_build_object(
             'indicator_ids', jsonb_build_array(pg_temp.ind('t-main', 'I1'), pg_temp.ind('t-main', 'I2'))))::jsonb
           -> 'version'), '2'::jsonb, 'replacing the indicators moves the version');
select is(app.practice_update(pg_temp.fx('practice:1'), 2, '{"title": "Переход на ФРП и учебники"}')::jsonb ->> 'title',
  'Переход на ФРП и учебники', 'ЛОИРО edits the title');
reset role;
select pg_temp.act_as('t-committee');
select throws_ok(format('select app.practice_update(%s, null, %L)', pg_temp.fx('practice:1'), '{"title": "x"}'), '42501', null,
  'the committee cannot edit practices');
reset role;
select pg_temp.act_as('t-school-a1');
select results_eq(format($$ select (i ->> 'id')::bigint from json_array_elements(app.practices_list(%s, null, 50, 0) -> 'items') i $$,
                         pg_temp.ind('t-main-v2', 'I1')),
  format($$ values (%s::bigint) $$, pg_temp.fx('practice:1')),
  'a school finds the practice by an indicator of another version with the same codes');
select is((app.practices_list(null, 'театр', 50, 0) -> 'items' -> 0 ->> 'title'), 'Школьный театр',
  'practices are searched in title and body, case-insensitively');
select is(app.practices_list(null, '%', 50, 0) ->> 'total', '0', '% in the search string is literal');
select is(char_length(app.practices_list(pg_temp.ind('t-main', 'I1'), null, 50, 0) -> 'items' -> 0 ->> 'excerpt'), 300,
  'list items carry an excerpt of at most 300 characters instead of the body');
select is((app.practices_list(null, null, 50, 0) -> 'items' -> 0 ->> 'id')::bigint, pg_temp.fx('practice:2'), 'newest first');
select is(app.practice_get(pg_temp.fx('practice:1')) ->> 'body', btrim(repeat('Алгоритм перехода. ', 30)),
  'the practice itself has the full body (stored trimmed of the outer spaces)');
select throws_ok($$select app.practice_create('{"title": "x", "body": "x", "indicator_ids": [1]}')$$, '42501', null,
  'a school cannot add practices');
reset role;
select pg_temp.act_as('t-committee2');
select is(app.practice_get(pg_temp.fx('practice:1'))::text, null, 'another region does not see the practice');
reset role;

-- Mentors ---------------------------------------------------------------------------------------------------------
-- In the later campaign c2 T1-A-1 and T1-B-1 both reach full points on I1.
insert into fx values
  ('sub:a1:c2', pg_temp.accepted('t-school-a1', 't-mun-a', pg_temp.fx('campaign:c2'), '{"I1": "yes", "I2": "2", "I3": "yes", "I4": "3"}')),
  ('sub:b1:c2', pg_temp.accepted('t-school-b1', 't-mun-b', pg_temp.fx('campaign:c2'), '{"I1": "yes", "I2": "2", "I3": "no", "I4": "3"}'));
reset role;
select pg_temp.act_as('t-school-a2');
select results_eq(format($$ select i ->> 'short_name', (i ->> 'points')::int, (i ->> 'max_points')::int, (i ->> 'same_municipality')::boolean
                            from json_array_elements(app.indicator_mentors(%s, %s, 50, 0) -> 'items') i $$,
                         pg_temp.ind('t-main', 'I1'), pg_temp.fx('campaign:c2')),
  $$ values ('СОШ № 1 Альфинск', 1, 1, true), ('СОШ № 1 Бетинск', 1, 1, false) $$,
  'mentors: schools with full points on the same instrument and indicator code, the caller''s municipality first');
reset role;
select pg_temp.act_as('t-school-a1');
select results_eq(format($$ select i ->> 'short_name' from json_array_elements(app.indicator_mentors(%s, null, 50, 0) -> 'items') i $$,
                         pg_temp.ind('t-main-v2', 'I1')),
  $$ values ('СОШ № 1 Бетинск') $$,
  'the caller''s own school is left out; an indicator of another version with the same codes finds the same mentors');
select is((app.indicator_mentors(pg_temp.ind('t-main', 'I1'), null, 50, 0) ->> 'campaign_id')::bigint, pg_temp.fx('campaign:c2'),
  'without a campaign the newest campaign with accepted answers is used');
select is(app.indicator_mentors(pg_temp.ind('t-main', 'I3'), pg_temp.fx('campaign:c1'), 50, 0) ->> 'total', '1',
  'in c1 only T1-B-1 met I3 (T1-A-1 had 0)');
reset role;
select pg_temp.act_as('t-mun-b');
select results_eq(format($$ select i ->> 'short_name' from json_array_elements(app.indicator_mentors(%s, %s, 50, 0) -> 'items') i $$,
                         pg_temp.ind('t-main', 'I1'), pg_temp.fx('campaign:c2')),
  $$ values ('СОШ № 1 Бетинск'), ('СОШ № 1 Альфинск') $$, 'a municipality sees its own schools first');
reset role;
select pg_temp.act_as('t-committee2');
select is(app.indicator_mentors(pg_temp.ind('t-main', 'I1'), null, 50, 0)::text, null,
  'an indicator of another region is not visible (NULL → 404)');
reset role;

-- Partnerships -----------------------------------------------------------------------------------------------------
select pg_temp.act_as('t-mun-a');
select app.partnership_create(jsonb_build_object('school_id', pg_temp.fx('school:T1-A-1'),
  'mentor_school_id', pg_temp.fx('school:T1-B-1'), 'indicator_ids', jsonb_build_array(pg_temp.ind('t-main', 'I1'))))::jsonb as pa \gset
insert into fx values ('partnership:1', (:'pa'::jsonb ->> 'id')::bigint);
select is(jsonb_build_array(:'pa'::jsonb #> '{school,short_name}', :'pa'::jsonb #> '{mentor,short_name}',
                            :'pa'::jsonb #> '{mentor,municipality_name}', :'pa'::jsonb #> '{indicators,0,code}',
                            :'pa'::jsonb -> 'created_by_name'),
  '["СОШ № 1 Альфинск", "СОШ № 1 Бетинск", "Бетинский район", "I1", "Альфина Ольга Сергеевна"]'::jsonb,
  'a municipality pairs its school with a mentor school of another municipality');
select is(pg_temp.error_of(format('select app.partnership_create(%L)', jsonb_build_object('school_id', pg_temp.fx('school:T1-A-1'),
            'mentor_school_id', pg_temp.fx('school:T1-B-1')))) - 'hint',
  '{"sqlstate": "OR409", "detail": "conflict.duplicate", "message": "Такое наставничество уже оформлено"}'::jsonb,
  'the same pair again is OR409 conflict.duplicate');
select is(pg_temp.error_of(format('select app.partnership_create(%L)', jsonb_build_object('school_id', pg_temp.fx('school:T1-B-1'),
            'mentor_school_id', pg_temp.fx('school:T2-A-1')))) -> 'hint',
  '[{"field": "school_id", "code": "not_found", "message": "Школа не найдена среди школ муниципалитета"},
    {"field": "mentor_school_id", "code": "not_found", "message": "Школа-наставник не найдена в регионе"}]'::jsonb,
  'only its own school, and a mentor of the region');
select is(pg_temp.error_of(format('select app.partnership_create(%L)', jsonb_build_object('school_id', pg_temp.fx('school:T1-A-2'),
            'mentor_school_id', pg_temp.fx('school:T1-A-2')))) -> 'hint' -> 0 ->> 'code',
  'invalid', 'a school cannot mentor itself');
reset role;
select pg_temp.act_as('t-school-b1');
select is((app.partnerships_list(null, 50, 0) -> 'items' -> 0 ->> 'id')::bigint, pg_temp.fx('partnership:1'),
  'the mentor school sees the partnership');
reset role;
select pg_temp.act_as('t-school-a2');
select is(app.partnerships_list(null, 50, 0) ->> 'total', '0', 'a school outside the pair sees nothing');
reset role;
select pg_temp.act_as('t-mun-b');
select is(app.partnerships_list(pg_temp.fx('school:T1-B-1'), 50, 0) ->> 'total', '1',
  'the mentor''s municipality sees it (filtered by school)');
select is(pg_temp.error_of(format('select app.partnership_delete(%s)', pg_temp.fx('partnership:1'))) ->> 'sqlstate', 'OR404',
  'only the mentee''s municipality deletes it (others 404)');
reset role;
select pg_temp.act_as('t-committee2');
select is(app.partnerships_list(null, 50, 0) ->> 'total', '0', 'another region sees no partnerships');
reset role;
select pg_temp.act_as('t-mun-a');
select app.partnership_delete(pg_temp.fx('partnership:1')) \gset ignored_
reset role;
select is((select count(*)::int from app.audit_log where entity = 'partnerships' and entity_id = pg_temp.fx('partnership:1')),
  2, 'the municipality deletes the partnership; creation and deletion are audited');

select * from finish();
rollback;
