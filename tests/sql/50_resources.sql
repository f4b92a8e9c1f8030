-- The resource functions: list shapes, Russian ordering, search, paging,
-- school create/update with validation and versions.
begin;
\ir fixtures.psql
select plan(27);

-- Lists ---------------------------------------------------------------------------------------
select pg_temp.act_as('t-committee');
select is(app.regions_list(null, null)::jsonb,
  jsonb_build_object('items', jsonb_build_array(jsonb_build_object('id', pg_temp.fx('region:T1'), 'code', 'T1',
                                                                   'name', 'Тестовая область')),
                     'total', 1, 'limit', 50, 'offset', 0),
  'regions_list: {items, total, limit, offset}, defaults limit 50 offset 0');
select is(app.municipalities_list(null, 1, 1)::jsonb,
  jsonb_build_object('items', jsonb_build_array(jsonb_build_object('id', pg_temp.fx('municipality:T1-B'), 'code', 'T1-B',
                                                                   'name', 'Бетинский район',
                                                                   'region_id', pg_temp.fx('region:T1'))),
                     'total', 2, 'limit', 1, 'offset', 1),
  'municipalities_list pages by name: total counts all, items only the page');
select is(app.municipalities_list(pg_temp.fx('region:T2'), 50, 0) ->> 'total', '0',
  'municipalities_list of a foreign region is empty');
select is((app.schools_list(null, null, 50, 500) -> 'items')::text, '[]', 'a page past the end has items []');
select is(pg_temp.error_of('select app.schools_list(null, null, 201, 0)') -> 'hint' -> 0 ->> 'field', 'limit',
  'limit above 200 is OR422 with field limit');
select is(pg_temp.error_of('select app.users_list(null, null, null, 10, -1)') -> 'hint' -> 0 ->> 'field', 'offset',
  'a negative offset is OR422 with field offset');
reset role;

-- Russian collation: Ё sorts with Е, А before Я (the C collation gets both wrong)
insert into app.municipalities (region_id, code, name)
select pg_temp.fx('region:T1'), v.code, v.name
from (values ('T1-C', 'Ёлкинский район'), ('T1-D', 'Ежовский район'), ('T1-E', 'Яблоновский район'),
             ('T1-F', 'Жуковский район')) v(code, name);
select pg_temp.act_as('t-loiro');
select results_eq($$ select i ->> 'name' from json_array_elements(app.municipalities_list(null, 50, 0) -> 'items') i $$,
  $$ values ('Альфинский район'), ('Бетинский район'), ('Ежовский район'), ('Ёлкинский район'),
            ('Жуковский район'), ('Яблоновский район') $$,
  'municipalities are ordered by name in Russian dictionary order');
select results_eq($$ select i ->> 'short_name' from json_array_elements(app.schools_list(null, null, 50, 0) -> 'items') i $$,
  $$ values ('ООШ д. Альфино'), ('СОШ № 1 Альфинск'), ('СОШ № 1 Бетинск') $$,
  'schools are ordered by short_name');
select is(app.schools_list(null, 'альфин', 50, 0) ->> 'total', '2', 'search is case-insensitive over Cyrillic names');
select is(app.schools_list(null, 't1-b', 50, 0) -> 'items' -> 0 ->> 'code', 'T1-B-1', 'search matches the code');
select is(app.schools_list(null, '%', 50, 0) ->> 'total', '0', 'search treats % literally');
select is(app.schools_list(pg_temp.fx('municipality:T1-A'), 'сош', 50, 0) ->> 'total', '1',
  'municipality filter and search combine');
select is(app.school_get(pg_temp.fx('school:T1-A-2'))::jsonb,
  jsonb_build_object('id', pg_temp.fx('school:T1-A-2'), 'code', 'T1-A-2', 'name', 'Основная школа д. Альфино',
                     'short_name', 'ООШ д. Альфино', 'municipality_id', pg_temp.fx('municipality:T1-A'),
                     'municipality_name', 'Альфинский район', 'address', 'Тестовый адрес', 'is_rural', true,
                     'unfavorable_conditions', false, 'education_levels', jsonb_build_array('primary', 'basic'),
                     'has_ovz_pupils', false, 'version', 1),
  'school_get returns the school object of the contract');
select throws_ok($$ select app.school_create('{}') $$, '42501', null, 'ЛОИРО cannot create schools');
reset role;

-- school_create ----------------------------------------------------------------------------------
select pg_temp.act_as('t-committee');
select is(pg_temp.error_of($$ select app.school_create('{}') $$) -> 'hint',
  '[{"field":"code","code":"required","message": "Обязательное поле"},
    {"field":"name","code":"required","message": "Обязательное поле"},
    {"field":"short_name","code":"required","message": "Обязательное поле"},
    {"field":"municipality_id","code":"required","message":"Укажите муниципалитет"},
    {"field":"education_levels","code":"required","message":"Укажите хотя бы один уровень образования"}]'::jsonb,
  'an empty body names every required field');
select is(pg_temp.error_of(format('select app.school_create(%L)',
            json_build_object('code', 'T1-A-9', 'name', 'Школа', 'short_name', 'Школа',
                              'municipality_id', pg_temp.fx('municipality:T2-A'),
                              'education_levels', jsonb_build_array('primary', 'college')))) -> 'hint',
  '[{"field":"municipality_id","code":"not_found","message":"Муниципалитет не найден"},
    {"field":"education_levels","code":"invalid","message":"Допустимые уровни: primary (НОО), basic (ООО), secondary (СОО)"}]'::jsonb,
  'a foreign municipality is not_found; an unknown level is invalid');
select is(pg_temp.error_of(format('select app.school_create(%L)',
            json_build_object('code', 'T1-A-1', 'name', 'Школа', 'short_name', 'Школа',
                              'municipality_id', pg_temp.fx('municipality:T1-A'),
                              'education_levels', jsonb_build_array('primary')))) -> 'hint',
  '[{"field":"code","code":"taken","message":"Код «T1-A-1» уже занят"}]'::jsonb,
  'a taken code is code taken');
select is(pg_temp.error_of(format('select app.school_create(%L)',
            json_build_object('code', 'T1-A-9', 'name', repeat('Ш', 501), 'short_name', 'Школа',
                              'municipality_id', pg_temp.fx('municipality:T1-A'), 'is_rural', 'yes',
                              'education_levels', jsonb_build_array('primary')))) -> 'hint',
  '[{"field":"is_rural","code":"invalid","message":"Ожидается значение true или false"}]'::jsonb,
  'a wrong JSON type is reported before anything else');
select is(app.school_create(json_build_object('code', 'T1-A-9', 'name', ' Начальная школа д. Новая ', 'short_name', 'НОШ д. Новая',
                                              'municipality_id', pg_temp.fx('municipality:T1-A'), 'is_rural', true,
                                              'education_levels', jsonb_build_array('basic', 'primary', 'basic'))::jsonb)::jsonb
            - 'id' - 'municipality_id',
  jsonb_build_object('code', 'T1-A-9', 'name', 'Начальная школа д. Новая', 'short_name', 'НОШ д. Новая',
                     'municipality_name', 'Альфинский район', 'address', null, 'is_rural', true,
                     'unfavorable_conditions', false, 'education_levels', jsonb_build_array('primary', 'basic'),
                     'has_ovz_pupils', false, 'version', 1),
  'school_create trims, defaults the flags and puts the levels in canonical order');

-- school_update -----------------------------------------------------------------------------------
select is((app.school_update(pg_temp.fx('school:T1-A-2'), 1, '{"has_ovz_pupils":true,"address":null}')::jsonb
           - array['id', 'code', 'name', 'short_name', 'municipality_id', 'municipality_name', 'is_rural',
                   'unfavorable_conditions', 'education_levels']),
  '{"has_ovz_pupils": true, "address": null, "version": 2}'::jsonb,
  'school_update changes only the fields given and bumps the version');
select is(pg_temp.error_of(format('select app.school_update(%s, 1, %L)', pg_temp.fx('school:T1-A-2'),
                                  '{"is_rural":false}')) ->> 'detail',
  'conflict.stale_version', 'school_update with the old version is OR409 conflict.stale_version');
select is(pg_temp.error_of(format('select app.school_update(%s, null, %L)', pg_temp.fx('school:T1-A-2'),
                                  '{"education_levels":[]}')) -> 'hint' -> 0 ->> 'code',
  'required', 'school_update cannot empty the levels');
select is(pg_temp.error_of(format('select app.school_update(%s, null, %L)', pg_temp.fx('school:T1-A-2'),
                                  json_build_object('municipality_id', pg_temp.fx('municipality:T2-A')))) -> 'hint' -> 0 ->> 'code',
  'not_found', 'school_update cannot move a school to another region');
select is(pg_temp.error_of(format('select app.school_update(%s, null, %L)', 999999999, '{"name":"Х"}')) ->> 'sqlstate',
  'OR404', 'school_update of a missing school is OR404');
reset role;
select is((select version from app.schools where code = 'T1-A-2'), 2, 'refused updates left the version alone');

-- Users list as the committee sees it ----------------------------------------------------------------
select pg_temp.act_as('t-committee');
select results_eq($$ select i ->> 'login' from json_array_elements(app.users_list(null, pg_temp.fx('municipality:T1-A'), null, 50, 0) -> 'items') i $$,
  $$ values ('t-mun-a'), ('t-school-a2'), ('t-school-a1') $$,
  'users_list by municipality includes its municipality and school users, ordered by full_name');
select is(app.users_list('school', null, null, 50, 0) ->> 'total', '3', 'users_list filters by role, region-scoped');
reset role;

select * from finish();
rollback;
