-- Users: grants and RLS per role, the role/organisation CHECK, validation with
-- per-field HINTs, versions, deactivation.
begin;
\ir fixtures.psql
select plan(46);

-- Who may read users at all ----------------------------------------------------------
select pg_temp.act_as('t-loiro');
select throws_ok($$ select count(*) from app.users $$, '42501', null, 'ЛОИРО cannot select users');
select throws_ok($$ select app.users_list(null, null, null, 50, 0) $$, '42501', null, 'ЛОИРО cannot call users_list');
select is(app.me() ->> 'login', 't-loiro', 'ЛОИРО reads itself through app.me()');
select pg_temp.act_as('t-school-a1');
select throws_ok($$ select id from app.users $$, '42501', null, 'a school cannot select users');
select throws_ok(format('select app.user_get(%s)', pg_temp.fx('user:t-school-a1')), '42501', null,
  'a school cannot call user_get, not even for itself');
select is(app.me() ->> 'school_name', 'Средняя школа № 1 Альфинска', 'a school reads itself through app.me()');
select throws_ok($$ select password_hash from app.users $$, '42501', null, 'a school cannot read password hashes');
reset role;

-- Municipality scope -------------------------------------------------------------------
select pg_temp.act_as('t-mun-a');
select results_eq($$ select login::text from app.users order by login $$,
  $$ values ('t-mun-a'), ('t-school-a1'), ('t-school-a2') $$,
  'a municipality sees itself and the users of its own schools only');
select throws_ok($$ select password_hash from app.users $$, '42501', null,
  'a municipality cannot read password hashes');
select ok(app.user_get(pg_temp.fx('user:t-school-b1')) is null,
  'a municipality cannot get a user of another municipality''s school');
select is(pg_temp.row_count(format('update app.users set full_name = %L where id = %s', 'Взлом',
                                   pg_temp.fx('user:t-school-b1'))), 0,
  'a direct UPDATE of another municipality''s school user touches no row');
select is(pg_temp.row_count(format('update app.users set full_name = %L where id = %s', 'Сам себе',
                                   pg_temp.fx('user:t-mun-a'))), 0,
  'a municipality cannot update its own record directly');
select throws_ok(format($$insert into app.users (login, full_name, role, municipality_id, password_hash)
                         values ('evil', 'Злой', 'municipality', %s, %L)$$,
                        pg_temp.fx('municipality:T1-A'), pg_temp.hash()),
  '42501', null, 'a municipality cannot insert a non-school user directly (RLS WITH CHECK)');
select throws_ok(format('update app.users set school_id = %s where id = %s',
                        pg_temp.fx('school:T1-B-1'), pg_temp.fx('user:t-school-a1')),
  '42501', null, 'a municipality cannot move its school user to a foreign school');
select is(pg_temp.error_of(format('select app.user_update(%s, null, %L::jsonb)',
                                  pg_temp.fx('user:t-mun-a'), '{"full_name":"Новое имя"}')) ->> 'sqlstate',
  'OR403', 'user_update of itself by a municipality is OR403 (visible, not manageable)');
select is(pg_temp.error_of(format('select app.user_set_password(%s, %L)',
                                  pg_temp.fx('user:t-school-b1'), pg_temp.hash())) ->> 'sqlstate',
  'OR404', 'user_set_password outside the municipality is OR404');
select is(pg_temp.error_of(format('select app.user_create(%L::jsonb, %L)',
            json_build_object('login', 'new-mun', 'full_name', 'Новый', 'role', 'municipality',
                              'municipality_id', pg_temp.fx('municipality:T1-A')), pg_temp.hash())) -> 'hint',
  '[{"code": "not_allowed", "field": "role", "message": "Муниципалитет может назначать только роль «Школа»"}]'::jsonb,
  'a municipality creating a non-school user gets OR422 role not_allowed');
select is(pg_temp.error_of(format('select app.user_create(%L::jsonb, %L)',
            json_build_object('login', 'new-school', 'full_name', 'Новый', 'role', 'school',
                              'school_id', pg_temp.fx('school:T1-B-1')), pg_temp.hash())) -> 'hint',
  '[{"code": "not_found", "field": "school_id", "message": "Школа не найдена"}]'::jsonb,
  'a municipality creating a user for a foreign school gets school_id not_found');
select is(app.user_create(json_build_object('login', 'New-School', 'full_name', ' Новый Директор ', 'role', 'school',
                                            'school_id', pg_temp.fx('school:T1-A-2'))::jsonb, pg_temp.hash())
            ->> 'login', 'new-school', 'a municipality creates a user for its own school (login lower-cased)');
reset role;

-- Committee: validation with one HINT entry per field --------------------------------------
select pg_temp.act_as('t-committee');
select is(pg_temp.error_of(format('select app.user_create(%L::jsonb, %L)',
            '{"login":"x-school","full_name":"Икс","role":"school"}', pg_temp.hash())),
  jsonb_build_object('sqlstate', 'OR422', 'message', 'Проверьте введённые данные',
                     'detail', 'validation.failed',
                     'hint', '[{"field":"school_id","code":"required","message":"Для роли «Школа» укажите школу"}]'::jsonb),
  'role school without school_id: OR422, DETAIL validation.failed, HINT school_id required');
select is(pg_temp.error_of(format('select app.user_create(%L::jsonb, %L)',
            json_build_object('login', 'x-school', 'full_name', 'Икс', 'role', 'school',
                              'region_id', pg_temp.fx('region:T1')), pg_temp.hash())) ->> 'hint',
  '[{"code": "must_be_empty", "field": "region_id", "message": "Для роли «Школа» поле «Регион» должно быть пустым"}, {"code": "required", "field": "school_id", "message": "Для роли «Школа» укажите школу"}]',
  'role school with region_id and no school: two entries, region_id must_be_empty and school_id required');
select is(pg_temp.error_of(format('select app.user_create(%L::jsonb, %L)',
            json_build_object('login', 'x-loiro', 'full_name', 'Икс', 'role', 'loiro',
                              'region_id', pg_temp.fx('region:T2')), pg_temp.hash())) -> 'hint' -> 0 ->> 'code',
  'not_found', 'a region the committee cannot see is region_id not_found');
select is(pg_temp.error_of(format('select app.user_create(%L::jsonb, %L)',
            json_build_object('login', 't-school-t2', 'full_name', 'Икс', 'role', 'school',
                              'school_id', pg_temp.fx('school:T1-A-1')), pg_temp.hash())) ->> 'hint',
  '[{"code": "taken", "field": "login", "message": "Логин «t-school-t2» уже занят"}]',
  'a login taken in another region is login taken');
select is(pg_temp.error_of(format('select app.user_create(%L::jsonb, %L)',
            '{"login":"a b","full_name":"","role":"boss"}', pg_temp.hash())) ->> 'hint',
  '[{"code": "invalid", "field": "login", "message": "Логин: от 3 до 64 символов — латинские буквы, цифры, «.», «_», «-»"}, {"code": "required", "field": "full_name", "message": "Обязательное поле"}, {"code": "invalid", "field": "role", "message": "Допустимые роли: committee, loiro, municipality, school"}]',
  'bad login, empty full_name and unknown role are reported together');
select is(pg_temp.error_of(format('select app.user_create(%L::jsonb, %L)',
            '{"login":"abc","full_name":"Икс","role":"school","school_id":"7"}', pg_temp.hash())) -> 'hint' -> 0 ->> 'code',
  'invalid', 'an id that is not a JSON integer is invalid, not a crash');
select is((app.user_create(json_build_object('login', 'm-b2', 'full_name', 'Бетина Нина', 'role', 'municipality',
                                             'municipality_id', pg_temp.fx('municipality:T1-B'))::jsonb, pg_temp.hash())
           ->> 'organisation_name'), 'Бетинский район', 'the committee creates a municipality user of its region');
select ok(not exists (select 1 from app.users where login in ('x-school', 'x-loiro')),
  'failed creates wrote nothing');
reset role;

-- The CHECK constraint is the last line of defence -------------------------------------------
select throws_ok(format($$insert into app.users (login, full_name, role, region_id, school_id, password_hash)
                         values ('chk-1', 'Проверка', 'school', %s, %s, %L)$$,
                        pg_temp.fx('region:T1'), pg_temp.fx('school:T1-A-1'), pg_temp.hash()),
  '23514', null, 'CHECK: a school user cannot also have a region');
select throws_ok(format($$insert into app.users (login, full_name, role, password_hash)
                         values ('chk-2', 'Проверка', 'committee', %L)$$, pg_temp.hash()),
  '23514', null, 'CHECK: a committee user needs its region');
select throws_ok(format($$insert into app.users (login, full_name, role, municipality_id, school_id, password_hash)
                         values ('chk-3', 'Проверка', 'municipality', %s, %s, %L)$$,
                        pg_temp.fx('municipality:T1-A'), pg_temp.fx('school:T1-A-1'), pg_temp.hash()),
  '23514', null, 'CHECK: a municipality user has its municipality only');
select throws_ok(format($$insert into app.users (login, full_name, role, region_id, password_hash)
                         values ('Chk-4', 'Проверка', 'loiro', %s, %L)$$, pg_temp.fx('region:T1'), pg_temp.hash()),
  '23514', null, 'CHECK: logins are lower-case (so unique is case-insensitive)');
select throws_ok(format($$insert into app.users (login, full_name, role, region_id, password_hash)
                         values ('chk-5', 'Проверка', 'loiro', %s, 'plain-text')$$, pg_temp.fx('region:T1')),
  '23514', null, 'CHECK: password_hash must look like a pbkdf2_sha256 hash');
select throws_ok(format($$insert into app.users (login, full_name, role, region_id, password_hash)
                         values ('chk-6', repeat('Я', 201), 'loiro', %s, %L)$$, pg_temp.fx('region:T1'), pg_temp.hash()),
  '23514', null, 'CHECK: full_name is at most 200 characters');

-- Versions ----------------------------------------------------------------------------------
select pg_temp.act_as('t-committee');
select is((app.user_update(pg_temp.fx('user:t-school-a1'), 1, '{"full_name":"Школьная Ирина Павловна"}') ->> 'version')::int,
  2, 'an update with the current version succeeds and bumps the version');
select is(pg_temp.error_of(format('select app.user_update(%s, 1, %L::jsonb)', pg_temp.fx('user:t-school-a1'),
                                  '{"full_name":"Устаревшая"}')) - 'hint',
  '{"sqlstate": "OR409", "detail": "conflict.stale_version", "message": "Запись изменена другим пользователем. Обновите страницу и повторите"}'::jsonb,
  'an update with a stale version is OR409 conflict.stale_version');
select is((app.user_get(pg_temp.fx('user:t-school-a1')) ->> 'full_name'), 'Школьная Ирина Павловна',
  'the stale update changed nothing');
select is((app.user_update(pg_temp.fx('user:t-school-a1'), null, '{"full_name":"Школьная Ирина Павловна"}') ->> 'version')::int,
  2, 'an update that changes nothing keeps the version');
select is(pg_temp.error_of(format('select app.user_update(%s, null, %L::jsonb)', pg_temp.fx('user:t-school-t2'),
                                  '{"is_active":false}')) ->> 'sqlstate',
  'OR404', 'a user of another region is OR404 for the committee');
select is(pg_temp.error_of(format('select app.user_update(%s, null, %L::jsonb)', pg_temp.fx('user:t-committee'),
                                  '{"is_active":false}')) -> 'hint' -> 0 ->> 'code',
  'self', 'nobody deactivates themselves');

-- Reassignment replaces the organisation as a whole ----------------------------------------------
select is(app.user_update(pg_temp.fx('user:t-school-a2'), null,
                          json_build_object('role', 'municipality', 'municipality_id', pg_temp.fx('municipality:T1-A'))::jsonb)::jsonb
            - 'id' - 'version' - 'login' - 'full_name' - 'is_active',
  jsonb_build_object('role', 'municipality', 'region_id', null, 'municipality_id', pg_temp.fx('municipality:T1-A'),
                     'school_id', null, 'organisation_name', 'Альфинский район'),
  'changing the role with its organisation clears the old organisation');

-- Deactivation ends sessions at once ---------------------------------------------------------------
reset role;
select pg_temp.act_as(null);
select ok(app.login_succeed(pg_temp.fx('user:t-school-b1'), '127.0.0.1', sha256('tok-b1'), now() + interval '1 day')
  is not null, 'the school user signs in (a refresh token is stored)');
reset role;
select token_epoch as b1_epoch from app.users where id = pg_temp.fx('user:t-school-b1') \gset
select pg_temp.act_as('t-school-b1');
select is(app.session_check(pg_temp.fx('user:t-school-b1'), :b1_epoch), true,
  'an active user with the current epoch passes the per-request check');
select pg_temp.act_as('t-committee');
select is((app.user_update(pg_temp.fx('user:t-school-b1'), null, '{"is_active":false}') ->> 'is_active')::boolean,
  false, 'the committee deactivates the school user');
reset role;
select is((select count(*)::int from app.refresh_tokens
           where user_id = pg_temp.fx('user:t-school-b1') and revoked_at is null), 0,
  'deactivation revoked every refresh token of the user');
select pg_temp.act_as('t-school-b1');
select throws_ok(format('select app.session_check(%s, %s)', pg_temp.fx('user:t-school-b1'), :b1_epoch),
  'OR401', 'Учётная запись отключена', 'session_check() raises OR401 for a deactivated user');
reset role;
select pg_temp.act_as(null);
select ok(app.refresh_rotate(sha256('tok-b1'), sha256('tok-b1-next'), now() + interval '1 day') is null,
  'the deactivated user''s refresh token no longer works');
reset role;

select * from finish();
rollback;
