-- Sign-in functions (as orientir_anon): lookup, throttling, refresh rotation
-- with reuse detection, logout, password change.
begin;
\ir fixtures.psql
select plan(45);

-- What anon may do ------------------------------------------------------------------------
select pg_temp.act_as(null);
select throws_ok($$ select id from app.users $$, '42501', null, 'orientir_anon cannot read users');
select throws_ok($$ select app.me() $$, '42501', null, 'orientir_anon cannot call me()');
select throws_ok($$ select app.session_check(1, 1) $$, '42501', null,
  'orientir_anon cannot call session_check()');
select results_eq($$ select user_id, password_hash, is_active, retry_after from app.login_lookup('T-School-A1', '10.0.0.1') $$,
  $$ values (pg_temp.fx('user:t-school-a1'), pg_temp.hash(), true, 0) $$,
  'login_lookup matches the login case-insensitively and returns the hash, not throttled');
select results_eq($$ select user_id, password_hash, is_active, retry_after from app.login_lookup('nobody', '10.0.0.1') $$,
  $$ values (null::bigint, null::text, null::boolean, 0) $$,
  'login_lookup returns one row of NULLs for an unknown login (throttled like a known one)');
reset role;
select pg_temp.act_as('t-school-a1');
select throws_ok($$ select * from app.login_lookup('t-committee', '10.0.0.1') $$, '42501', null,
  'a signed-in role cannot call login_lookup (no hash harvesting)');
reset role;

-- Throttling: per (login, address), per address, per login ------------------------------------
-- now() is the transaction's start: every attempt below is "just now" unless dated.
select pg_temp.act_as(null);
select lives_ok($$ select app.login_fail(pg_temp.fx('user:t-school-a1'), 'T-School-A1', '10.0.0.1')
                   from generate_series(1, 4) $$, 'login_fail records failures (the login lower-cased)');
select is((select retry_after from app.login_lookup('t-school-a1', '10.0.0.1')), 0,
  'four failures of a login from one address do not throttle it');
select app.login_fail(pg_temp.fx('user:t-school-a1'), 't-school-a1', '10.0.0.1');
select is((select retry_after from app.login_lookup('t-school-a1', '10.0.0.1')), 30,
  'the fifth failure makes that login wait 30 s at that address');
select is((select retry_after from app.login_lookup('T-SCHOOL-A1', '10.0.0.2')), 0,
  'the owner signing in from another address is not held back');
select is((select retry_after from app.login_lookup('t-school-a2', '10.0.0.1')), 0,
  'another login from that address is not held back');
select app.login_fail(null, 'ghost', '10.0.0.1') from generate_series(1, 5);
select is((select retry_after from app.login_lookup('ghost', '10.0.0.1')), 30,
  'an unknown login is throttled exactly like a known one');
reset role;
select is((select count(*)::int from app.login_attempts where login = 't-school-a1' and not succeeded), 5,
  'each failure is one attempt, stored lower-cased');

-- p_count failures of a login at an address, the latest p_ago ago, one second apart.
create function pg_temp.failures(p_login text, p_address text, p_count int, p_ago interval default '0')
returns void language sql as $$
  insert into app.login_attempts (login, address, succeeded, at)
  select p_login, p_address, false, now() - p_ago - i * interval '1 second' from generate_series(0, p_count - 1) i
$$;
select pg_temp.failures('double-6', '10.0.1.1', 6);
select pg_temp.failures('double-7', '10.0.1.1', 7);
select pg_temp.failures('double-12', '10.0.1.1', 12);
select results_eq($$ values (app.login_throttle('double-6', '10.0.1.1')), (app.login_throttle('double-7', '10.0.1.1')),
                            (app.login_throttle('double-12', '10.0.1.1')) $$,
  $$ values (60), (120), (900) $$, 'each further failure doubles the wait, up to 15 minutes');
select pg_temp.failures('waited', '10.0.1.2', 5, '31 seconds');
select is(app.login_throttle('waited', '10.0.1.2'), 0, 'after the wait the login may try again');
select pg_temp.failures('old', '10.0.1.3', 20, '16 minutes');
select is(app.login_throttle('old', '10.0.1.3'), 0, 'failures older than 15 minutes do not count');
select pg_temp.failures('reset', '10.0.1.4', 10, '2 minutes');
insert into app.login_attempts (login, address, succeeded, at) values ('reset', '10.0.1.4', true, now() - interval '1 minute');
select pg_temp.failures('reset', '10.0.1.4', 1);
select is(app.login_throttle('reset', '10.0.1.4'), 0, 'a successful sign-in resets its (login, address) pair');

insert into app.login_attempts (login, address, succeeded, at)
select 'spray-' || i, '10.0.2.1', false, now() - i * interval '1 second' from generate_series(0, 29) i;
insert into app.login_attempts (login, address, succeeded, at)
select 'spray-' || i, '10.0.2.2', false, now() - i * interval '1 second' from generate_series(0, 28) i;
select results_eq($$ values (app.login_throttle('t-committee', '10.0.2.1')), (app.login_throttle('t-committee', '10.0.2.2')),
                            (app.login_throttle('t-committee', '10.0.2.3')) $$,
  $$ values (900 - 29), (0), (0) $$,
  'thirty failures from one address, whatever the logins, hold back every login there until the oldest is 15 minutes old');

insert into app.login_attempts (login, address, succeeded, at)
select 'target', '10.0.3.' || i, false, now() - i * interval '1 second' from generate_series(0, 99) i;
insert into app.login_attempts (login, address, succeeded, at)
select 'target-99', '10.0.3.' || i, false, now() - i * interval '1 second' from generate_series(0, 98) i;
select results_eq($$ values (app.login_throttle('Target', '10.9.9.9')), (app.login_throttle('target-99', '10.9.9.9')) $$,
  $$ values (900 - 99), (0) $$, 'a hundred failures of one login from all addresses hold it back everywhere');

select pg_temp.act_as(null);
select lives_ok($$ select app.login_fail(null, 'nobody', '10.0.0.9') $$, 'a failure for an unknown login is recorded');
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
select results_eq($$ select * from app.my_password_hash('10.0.4.1') $$, $$ values (pg_temp.hash(), 0) $$,
  'my_password_hash returns the caller''s own hash, not throttled');
select app.my_password_failed('10.0.4.1') from generate_series(1, 5);
select is((select retry_after from app.my_password_hash('10.0.4.1')), 30,
  'wrong current passwords throttle like failed sign-ins');
select lives_ok($$ select app.change_my_password('pbkdf2_sha256$1000$bmV3$bmV3') $$, 'a user changes its own password');
select is((select password_hash from app.my_password_hash('10.0.4.2')), 'pbkdf2_sha256$1000$bmV3$bmV3', 'the new hash is stored');
reset role;
select pg_temp.act_as(null);
select is((select retry_after from app.login_lookup('t-school-a2', '10.0.4.1')), 30,
  'they count with the sign-in failures of the same login and address');
reset role;
select is((select count(*)::int from app.audit_log where action = 'password_check_failed' and user_id = pg_temp.fx('user:t-school-a2')), 5,
  'wrong current passwords are audited');
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
