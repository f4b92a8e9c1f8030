-- The per-request account check (session_check) and the token epoch: which
-- events end a user's access tokens, what the check costs, and claims that
-- policies read without a function call.
begin;
\ir fixtures.psql
select plan(25);

create function pg_temp.epoch(p_login text) returns integer language sql stable
as $$ select token_epoch from app.users where login = p_login $$;
-- The error code session_check raises for the user's token of epoch p_epoch (NULL: passes).
create function pg_temp.check_code(p_login text, p_epoch integer) returns text language plpgsql
as $$
declare
  v_detail text;
begin
  perform app.session_check((select id from app.users where login = p_login), p_epoch);
  return null;
exception when sqlstate 'OR401' then
  get stacked diagnostics v_detail = pg_exception_detail;
  return v_detail;
end
$$;

-- The check --------------------------------------------------------------------------------
select is(pg_temp.epoch('t-school-a1'), 1, 'a new user starts at epoch 1');
select is(pg_temp.check_code('t-school-a1', 1), null, 'the current epoch passes');
select is(pg_temp.check_code('t-school-a1', 0), 'auth.invalid_token', 'an older epoch is refused (auth.invalid_token)');
select throws_ok($$ select app.session_check(-1, 1) $$, 'OR401', 'Учётная запись отключена',
  'an unknown user is refused like an inactive one');

-- Sign-out ---------------------------------------------------------------------------------
select pg_temp.act_as(null);
select ok(app.login_succeed(pg_temp.fx('user:t-school-a1'), '127.0.0.1', sha256('tok-a1'), now() + interval '1 day')
  is not null, 'the school user signs in');
select lives_ok($$ select app.logout(sha256('tok-a1')) $$, 'and signs out');
reset role;
select is(pg_temp.epoch('t-school-a1'), 2, 'sign-out bumps the epoch');
select is(pg_temp.check_code('t-school-a1', 1), 'auth.invalid_token', 'a token from before sign-out is refused');
select is((select count(*)::int from app.audit_log where entity = 'users' and entity_id = pg_temp.fx('user:t-school-a1')
           and action = 'update'), 0, 'the epoch alone writes no row update to the audit log (the logout row says it)');
select is((select version from app.users where login = 't-school-a1'), 1, 'the epoch alone moves no version');

-- Password changes -------------------------------------------------------------------------
select pg_temp.act_as('t-school-a1');
select lives_ok($$ select app.change_my_password('pbkdf2_sha256$1000$bmV3$bmV3') $$, 'the user changes the password');
reset role;
select is(pg_temp.epoch('t-school-a1'), 3, 'an own password change bumps the epoch');
select pg_temp.act_as('t-committee');
select lives_ok(format('select app.user_set_password(%s, %L)', pg_temp.fx('user:t-school-a1'), pg_temp.hash()),
  'the committee sets the password');
reset role;
select is(pg_temp.epoch('t-school-a1'), 4, 'a password set by an administrator bumps the epoch');

-- Deactivation, reactivation, assignment ------------------------------------------------------
select pg_temp.act_as('t-committee');
select lives_ok(format($$ select app.user_update(%s, null, '{"is_active": false}') $$, pg_temp.fx('user:t-school-a2')),
  'the committee deactivates a user');
select lives_ok(format($$ select app.user_update(%s, null, '{"is_active": true}') $$, pg_temp.fx('user:t-school-a2')),
  'and reactivates it');
reset role;
select is(pg_temp.check_code('t-school-a2', 1), 'auth.invalid_token', 'reactivation does not revive a token from before');
select is(pg_temp.epoch('t-school-a2'), 2, 'deactivation bumped the epoch once; reactivation did not');
select pg_temp.act_as('t-committee');
select lives_ok(format($$ select app.user_update(%s, null, jsonb_build_object('school_id', %s)) $$,
                       pg_temp.fx('user:t-school-b1'), pg_temp.fx('school:T1-A-1')), 'the committee moves a user to another school');
reset role;
select is(pg_temp.epoch('t-school-b1'), 2, 'an organisation change bumps the epoch');
update app.schools set municipality_id = pg_temp.fx('municipality:T1-B') where id = pg_temp.fx('school:T1-A-2');
select is(pg_temp.epoch('t-school-a2'), 3, 'moving a school to another municipality ends its users'' tokens');

-- Cost: a primary-key lookup, whatever the number of users -------------------------------------
select pg_stat_clear_snapshot();
create temp table scans_before as
  select seq_scan, idx_scan from pg_stat_xact_user_tables where relid = 'app.users'::regclass;
select count(app.session_check(pg_temp.fx('user:t-committee'), 1)) from generate_series(1, 20);
select results_eq($$ select s.seq_scan - b.seq_scan, s.idx_scan - b.idx_scan
                    from pg_stat_xact_user_tables s, scans_before b where s.relid = 'app.users'::regclass $$,
  $$ values (0::bigint, 20::bigint) $$,
  'twenty checks are twenty index scans of users and no sequential scan');

-- Claims reach policies as inlined expressions -------------------------------------------------
select is_empty($$ select p.proname from pg_proc p join pg_language l on l.oid = p.prolang
                   where p.pronamespace = 'app'::regnamespace and p.proname like 'claim\_%'
                     and (l.lanname <> 'sql' or p.proconfig is not null or p.prosecdef or p.provolatile <> 's') $$,
  'the claim helpers are plain STABLE SQL without a SET clause or SECURITY DEFINER (inlinable)');
create temp table plan_lines (line text);
grant insert, select on plan_lines to public;
select pg_temp.act_as('t-school-a1');
do $$
declare
  l text;
begin
  set local enable_seqscan = off;
  for l in execute 'explain (costs off) select id from app.schools where id = app.claim_school_id()' loop
    insert into plan_lines values (l);
  end loop;
end
$$;
reset role;
select ok((select bool_or(line ~ 'Index Cond: .*current_setting') from plan_lines),
  'a claim in a query is inlined: the index condition reads the setting, no function call');
select ok(not (select bool_or(line ~ 'claim_') from plan_lines), 'no claim helper is called in the plan');
