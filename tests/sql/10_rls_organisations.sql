-- Row-level security on regions, municipalities and schools, through the
-- database alone (plain SQL as the request role, no API in between).
begin;
\ir fixtures.psql
select plan(30);

-- A school sees and changes only itself ----------------------------------------
select pg_temp.act_as('t-school-a1');
select results_eq($$ select code from app.schools $$, $$ values ('T1-A-1') $$,
  'a school sees exactly its own row in app.schools');
select ok(app.school_get(pg_temp.fx('school:T1-A-2')) is null,
  'a school cannot get another school of its own municipality');
select ok(app.school_get(pg_temp.fx('school:T2-A-1')) is null,
  'a school cannot get a school of another region');
select is((app.schools_list(null, null, 200, 0) ->> 'total')::int, 1,
  'a school''s list has one school: itself');
select throws_ok(format('update app.schools set name = %L where id = %s', 'Чужая', pg_temp.fx('school:T1-A-2')),
  '42501', null, 'a school cannot update another school');
select throws_ok(format('update app.schools set name = %L where id = %s', 'Своя', pg_temp.fx('school:T1-A-1')),
  '42501', null, 'a school cannot update even its own row directly');
select throws_ok(format('delete from app.schools where id = %s', pg_temp.fx('school:T1-A-2')),
  '42501', null, 'a school cannot delete schools');
select throws_ok(format($$insert into app.schools (code, municipality_id, name, short_name, education_levels)
                         values ('X-1', %s, 'Х', 'Х', '{primary}')$$, pg_temp.fx('municipality:T1-A')),
  '42501', null, 'a school cannot insert schools');
select throws_ok(format('select app.school_update(%s, null, %L::jsonb)', pg_temp.fx('school:T1-A-2'), '{"name":"Чужая"}'),
  '42501', null, 'a school cannot call school_update');
select results_eq($$ select code from app.municipalities $$, $$ values ('T1-A') $$,
  'a school sees only its own municipality');
select results_eq($$ select code from app.regions $$, $$ values ('T1') $$,
  'a school sees only its own region');
reset role;
select is((select name from app.schools where code = 'T1-A-2')::text, 'Основная школа д. Альфино',
  'the other school is unchanged');

-- A municipality sees its own schools only ---------------------------------------
select pg_temp.act_as('t-mun-a');
select results_eq($$ select code from app.schools order by code $$, $$ values ('T1-A-1'), ('T1-A-2') $$,
  'a municipality sees exactly its own schools');
select ok(app.school_get(pg_temp.fx('school:T1-B-1')) is null,
  'a municipality cannot get a school of another municipality of its region');
select is((app.schools_list(pg_temp.fx('municipality:T1-B'), null, 50, 0) ->> 'total')::int, 0,
  'filtering by another municipality yields nothing');
select results_eq($$ select code from app.municipalities order by code $$, $$ values ('T1-A'), ('T1-B') $$,
  'a municipality sees the municipalities of its region as names, not other regions''');
select throws_ok(format('update app.schools set name = %L where id = %s', 'Х', pg_temp.fx('school:T1-A-1')),
  '42501', null, 'a municipality cannot update schools directly');
reset role;

-- ЛОИРО reads its region, writes nothing -----------------------------------------
select pg_temp.act_as('t-loiro');
select results_eq($$ select code from app.schools order by code $$,
  $$ values ('T1-A-1'), ('T1-A-2'), ('T1-B-1') $$, 'ЛОИРО sees every school of its region and no other');
select throws_ok(format('update app.schools set name = %L where id = %s', 'Х', pg_temp.fx('school:T1-A-1')),
  '42501', null, 'ЛОИРО cannot update schools');
reset role;

-- The committee manages its region only ------------------------------------------
select pg_temp.act_as('t-committee');
select results_eq($$ select code from app.schools order by code $$,
  $$ values ('T1-A-1'), ('T1-A-2'), ('T1-B-1') $$, 'the committee sees every school of its region and no other');
select results_eq($$ select code from app.regions $$, $$ values ('T1') $$,
  'the committee sees only its region');
select is((select count(*)::int from app.municipalities where region_id = pg_temp.fx('region:T2')), 0,
  'the committee sees no municipality of another region');
select is(pg_temp.row_count(format('update app.schools set name = %L where id = %s',
                                   'Захвачено', pg_temp.fx('school:T2-A-1'))), 0,
  'an UPDATE of a school in another region touches no row');
select throws_ok(format('update app.schools set municipality_id = %s where id = %s',
                        pg_temp.fx('municipality:T2-A'), pg_temp.fx('school:T1-A-1')),
  '42501', null, 'the committee cannot move its school into another region (WITH CHECK)');
select throws_ok(format($$insert into app.schools (code, municipality_id, name, short_name, education_levels)
                         values ('X-2', %s, 'Х', 'Х', '{primary}')$$, pg_temp.fx('municipality:T2-A')),
  '42501', null, 'the committee cannot insert a school into another region');
select is(pg_temp.error_of(format('select app.school_update(%s, null, %L::jsonb)',
                                  pg_temp.fx('school:T2-A-1'), '{"name":"Захвачено"}')) ->> 'sqlstate',
  'OR404', 'school_update of a school in another region is OR404');
select throws_ok(format('delete from app.schools where id = %s', pg_temp.fx('school:T1-A-1')),
  '42501', null, 'the committee cannot delete schools');
reset role;
select is((select name from app.schools where code = 'T2-A-1')::text, 'Средняя школа № 1 Гаммска',
  'the foreign region''s school is unchanged');

-- No claims, no rows ---------------------------------------------------------------
set local role orientir_committee;
select set_config('request.sub', '', true), set_config('request.role', '', true),
       set_config('request.reg', '', true), set_config('request.mun', '', true), set_config('request.sch', '', true);
select is((select count(*)::int from app.schools), 0, 'a request role without claims sees no school');
reset role;

-- Claims of another region do not leak through a municipality filter -------------
select pg_temp.act_as('t-committee2');
select is((app.schools_list(pg_temp.fx('municipality:T1-A'), null, 50, 0) ->> 'total')::int, 0,
  'a committee filtering by a municipality of another region gets nothing');
reset role;

select * from finish();
rollback;
