-- Instruments: loading a document (every validation rule, per-field paths),
-- drafts visible to the committee and ЛОИРО only, publishing, immutability of
-- a published instrument (functions and triggers), export as loaded.
begin;
\ir fixtures.psql
\ir diagnostics_fixtures.psql
select plan(40);

-- A valid document becomes a draft ----------------------------------------------------
select pg_temp.act_as('t-committee');
select app.instrument_create(pg_temp.test_doc('t-new', 1)::json)::jsonb as created \gset
select is(:'created'::jsonb - array['id', 'directions', 'created_at'],
  '{"code": "t-new", "version": 1, "title": "Тестовая самодиагностика", "status": "draft",
    "applies_to": {"levels": ["secondary"]}, "critical_rule": true,
    "thresholds": {"basic": 3, "medium": 5, "high": 7}, "max_points": 7, "published_at": null}'::jsonb,
  'instrument_create stores a draft with its thresholds and the maximum derived from the points');
select is((:'created'::jsonb #> '{directions,1}') - array['id', 'indicators'],
  '{"code": "d2", "title": "Воспитание", "thresholds": {"basic": 1, "medium": 2, "high": 4}, "max_points": 4}'::jsonb,
  'directions carry their thresholds and maximum');
select is((:'created'::jsonb #> '{directions,0,indicators,0}') - array['id', 'options'],
  '{"code": "I1", "text": "Рабочие программы по ФРП", "hint": "Подсказка", "critical": true, "max_points": 1}'::jsonb,
  'indicators carry text, hint, critical flag and maximum');
select is((select jsonb_agg(o - 'id') from jsonb_array_elements(:'created'::jsonb #> '{directions,1,indicators,1,options}') o),
  '[{"value": "0", "label": "Нет", "points": 0}, {"value": "1", "label": "Одно", "points": 1},
    {"value": "2", "label": "Два", "points": 2}, {"value": "3", "label": "Три и более", "points": 3}]'::jsonb,
  'options keep their order, values, labels and points');
select is(app.instrument_document((:'created'::jsonb ->> 'id')::bigint)::text, pg_temp.test_doc('t-new', 1)::json::text,
  'instrument_document returns the document exactly as loaded');
select is((app.instruments_list('draft', 50, 0) -> 'items' -> 0 ->> 'indicator_count')::int, 4,
  'instruments_list shows the draft with its indicator count to the committee');
reset role;

select pg_temp.act_as('t-mun-a');
select is(app.instrument_get((:'created'::jsonb ->> 'id')::bigint)::text, null, 'a municipality cannot see a draft');
select is((app.instruments_list(null, 50, 0) ->> 'total')::int, 2, 'a municipality lists only the published instruments');
select isnt(app.instrument_get(pg_temp.fx('instrument:t-main'))::text, null, 'a municipality sees a published instrument');
reset role;
select pg_temp.act_as('t-school-a1');
select throws_ok(format('select app.instrument_create(%L::json)', pg_temp.test_doc('t-x', 1)), '42501', null,
  'a school cannot load instruments');
reset role;
select pg_temp.act_as('t-committee2');
select is(app.instrument_get(pg_temp.fx('instrument:t-main'))::text, null, 'another region''s committee cannot see the instrument');
select is(pg_temp.error_of(format('select app.instrument_publish(%s)', :'created'::jsonb ->> 'id')) ->> 'sqlstate', 'OR404',
  'another region''s committee cannot publish it (404)');
reset role;

-- Publishing ----------------------------------------------------------------------------
select pg_temp.act_as('t-loiro');
select is(app.instrument_publish((:'created'::jsonb ->> 'id')::bigint) ->> 'status', 'published', 'ЛОИРО publishes the draft');
select is(pg_temp.error_of(format('select app.instrument_publish(%s)', :'created'::jsonb ->> 'id')) - 'hint',
  '{"sqlstate": "OR409", "message": "Инструмент уже опубликован", "detail": "conflict.state"}'::jsonb,
  'publishing twice is OR409 conflict.state');
select is(pg_temp.error_of(format('select app.instrument_create(%L::json)', pg_temp.test_doc('t-new', 1))) -> 'hint',
  '[{"field": "version", "code": "taken", "message": "Версия 1 инструмента «t-new» уже загружена"}]'::jsonb,
  'an existing (code, version) is field version code taken');
select is(app.instrument_create(pg_temp.test_doc('t-new', 2)::json) ->> 'status', 'draft',
  'a new version of the same code loads as a draft');
reset role;

-- A published instrument never changes, whoever tries (triggers) -------------------------
select is(pg_temp.error_of(format($$update app.instruments set title = 'Другое' where id = %s$$, pg_temp.fx('instrument:t-main'))) ->> 'sqlstate',
  'OR409', 'even the owner cannot update a published instrument');
select is(pg_temp.error_of(format($$update app.instruments set status = 'draft', published_at = null where id = %s$$, pg_temp.fx('instrument:t-main'))) ->> 'sqlstate',
  'OR409', 'a published instrument cannot go back to draft');
select is(pg_temp.error_of(format($$delete from app.instruments where id = %s$$, pg_temp.fx('instrument:t-main'))) ->> 'sqlstate',
  'OR409', 'a published instrument cannot be deleted');
select is(pg_temp.error_of(format($$update app.indicators set text = 'Другое' where instrument_id = %s$$, pg_temp.fx('instrument:t-main'))) ->> 'sqlstate',
  'OR409', 'indicators of a published instrument cannot be updated');
select is(pg_temp.error_of(format($$update app.indicator_options set points = 5 where instrument_id = %s$$, pg_temp.fx('instrument:t-main'))) ->> 'sqlstate',
  'OR409', 'option points of a published instrument cannot be updated');
select is(pg_temp.error_of(format($$insert into app.indicator_options (instrument_id, indicator_id, value, label, points, position)
                                    select instrument_id, id, 'maybe', 'Может быть', 1, 9 from app.indicators
                                    where instrument_id = %s and code = 'I1'$$, pg_temp.fx('instrument:t-main'))) ->> 'sqlstate',
  'OR409', 'no option can be added to a published instrument');
select is(pg_temp.error_of(format($$delete from app.directions where instrument_id = %s$$, pg_temp.fx('instrument:t-main'))) ->> 'sqlstate',
  'OR409', 'directions of a published instrument cannot be deleted');
select is(pg_temp.error_of(format($$update app.instruments set title = 'Другое' where code = 't-new' and version = 2$$)) ->> 'sqlstate',
  'OR409', 'a draft is not edited either: a change is a new version');

-- Validation: each rule names its field -------------------------------------------------
select pg_temp.act_as('t-loiro');
create temp table bad (name text, doc jsonb, field text, code text);
insert into bad values
  ('duplicate direction code', jsonb_set(pg_temp.test_doc('t-bad'), '{directions,1,code}', '"d1"'),
   'directions[1].code', 'duplicate'),
  ('duplicate indicator code (across directions)', jsonb_set(pg_temp.test_doc('t-bad'), '{directions,1,indicators,0,code}', '"I2"'),
   'directions[1].indicators[0].code', 'duplicate'),
  ('duplicate option value', jsonb_set(pg_temp.test_doc('t-bad'), '{directions,1,indicators,1,options,2,value}', '"1"'),
   'directions[1].indicators[1].options[2].value', 'duplicate'),
  ('thresholds not strictly rising', jsonb_set(pg_temp.test_doc('t-bad'), '{thresholds,medium}', '3'),
   'thresholds.medium', 'out_of_order'),
  ('threshold above the maximum', jsonb_set(pg_temp.test_doc('t-bad'), '{thresholds,high}', '8'),
   'thresholds.high', 'above_max'),
  ('direction threshold above its maximum', jsonb_set(pg_temp.test_doc('t-bad'), '{directions,0,thresholds,high}', '4'),
   'directions[0].thresholds.high', 'above_max'),
  ('direction thresholds falling', jsonb_set(pg_temp.test_doc('t-bad'), '{directions,1,thresholds,high}', '2'),
   'directions[1].thresholds.high', 'out_of_order'),
  ('option without points', pg_temp.test_doc('t-bad') #- '{directions,0,indicators,1,options,0,points}',
   'directions[0].indicators[1].options[0].points', 'required'),
  ('option with fractional points', jsonb_set(pg_temp.test_doc('t-bad'), '{directions,0,indicators,1,options,1,points}', '0.5'),
   'directions[0].indicators[1].options[1].points', 'invalid'),
  ('direction without indicators', jsonb_set(pg_temp.test_doc('t-bad'), '{directions,1,indicators}', '[]'),
   'directions[1].indicators', 'required'),
  ('indicator with one option', jsonb_set(pg_temp.test_doc('t-bad'), '{directions,1,indicators,0,options}',
                                          '[{"value": "yes", "label": "Да", "points": 1}]'),
   'directions[1].indicators[0].options', 'too_few'),
  ('indicator whose options all give 0', jsonb_set(pg_temp.test_doc('t-bad'), '{directions,1,indicators,0,options,1,points}', '0'),
   'directions[1].indicators[0].options', 'invalid'),
  ('no directions', jsonb_set(pg_temp.test_doc('t-bad'), '{directions}', '[]'), 'directions', 'required'),
  ('unknown member', jsonb_set(pg_temp.test_doc('t-bad'), '{directions,0,indicators,0,colour}', '"red"'),
   'directions[0].indicators[0].colour', 'unknown'),
  ('code with spaces', jsonb_set(pg_temp.test_doc('t-bad'), '{code}', '"t bad"'), 'code', 'invalid'),
  ('missing indicator text', pg_temp.test_doc('t-bad') #- '{directions,1,indicators,1,text}',
   'directions[1].indicators[1].text', 'required'),
  ('unknown level in applies_to', jsonb_set(pg_temp.test_doc('t-bad'), '{applies_to,levels}', '["college"]'),
   'applies_to.levels', 'invalid'),
  ('version zero', jsonb_set(pg_temp.test_doc('t-bad'), '{version}', '0'), 'version', 'invalid'),
  ('missing thresholds', pg_temp.test_doc('t-bad') #- '{thresholds}', 'thresholds', 'required');

select results_eq($$ select name, pg_temp.error_of(format('select app.instrument_create(%L::json)', doc)) @>
                                  jsonb_build_object('sqlstate', 'OR422', 'detail', 'validation.failed',
                                                     'hint', jsonb_build_array(jsonb_build_object('field', field, 'code', code)))
                     from bad order by name $$,
                  $$ select name, true from bad order by name $$,
  'every invalid document is OR422 validation.failed naming the field and code (table of cases)');
select is((select count(*)::int from app.instruments where code = 't-bad'), 0, 'no invalid document was stored');
reset role;
select is((select count(*)::int from app.directions d join app.instruments i on i.id = d.instrument_id where i.code = 't-bad'), 0,
  'nor any of its directions');
select pg_temp.act_as('t-loiro');

select is(pg_temp.error_of(format('select app.instrument_create(%L::json)',
            jsonb_set(jsonb_set(pg_temp.test_doc('t-bad'), '{directions,1,code}', '"d1"'), '{thresholds,basic}', '"три"'))) -> 'hint',
  '[{"field": "thresholds.basic", "code": "invalid", "message": "Порог — целое число от 1"},
    {"field": "directions[1].code", "code": "duplicate", "message": "Код направления «d1» уже есть в directions[0].code"}]'::jsonb,
  'all problems are reported at once, with Russian messages');
select is(pg_temp.error_of(format('select app.instrument_create(%L::json)',
            jsonb_set(pg_temp.test_doc('t-bad'), '{thresholds,high}', '8'))) -> 'hint',
  '[{"field": "thresholds.high", "code": "above_max", "message": "Порог больше максимума баллов (7)"}]'::jsonb,
  'above_max names the maximum');
select is(pg_temp.error_of($$ select app.instrument_create('[1, 2]'::json) $$) -> 'hint',
  '[{"field": "document", "code": "invalid", "message": "Ожидается JSON-объект инструмента"}]'::jsonb,
  'a document that is not an object is refused');

-- Thresholds may equal the maximum (boundary), points may be 0 for some options ----------
select is(app.instrument_create(jsonb_set(pg_temp.test_doc('t-edge'), '{thresholds}', '{"basic": 1, "medium": 6, "high": 7}')::json) ->> 'max_points',
  '7', 'a high threshold equal to the maximum is allowed');
select is(pg_temp.error_of(format('select app.instrument_create(%L::json)',
            jsonb_set(pg_temp.test_doc('t-edge2'), '{thresholds}', '{"basic": 0, "medium": 6, "high": 7}'))) -> 'hint' -> 0 ->> 'field',
  'thresholds.basic', 'a threshold of 0 is refused (every school would reach it)');

-- applies_to and defaults ------------------------------------------------------------------
select is(app.instrument_create((pg_temp.test_doc('t-any') - 'applies_to' - 'critical_rule')::json)::jsonb
            -> 'applies_to', 'null'::jsonb, 'an instrument without applies_to fits every school (applies_to null)');
select is((select critical_rule from app.instruments where code = 't-any'), false, 'critical_rule defaults to false');
select is(app.instrument_create(jsonb_set(pg_temp.test_doc('t-ovz'), '{applies_to}', '{"ovz": true}')::json)::jsonb -> 'applies_to',
  '{"ovz": true}'::jsonb, 'applies_to.ovz alone is kept');
reset role;

-- Audit ----------------------------------------------------------------------------------
select results_eq($$ select action, role from app.audit_log where entity = 'instruments'
                     and entity_id = (select id from app.instruments where code = 't-new' and version = 1) order by id $$,
  $$ values ('insert', 'committee'), ('update', 'loiro') $$,
  'loading and publishing are audited with the actor''s role');
select is((select count(*)::int from app.instruments i where i.code = 't-main' and i.document is not null
           and i.document::jsonb = pg_temp.test_doc()), 1, 'the stored document equals the loaded one');

-- Reading rights -----------------------------------------------------------------------------
select pg_temp.act_as('t-school-a1');
select is(json_array_length(app.instrument_get(pg_temp.fx('instrument:t-main')) -> 'directions'), 2,
  'a school reads a published instrument tree');
select is((select count(*)::int from app.indicators x join app.instruments i on i.id = x.instrument_id where i.code = 't-new'), 4,
  'a school sees the indicators of published instruments of its region only (t-new v1)');
select is((select count(*)::int from app.indicator_options o join app.instruments i on i.id = o.instrument_id
           where i.status = 'draft'), 0, 'a school sees no option of a draft');
reset role;

select * from finish();
rollback;
