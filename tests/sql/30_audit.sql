-- The audit log: written in the same transaction by every mutation, never
-- updated or deleted by anyone, never holding a password hash.
begin;
\ir fixtures.psql
select plan(29);

-- No API role can change the log -------------------------------------------------------
insert into app.audit_log (role, action, entity) values ('system', 'test', 'fixture');

select pg_temp.act_as('t-committee');
select throws_ok($$ update app.audit_log set action = 'forged' $$, '42501', null, 'the committee cannot UPDATE audit_log');
select throws_ok($$ delete from app.audit_log $$, '42501', null, 'the committee cannot DELETE from audit_log');
select throws_ok($$ insert into app.audit_log (role, action, entity) values ('committee', 'forged', 'x') $$,
  '42501', null, 'the committee cannot INSERT into audit_log directly');
select pg_temp.act_as('t-loiro');
select throws_ok($$ update app.audit_log set action = 'forged' $$, '42501', null, 'ЛОИРО cannot UPDATE audit_log');
select throws_ok($$ delete from app.audit_log $$, '42501', null, 'ЛОИРО cannot DELETE from audit_log');
select pg_temp.act_as('t-mun-a');
select throws_ok($$ update app.audit_log set action = 'forged' $$, '42501', null, 'a municipality cannot UPDATE audit_log');
select throws_ok($$ delete from app.audit_log $$, '42501', null, 'a municipality cannot DELETE from audit_log');
select pg_temp.act_as('t-school-a1');
select throws_ok($$ update app.audit_log set action = 'forged' $$, '42501', null, 'a school cannot UPDATE audit_log');
select throws_ok($$ delete from app.audit_log $$, '42501', null, 'a school cannot DELETE from audit_log');
select pg_temp.act_as(null);
select throws_ok($$ update app.audit_log set action = 'forged' $$, '42501', null, 'orientir_anon cannot UPDATE audit_log');
select throws_ok($$ delete from app.audit_log $$, '42501', null, 'orientir_anon cannot DELETE from audit_log');
reset role;
set local role orientir_api;
select throws_ok($$ delete from app.audit_log $$, '42501', null, 'orientir_api cannot DELETE from audit_log');
reset role;
set local role orientir_owner;
select throws_ok($$ update app.audit_log set action = 'forged' $$, 'OR403', null,
  'even the owner cannot UPDATE audit_log (append-only trigger)');
select throws_ok($$ delete from app.audit_log $$, 'OR403', null,
  'even the owner cannot DELETE from audit_log (append-only trigger)');
reset role;

-- Mutations write audit rows in the same transaction -------------------------------------
select pg_temp.act_as('t-committee');
select lives_ok(format('select app.school_update(%s, null, %L)', pg_temp.fx('school:T1-A-1'), '{"short_name":"СОШ № 1 им. Героев"}'),
  'the committee renames a school');
reset role;
select results_eq($$
  select action, entity, entity_id, user_id, role, request_id,
         before ->> 'short_name', after ->> 'short_name', (after ->> 'version')::int
  from app.audit_log where entity = 'schools' and entity_id = pg_temp.fx('school:T1-A-1') and action = 'update' $$,
  $$ values ('update', 'schools', pg_temp.fx('school:T1-A-1'), pg_temp.fx('user:t-committee'), 'committee',
             'test-t-committee', 'СОШ № 1 Альфинск', 'СОШ № 1 им. Героев', 2) $$,
  'school_update wrote one audit row: who, role, request id, before and after');

select pg_temp.act_as('t-mun-a');
select lives_ok(format('select app.user_create(%L, %L)',
                        json_build_object('login', 'audit-new', 'full_name', 'Аудитова Мария', 'role', 'school',
                                          'school_id', pg_temp.fx('school:T1-A-2')), pg_temp.hash()),
  'a municipality creates a school user');
reset role;
select results_eq($$
  select action, role, before is null, after ->> 'login', after ? 'password_hash'
  from app.audit_log where entity = 'users' and entity_id = (select id from app.users where login = 'audit-new') $$,
  $$ values ('insert', 'municipality', true, 'audit-new', false) $$,
  'user_create wrote an insert row without the password hash');

select pg_temp.act_as('t-committee');
select lives_ok(format('select app.user_set_password(%s, %L)', pg_temp.fx('user:t-school-a1'),
                        'pbkdf2_sha256$1000$bmV3c2FsdA==$bmV3a2V5'), 'the committee resets a password');
reset role;
select results_eq($$
  select action, user_id, before, after from app.audit_log
  where entity = 'users' and entity_id = pg_temp.fx('user:t-school-a1') and action like 'password%' $$,
  $$ values ('password_set', pg_temp.fx('user:t-committee'), null::jsonb, null::jsonb) $$,
  'a password reset is audited as password_set, with no row data');

select pg_temp.act_as('t-school-a1');
select lives_ok($$ select app.change_my_password('pbkdf2_sha256$1000$bXlzYWx0$bXlrZXk=') $$,
  'a school changes its own password');
reset role;
select is((select count(*)::int from app.audit_log
           where entity = 'users' and entity_id = pg_temp.fx('user:t-school-a1')
             and action = 'password_change' and user_id = pg_temp.fx('user:t-school-a1')), 1,
  'changing one''s own password is audited as password_change');

select pg_temp.act_as('t-committee');
select lives_ok(format('select app.user_update(%s, null, %L)', pg_temp.fx('user:t-school-a2'), '{"is_active":false}'),
  'the committee deactivates a user');
reset role;
select results_eq($$
  select (before ->> 'is_active')::boolean, (after ->> 'is_active')::boolean
  from app.audit_log where entity = 'users' and entity_id = pg_temp.fx('user:t-school-a2') and action = 'update' $$,
  $$ values (true, false) $$, 'deactivation is audited with before and after');

select pg_temp.act_as('t-committee');
select lives_ok(format('select app.school_update(%s, null, %L)', pg_temp.fx('school:T1-B-1'),
                        '{"name":"Средняя школа № 1 Бетинска"}'), 'the committee saves a school unchanged');
reset role;
select is((select count(*)::int from app.audit_log where entity = 'schools' and entity_id = pg_temp.fx('school:T1-B-1')
             and action = 'update'), 0, 'an update that changes nothing writes no audit row');

select pg_temp.act_as('t-committee');
select throws_ok(format('select app.school_update(%s, 99, %L::jsonb)', pg_temp.fx('school:T1-B-1'), '{"name":"Другое"}'),
  'OR409', null, 'a stale update is refused');
reset role;
select is((select count(*)::int from app.audit_log where entity = 'schools' and entity_id = pg_temp.fx('school:T1-B-1')
             and action = 'update'), 0,
  'a refused update (stale version) leaves no audit row');

select is_empty($$ select id from app.audit_log where before ? 'password_hash' or after ? 'password_hash' $$,
  'no audit row anywhere holds a password hash');

select * from finish();
rollback;
