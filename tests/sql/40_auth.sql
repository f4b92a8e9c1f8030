-- Sign-in functions (as orientir_anon): lookup, lockout, refresh rotation
-- with reuse detection, logout, password change.
begin;
\ir fixtures.psql
select plan(39);

-- What anon may do ------------------------------------------------------------------------
select pg_temp.act_as(null);
select throws_ok($$ select id from app.users $$, '42501', null, 'orientir_anon cannot read users');
select throws_ok($$ select app.me() $$, '42501', null, 'orientir_anon cannot call me()');
select throws_ok($$ select app.session_check(1, 1) $$, '42501', null,
  'orientir_anon cannot call session_check()');
select results_eq($$ select user_id, password_hash, is_active, locked_until from app.login_lookup('T-School-A1') $$,
  $$ values (pg_temp.fx('user:t-school-a1'), pg_temp.hash(), true, null::timestamptz) $$,
  'login_lookup matches the login case-insensitively and returns the hash');
select is_empty($$ select * from app.login_lookup('nobody') $$, 'login_lookup returns no row for an unknown login');
reset role;
select pg_temp.act_as('t-school-a1');
select throws_ok($$ select * from app.login_lookup('t-committee') $$, '42501', null,
  'a signed-in role cannot call login_lookup (no hash harvesting)');
reset role;

-- Lockout: more than 10 failures within 15 minutes lock for 15 minutes ------------------------
select pg_temp.act_as(null);
select is((select count(*)::int from generate_series(1, 10) i
           where app.login_fail(pg_temp.fx('user:t-school-a1'), 't-school-a1', '10.0.0.1') is not null), 0,
  'ten failures do not lock the account');
select ok((select locked_until from app.login_lookup('t-school-a1')) is null, 'after ten failures the lookup shows no lock');
select is(app.login_fail(pg_temp.fx('user:t-school-a1'), 't-school-a1', '10.0.0.1'), now() + interval '15 minutes',
  'the eleventh failure locks the account for 15 minutes and says until when');
select is((select locked_until from app.login_lookup('t-school-a1')), now() + interval '15 minutes',
  'login_lookup reports the lock');
select is(pg_temp.error_of(format('select app.login_succeed(%s, %L, %L::bytea, now() + interval ''1 day'')',
                                  pg_temp.fx('user:t-school-a1'), '10.0.0.1', sha256('x')::text)) - 'hint',
  '{"sqlstate": "OR429", "detail": "auth.locked", "message": "Слишком много неудачных попыток входа. Учётная запись заблокирована на 15 минут"}'::jsonb,
  'a locked account cannot complete a sign-in (OR429 auth.locked)');
select ok((select locked_until from app.login_lookup('t-school-a2')) is null, 'the lock is per account');
reset role;

insert into app.login_attempts (user_id, login, address, succeeded, at)
select pg_temp.fx('user:t-school-a2'), 't-school-a2', '10.0.0.2', false, now() - interval '20 minutes'
from generate_series(1, 20);
insert into app.login_attempts (user_id, login, address, succeeded, at)
values (pg_temp.fx('user:t-school-a2'), 't-school-a2', '10.0.0.2', false, now());
select ok(app.account_locked_until(pg_temp.fx('user:t-school-a2')) is null,
  'failures older than 15 minutes do not count');

insert into app.login_attempts (user_id, login, address, succeeded, at)
select pg_temp.fx('user:t-school-b1'), 't-school-b1', '10.0.0.3', false, now() - interval '16 minutes'
from generate_series(1, 11);
select ok(app.account_locked_until(pg_temp.fx('user:t-school-b1')) is null,
  'a lock ends 15 minutes after the failure that caused it');

insert into app.login_attempts (user_id, login, address, succeeded, at)
select pg_temp.fx('user:t-mun-a'), 't-mun-a', '10.0.0.4', false, now() - interval '10 minutes'
from generate_series(1, 10);
insert into app.login_attempts (user_id, login, address, succeeded, at)
values (pg_temp.fx('user:t-mun-a'), 't-mun-a', '10.0.0.4', true, now() - interval '9 minutes'),
       (pg_temp.fx('user:t-mun-a'), 't-mun-a', '10.0.0.4', false, now() - interval '1 minute');
select ok(app.account_locked_until(pg_temp.fx('user:t-mun-a')) is null,
  'a successful sign-in resets the count');

insert into app.login_attempts (user_id, login, address, succeeded, at)
select pg_temp.fx('user:t-mun-b'), 't-mun-b', '10.0.0.5', false, now() - interval '14 minutes' + i * interval '1 minute'
from generate_series(0, 10) i;
select is(app.account_locked_until(pg_temp.fx('user:t-mun-b')), now() - interval '4 minutes' + interval '15 minutes',
  'eleven failures spread over 11 minutes lock until 15 minutes after the eleventh');

select pg_temp.act_as(null);
select ok(app.login_fail(null, 'nobody', '10.0.0.9') is null, 'a failure for an unknown login is recorded, no lock');
reset role;
select results_eq($$ select action, user_id, role, after ->> 'login' from app.audit_log
                     where action = 'login_failed' and after ->> 'login' = 'nobody' $$,
  $$ values ('login_failed', null::bigint, 'anon', 'nobody') $$, 'failures are audited, unknown logins too');

-- Refresh tokens: rotation and reuse detection --------------------------------------------
select pg_temp.act_as(null);
select is(app.login_succeed(pg_temp.fx('user:t-committee'), '10.1.1.1', sha256('r1'), now() + interval '14 days')::jsonb,
  jsonb_build_object('id', pg_temp.fx('user:t-committee'), 'login', 't-committee', 'full_name', 'Комитетова Анна Ивановна',
                     'role', 'committee', 'region_id', pg_temp.fx('region:T1'), 'municipality_id', null,
                     'school_id', null, 'organisation_name', 'Комитет образования Тестовой области',
                     'token_epoch', 1),
  'login_succeed returns the session user (with the token epoch the access token carries)');
select is(app.login_succeed(pg_temp.fx('user:t-school-a2'), '10.1.1.2', sha256('s1'), now() + interval '14 days')::jsonb
            - 'id' - 'login' - 'full_name' - 'role' - 'organisation_name' - 'token_epoch',
  jsonb_build_object('region_id', pg_temp.fx('region:T1'), 'municipality_id', pg_temp.fx('municipality:T1-A'),
                     'school_id', pg_temp.fx('school:T1-A-2')),
  'a school user''s session carries region, municipality and school');
select is(app.refresh_rotate(sha256('r1'), sha256('r2'), now() + interval '14 days') ->> 'login', 't-committee',
  'a valid refresh token rotates and returns the session user');
select ok(app.refresh_rotate(sha256('unknown'), sha256('r9'), now() + interval '14 days') is null,
  'an unknown token gives NULL');
select ok(app.refresh_rotate(sha256('r1'), sha256('r3'), now() + interval '14 days') is null,
  'the rotated-away token presented again gives NULL');
select ok(app.refresh_rotate(sha256('r2'), sha256('r4'), now() + interval '14 days') is null,
  'reuse of a rotated token revoked its successor too');
reset role;
select is((select count(*)::int from app.refresh_tokens where user_id = pg_temp.fx('user:t-committee') and revoked_at is null), 0,
  'after reuse detection no token of that user is valid');
select is((select count(*)::int from app.refresh_tokens where user_id = pg_temp.fx('user:t-school-a2') and revoked_at is null), 1,
  'other users'' tokens are untouched');
select is((select count(*)::int from app.audit_log where action = 'refresh_reuse' and user_id = pg_temp.fx('user:t-committee')), 1,
  'reuse is audited');

insert into app.refresh_tokens (token_hash, user_id, created_at, expires_at)
values (sha256('old'), pg_temp.fx('user:t-loiro'), now() - interval '15 days', now() - interval '1 day');
select pg_temp.act_as(null);
select ok(app.refresh_rotate(sha256('old'), sha256('old2'), now() + interval '14 days') is null, 'an expired token gives NULL');

-- Logout ------------------------------------------------------------------------------------
select lives_ok($$ select app.logout(sha256('s1')) $$, 'logout revokes the token');
select lives_ok($$ select app.logout(sha256('never-issued')) $$, 'logout of an unknown token is not an error');
select ok(app.refresh_rotate(sha256('s1'), sha256('s2'), now() + interval '14 days') is null,
  'a logged-out token no longer refreshes');
select ok(app.login_succeed(pg_temp.fx('user:t-school-a2'), '10.1.1.2', sha256('s3'), now() + interval '14 days') is not null,
  'the user signs in again');
select ok(app.refresh_rotate(sha256('s1'), sha256('s4'), now() + interval '14 days') is null,
  'the logged-out token presented again still gives NULL');
reset role;
select is((select count(*)::int from app.refresh_tokens where user_id = pg_temp.fx('user:t-school-a2') and revoked_at is null), 1,
  'a logged-out (not rotated) token presented again does not end the user''s other sessions');

-- Own password -------------------------------------------------------------------------------
select pg_temp.act_as('t-school-a2');
select is(app.my_password_hash(), pg_temp.hash(), 'my_password_hash returns the caller''s own hash');
select lives_ok($$ select app.change_my_password('pbkdf2_sha256$1000$bmV3$bmV3') $$, 'a user changes its own password');
select is(app.my_password_hash(), 'pbkdf2_sha256$1000$bmV3$bmV3', 'the new hash is stored');
reset role;
select is((select count(*)::int from app.refresh_tokens where user_id = pg_temp.fx('user:t-school-a2') and revoked_at is null), 0,
  'a password change revokes every refresh token of the user');

-- A request whose user is gone (only in a race: the account check passed just
-- before) changes nothing: OR401 with the API's own code.
select pg_temp.act_as('t-school-a2');
select set_config('request.sub', '-1', true);
select is(pg_temp.error_of($$ select app.change_my_password('pbkdf2_sha256$1000$bmV3$bmV3') $$) ->> 'detail',
  'auth.unauthorized', 'change_my_password without its user raises OR401 auth.unauthorized (the API''s code)');
reset role;

select * from finish();
rollback;
