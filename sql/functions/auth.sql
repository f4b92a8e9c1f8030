-- Authentication and the session: sign-in, refresh, sign-out, the account
-- check of every request (token epoch), /me and the user's own password.
-- Function file (see shared.sql for how function files are applied).

set local role orientir_owner;

-- The session user as the API returns it and builds the JWT claims from:
-- {id, login, full_name, role, region_id, municipality_id, school_id,
-- organisation_name}. region_id is always set (derived for municipality and
-- school users), municipality_id for municipality and school users, school_id
-- for school users. Internal: owner only, called from definer code.
-- Plus token_epoch: the API puts it into the token as claim ep.
create or replace function app.user_json(p_user_id bigint) returns json
language sql stable set search_path = app, pg_temp as $$
  select json_build_object(
           'id', u.id,
           'login', u.login,
           'full_name', u.full_name,
           'role', u.role,
           'region_id', r.id,
           'municipality_id', m.id,
           'school_id', s.id,
           'organisation_name', case u.role
                                  when 'committee' then r.committee_name
                                  when 'loiro' then r.institute_name
                                  when 'municipality' then m.name
                                  else s.short_name
                                end,
           'token_epoch', u.token_epoch)
  from app.users u
  left join app.schools s on s.id = u.school_id
  left join app.municipalities m on m.id = coalesce(u.municipality_id, s.municipality_id)
  left join app.regions r on r.id = coalesce(u.region_id, m.region_id)
  where u.id = p_user_id
$$;
comment on function app.user_json(bigint) is 'Internal: the session user JSON (design.md user_json)';

-- How many seconds sign-in must wait for this login from this address (0:
-- not throttled). Only failures of the last 15 minutes count:
--   per (login, address), after the pair's last success: from the 5th failure
--   on, the next try waits 30 s after the last failure, doubling with each
--   further failure up to 15 minutes;
--   per address: 30 failures, whatever the logins (known or not);
--   per login: 100 failures from all addresses together.
-- The owner signing in from another address is held back only by the
-- per-login limit. Nothing here depends on whether the login exists.
create or replace function app.login_throttle(p_login text, p_address text) returns integer
language sql stable set search_path = app, pg_temp as $$
  with pair as (
    select count(*) as failures, max(a.at) as last_at
    from app.login_attempts a
    where a.login = lower(p_login)
      and a.address is not distinct from p_address
      and not a.succeeded
      and a.at > now() - interval '15 minutes'
      and a.at > coalesce((select max(s.at) from app.login_attempts s
                           where s.login = lower(p_login) and s.address is not distinct from p_address
                             and s.succeeded), '-infinity')
  ),
  address_limit as (
    select a.at + interval '15 minutes' as until
    from app.login_attempts a
    where a.address = p_address and not a.succeeded and a.at > now() - interval '15 minutes'
    order by a.at desc offset 29 limit 1
  ),
  login_limit as (
    select a.at + interval '15 minutes' as until
    from app.login_attempts a
    where a.login = lower(p_login) and not a.succeeded and a.at > now() - interval '15 minutes'
    order by a.at desc offset 99 limit 1
  )
  select coalesce(greatest(0, ceil(extract(epoch from greatest(
           (select case when p.failures >= 5
                        then p.last_at + make_interval(secs => least(900, 30 * 2 ^ least(p.failures - 5, 5)))
                   end from pair p),
           (select until from address_limit),
           (select until from login_limit)) - now()))), 0)::integer
$$;
comment on function app.login_throttle(text, text) is
  'Internal: seconds a sign-in of this login from this address must wait (0: free); see the limits in auth.sql';

-- Records a failed password (sign-in or current password) and audits it.
-- p_user_id is NULL for an unknown login. Attempts older than a day are
-- forgotten here: no limit looks further back than 15 minutes.
create or replace function app.login_attempt_failed(p_user_id bigint, p_login text, p_address text,
                                                    p_action text)
returns void
language plpgsql set search_path = app, pg_temp as $$
begin
  delete from app.login_attempts a where a.at < now() - interval '1 day';
  insert into app.login_attempts (user_id, login, address, succeeded)
  values (p_user_id, lower(left(coalesce(p_login, ''), 200)), left(p_address, 100), false);
  perform app.audit_write(p_action, 'users', p_user_id, null,
                          jsonb_build_object('login', left(p_login, 200), 'address', left(p_address, 100)),
                          p_user_id,
                          coalesce((select u.role from app.users u where u.id = p_user_id), 'anon'));
end
$$;
comment on function app.login_attempt_failed(bigint, text, text, text) is
  'Internal: record and audit a failed password of a login (user NULL when unknown)';

-- Sign-in, step 1 (orientir_anon): the account for a login as typed (matched
-- lower-cased) and how long this login must wait from this address. Always
-- one row: user_id NULL when there is no such login, so that an unknown login
-- is throttled like a known one.
create or replace function app.login_lookup(p_login text, p_address text)
returns table (user_id bigint, password_hash text, is_active boolean, retry_after integer)
language sql stable security definer set search_path = app, pg_temp as $$
  select u.id, u.password_hash, u.is_active, app.login_throttle(p_login, p_address)
  from (select 1) one
  left join app.users u on u.login = lower(p_login)
$$;
grant execute on function app.login_lookup(text, text) to orientir_anon;
comment on function app.login_lookup(text, text) is
  'orientir_anon: hash, active flag (NULLs when unknown) and the throttle wait in seconds for a login from an address';

-- Sign-in, wrong password or unknown login (orientir_anon): records and
-- audits the failure (login_failed). p_user_id is NULL for an unknown login.
create or replace function app.login_fail(p_user_id bigint, p_login text, p_address text)
returns void
language plpgsql security definer set search_path = app, pg_temp as $$
begin
  if p_user_id is not null and not exists (select from app.users u where u.id = p_user_id) then
    raise exception using errcode = 'OR404', message = 'Пользователь не найден', detail = 'not_found';
  end if;
  perform app.login_attempt_failed(p_user_id, p_login, p_address, 'login_failed');
end
$$;
grant execute on function app.login_fail(bigint,text,text) to orientir_anon;
comment on function app.login_fail(bigint, text, text) is
  'orientir_anon: record and audit a failed sign-in';

-- Sign-in, password verified (orientir_anon): stores the refresh token
-- (sha256 of the random token), audits the login and returns user_json.
-- Raises OR401 auth.invalid_credentials if the account became inactive
-- meanwhile. The success resets the throttle of its (login, address) pair.
create or replace function app.login_succeed(p_user_id bigint, p_address text,
                                  p_refresh_hash bytea, p_refresh_expires_at timestamptz)
returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v_user   record;
begin
  select u.id, u.role, u.is_active into v_user from app.users u where u.id = p_user_id;
  if not found or not v_user.is_active then
    raise exception using errcode = 'OR401', message = 'Неверный логин или пароль',
      detail = 'auth.invalid_credentials';
  end if;
  insert into app.login_attempts (user_id, login, address, succeeded)
  select u.id, u.login, left(p_address, 100), true from app.users u where u.id = p_user_id;
  insert into app.refresh_tokens (token_hash, user_id, expires_at)
  values (p_refresh_hash, p_user_id, p_refresh_expires_at);
  perform app.audit_write('login', 'users', p_user_id, null,
                          jsonb_build_object('address', left(p_address, 100)),
                          p_user_id, v_user.role);
  return app.user_json(p_user_id);
end
$$;
grant execute on function app.login_succeed(bigint,text,bytea,timestamp with time zone) to orientir_anon;
comment on function app.login_succeed(bigint, text, bytea, timestamptz) is
  'orientir_anon: after a verified password: store the refresh token, audit, return user_json';

-- Refresh (orientir_anon): rotates p_old_hash into p_new_hash and returns
-- user_json. Returns NULL — it does not raise, so that the revocations below
-- are committed — when the token is unknown, expired or revoked, or its user
-- is inactive; the API then answers 401 auth.invalid_refresh and COMMITs.
-- A token that was already rotated, presented again, means it was copied:
-- every refresh token of that user is revoked (reuse detection), its access
-- tokens end too (the token epoch moves), and it is audited.
create or replace function app.refresh_rotate(p_old_hash bytea, p_new_hash bytea, p_expires_at timestamptz)
returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v_token  record;
  v_user   record;
  v_new_id bigint;
begin
  select t.id, t.user_id, t.expires_at, t.revoked_at, t.replaced_by into v_token
  from app.refresh_tokens t where t.token_hash = p_old_hash for update;
  if not found then
    return null;
  end if;
  select u.id, u.role, u.is_active into v_user from app.users u where u.id = v_token.user_id;
  if v_token.revoked_at is not null then
    if v_token.replaced_by is not null then
      update app.refresh_tokens set revoked_at = now()
      where user_id = v_token.user_id and revoked_at is null;
      update app.users u set token_epoch = u.token_epoch + 1 where u.id = v_token.user_id;
      perform app.audit_write('refresh_reuse', 'users', v_token.user_id, null,
                              jsonb_build_object('token_id', v_token.id),
                              v_token.user_id, v_user.role);
    end if;
    return null;
  end if;
  if v_token.expires_at <= now() or not v_user.is_active then
    update app.refresh_tokens set revoked_at = now() where id = v_token.id;
    return null;
  end if;
  insert into app.refresh_tokens (token_hash, user_id, expires_at)
  values (p_new_hash, v_token.user_id, p_expires_at)
  returning id into v_new_id;
  update app.refresh_tokens set revoked_at = now(), replaced_by = v_new_id where id = v_token.id;
  return app.user_json(v_token.user_id);
end
$$;
grant execute on function app.refresh_rotate(bytea,bytea,timestamp with time zone) to orientir_anon;
comment on function app.refresh_rotate(bytea, bytea, timestamptz) is
  'orientir_anon: rotate a refresh token; NULL (commit, then 401) when invalid; reuse of a rotated token revokes all of the user''s tokens, access tokens included';

-- Sign-out (orientir_anon): revokes the token; unknown or already revoked
-- tokens are not an error.
-- It ends the user's access tokens as well (the token epoch moves).
create or replace function app.logout(p_hash bytea) returns void
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v_user_id bigint;
begin
  update app.refresh_tokens set revoked_at = now()
  where token_hash = p_hash and revoked_at is null
  returning user_id into v_user_id;
  if v_user_id is not null then
    update app.users u set token_epoch = u.token_epoch + 1 where u.id = v_user_id;
    perform app.audit_write('logout', 'users', v_user_id, null, null, v_user_id,
                            (select u.role from app.users u where u.id = v_user_id));
  end if;
end
$$;
grant execute on function app.logout(bytea) to orientir_anon;
comment on function app.logout(bytea) is
  'orientir_anon: revoke a refresh token and end the user''s access tokens (no error when unknown)';

-- POST /me/password, step 1 (four roles): the caller's own password hash and
-- how long the caller's login must wait from this address. Wrong current
-- passwords count with the failed sign-ins of the login (my_password_failed),
-- so a stolen token cannot guess the password at PBKDF2 speed.
create or replace function app.my_password_hash(p_address text)
returns table (password_hash text, retry_after integer)
language sql stable security definer set search_path = app, pg_temp as $$
  select u.password_hash, app.login_throttle(u.login, p_address)
  from app.users u where u.id = app.claim_user_id()
$$;
grant execute on function app.my_password_hash(text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.my_password_hash(text) is
  'Request roles: the caller''s own password hash and its throttle wait in seconds from an address';

-- POST /me/password, a wrong current password (four roles): recorded and
-- audited (password_check_failed) like a failed sign-in of the caller's login.
create or replace function app.my_password_failed(p_address text) returns void
language sql security definer set search_path = app, pg_temp as $$
  select app.login_attempt_failed(u.id, u.login, p_address, 'password_check_failed')
  from app.users u where u.id = app.claim_user_id()
$$;
grant execute on function app.my_password_failed(text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.my_password_failed(text) is
  'Request roles: record a wrong current password as a failed sign-in of the caller''s login';

-- Sets the caller's own password (four roles). The users triggers audit it
-- as password_change and revoke every refresh token of the user.
create or replace function app.change_my_password(p_new_hash text) returns void
language plpgsql security definer set search_path = app, pg_temp as $$
begin
  update app.users set password_hash = p_new_hash where id = app.claim_user_id();
  if not found then
    raise exception using errcode = 'OR401', message = 'Требуется вход в систему',
      detail = 'auth.unauthorized';
  end if;
end
$$;
grant execute on function app.change_my_password(text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.change_my_password(text) is
  'Request roles: replace the caller''s password hash; audited, revokes all refresh tokens';

-- The caller's own record (four roles; ЛОИРО and schools have no grant on
-- users, so this definer function reads exactly the claims' user): user_json
-- plus region_name, municipality_name, school_name. NULL without claims.
create or replace function app.me() returns json
language sql stable security definer set search_path = app, pg_temp as $$
  select (app.user_json(u.id)::jsonb
          || jsonb_build_object('region_name', r.name,
                                'municipality_name', m.name,
                                'school_name', s.name))::json
  from app.users u
  left join app.schools s on s.id = u.school_id
  left join app.municipalities m on m.id = coalesce(u.municipality_id, s.municipality_id)
  left join app.regions r on r.id = coalesce(u.region_id, m.region_id)
  where u.id = app.claim_user_id()
$$;
grant execute on function app.me() to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.me() is 'Request roles: the caller (user_json + region_name, municipality_name, school_name)';

-- Trigger: a deactivated user, a changed password or a changed role or
-- organisation ends every session of that user (its refresh tokens).
create or replace function app.users_revoke_tokens() returns trigger
language plpgsql security definer set search_path = app, pg_temp as $$
begin
  update app.refresh_tokens set revoked_at = now()
  where user_id = new.id and revoked_at is null;
  return null;
end
$$;
comment on function app.users_revoke_tokens() is
  'Trigger: revoke a user''s refresh tokens on deactivation, password or assignment change';

-- The claims of a user as the API would set them from its token, for demo
-- data and tests that act as someone inside SQL (the API sets the settings
-- itself, in its opening statement). NULL clears them. Owner only.
create or replace function app.set_claims_of(p_user_id bigint) returns void
language plpgsql set search_path = app, pg_temp as $$
declare
  u json := app.user_json(p_user_id);
begin
  perform set_config('request.sub', coalesce(u ->> 'id', ''), true),
          set_config('request.role', coalesce(u ->> 'role', ''), true),
          set_config('request.reg', coalesce(u ->> 'region_id', ''), true),
          set_config('request.mun', coalesce(u ->> 'municipality_id', ''), true),
          set_config('request.sch', coalesce(u ->> 'school_id', ''), true);
end
$$;
comment on function app.set_claims_of(bigint) is
  'Internal (demo data, tests): set the request claims of a user, as the API does from its token; NULL clears them';

-- The account check of every authenticated request, in the API's opening
-- statement. PL/pgSQL, so its one query is planned once per connection: a
-- primary-key lookup whatever the number of users. Raises OR401 when the
-- account is gone or inactive (auth.inactive) or the token's epoch is not the
-- account's (auth.invalid_token: signed out, password or assignment changed).
-- Granted to orientir_api: the opening statement starts before its own
-- set_config('role') switches to the request role.
create or replace function app.session_check(p_user_id bigint, p_epoch integer) returns boolean
language plpgsql stable security definer set search_path = app, pg_temp as $$
declare
  v_active boolean;
  v_epoch  integer;
begin
  select u.is_active, u.token_epoch into v_active, v_epoch from app.users u where u.id = p_user_id;
  if not found or not v_active then
    raise exception using errcode = 'OR401', message = 'Учётная запись отключена', detail = 'auth.inactive';
  end if;
  if v_epoch is distinct from p_epoch then
    raise exception using errcode = 'OR401', message = 'Сеанс завершён, войдите снова',
      detail = 'auth.invalid_token';
  end if;
  return true;
end
$$;
grant execute on function app.session_check(bigint,integer) to orientir_api, orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.session_check(bigint, integer) is
  'orientir_api and request roles: raise OR401 unless the user is active and the token epoch is current';

-- The events that end every access token of a user (the same ones that
-- revoke its refresh tokens, users_revoke_tokens).
create or replace function app.users_bump_epoch() returns trigger
language plpgsql set search_path = app, pg_temp as $$
begin
  if old.is_active and not new.is_active
     or old.password_hash is distinct from new.password_hash
     or old.role is distinct from new.role
     or old.region_id is distinct from new.region_id
     or old.municipality_id is distinct from new.municipality_id
     or old.school_id is distinct from new.school_id then
    new.token_epoch := old.token_epoch + 1;
  end if;
  return new;
end
$$;
comment on function app.users_bump_epoch() is
  'Trigger: a new token epoch on deactivation, password or assignment change';

-- A school moved to another municipality, or a municipality to another
-- region, changes the claims of their users: their tokens end too.
create or replace function app.org_moved_bump_epoch() returns trigger
language plpgsql security definer set search_path = app, pg_temp as $$
begin
  if tg_table_name = 'schools' then
    update app.users u set token_epoch = u.token_epoch + 1 where u.school_id = new.id;
  else
    update app.users u set token_epoch = u.token_epoch + 1
    where u.municipality_id = new.id
       or u.school_id in (select s.id from app.schools s where s.municipality_id = new.id);
  end if;
  return null;
end
$$;
comment on function app.org_moved_bump_epoch() is
  'Trigger: a school or municipality moved ends the access tokens of its users';

reset role;
