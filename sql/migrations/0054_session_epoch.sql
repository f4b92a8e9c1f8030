-- 0054_session_epoch: an account check that costs one primary-key lookup and
-- revokes access tokens at once, and claims that policies read without
-- parsing JSON.
--
-- Each user carries token_epoch; the access token carries it as claim `ep`.
-- Sign-out, a password change (own or by an administrator), deactivation and
-- a change of role or organisation (the user's own, or its school's
-- municipality) bump it, so every token issued before stops at once.
-- Reactivation does not restore an old epoch.
--
-- The claims are separate transaction-local settings (request.sub,
-- request.role, request.reg, request.mun, request.sch) instead of one JSON
-- document: the claim helpers become inlinable SQL expressions, which a
-- policy evaluates without a function call or a JSON parse.

set local role orientir_owner;

alter table app.users add column token_epoch integer not null default 1;
comment on column app.users.token_epoch is
  'Access tokens carry it as claim ep; bumped on sign-out, password change, deactivation, role or organisation change';

-- The claim helpers: no SET clause and one expression each, so that the
-- planner inlines them into policies and queries (a SET clause or SECURITY
-- DEFINER would prevent it). '' and NULL both mean "no claim" (see 0003).
create or replace function app.claim_user_id() returns bigint
language sql stable parallel safe
as $$ select nullif(pg_catalog.current_setting('request.sub', true), '')::bigint $$;
comment on function app.claim_user_id() is 'Claim sub: the caller''s user id, NULL when absent';

create or replace function app.claim_role() returns text
language sql stable parallel safe
as $$ select nullif(pg_catalog.current_setting('request.role', true), '') $$;
comment on function app.claim_role() is 'Claim role: committee, loiro, municipality or school; NULL when absent';

create or replace function app.claim_region_id() returns bigint
language sql stable parallel safe
as $$ select nullif(pg_catalog.current_setting('request.reg', true), '')::bigint $$;
comment on function app.claim_region_id() is 'Claim reg: the caller''s region (set for every role)';

create or replace function app.claim_municipality_id() returns bigint
language sql stable parallel safe
as $$ select nullif(pg_catalog.current_setting('request.mun', true), '')::bigint $$;
comment on function app.claim_municipality_id() is 'Claim mun: the caller''s municipality (municipality and school roles)';

create or replace function app.claim_school_id() returns bigint
language sql stable parallel safe
as $$ select nullif(pg_catalog.current_setting('request.sch', true), '')::bigint $$;
comment on function app.claim_school_id() is 'Claim sch: the caller''s school (school role)';

drop function app.claims();

-- The claims of a user as the API would set them from its token, for demo
-- data and tests that act as someone inside SQL (the API sets the settings
-- itself, in its opening statement). NULL clears them. Owner only.
create function app.set_claims_of(p_user_id bigint) returns void
language plpgsql
set search_path = app, pg_temp
as $$
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

-- The session user JSON gains token_epoch: the API puts it into the token as ep.
create or replace function app.user_json(p_user_id bigint) returns json
language sql stable
set search_path = app, pg_temp
as $$
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

-- The account check of every authenticated request, in the API's opening
-- statement. PL/pgSQL, so its one query is planned once per connection: a
-- primary-key lookup whatever the number of users. Raises OR401 when the
-- account is gone or inactive (auth.inactive) or the token's epoch is not the
-- account's (auth.invalid_token: signed out, password or assignment changed).
-- Granted to orientir_api: the opening statement starts before its own
-- set_config('role') switches to the request role.
create function app.session_check(p_user_id bigint, p_epoch integer) returns boolean
language plpgsql stable
security definer
set search_path = app, pg_temp
as $$
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
comment on function app.session_check(bigint, integer) is
  'orientir_api and request roles: raise OR401 unless the user is active and the token epoch is current';

drop function app.current_user_is_active();

-- Bumping the epoch is not a change a client sees: it moves no version.
create or replace function app.bump_version() returns trigger
language plpgsql
set search_path = app, pg_temp
as $$
begin
  if (to_jsonb(new) - array['version', 'updated_at', 'password_hash', 'token_epoch'])
     is distinct from (to_jsonb(old) - array['version', 'updated_at', 'password_hash', 'token_epoch']) then
    new.version := old.version + 1;
    new.updated_at := now();
  else
    new.version := old.version;
    new.updated_at := old.updated_at;
  end if;
  return new;
end
$$;

-- An update that changes only the epoch (sign-out) is audited by the function
-- that made it, not as a row update; otherwise as in 0006.
create or replace function app.audit_row() returns trigger
language plpgsql
security definer
set search_path = app, pg_temp
as $$
declare
  v_old    jsonb;
  v_new    jsonb;
  v_action text := lower(tg_op);
begin
  if tg_op in ('UPDATE', 'DELETE') then
    v_old := to_jsonb(old);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    v_new := to_jsonb(new);
  end if;
  if tg_op = 'UPDATE' and (v_old - 'password_hash' - 'token_epoch') = (v_new - 'password_hash' - 'token_epoch') then
    if (v_old ->> 'password_hash') is not distinct from (v_new ->> 'password_hash') then
      return null;
    end if;
    v_action := case when app.claim_user_id() = (v_new ->> 'id')::bigint
                     then 'password_change' else 'password_set' end;
    v_old := null;
    v_new := null;
  end if;
  perform app.audit_write(v_action, tg_table_name,
                          (coalesce(v_new, v_old, to_jsonb(new)) ->> 'id')::bigint,
                          v_old, v_new);
  return null;
end
$$;

-- The events that end every access token of a user (the same ones that
-- revoke its refresh tokens, users_revoke_tokens in 0007).
create function app.users_bump_epoch() returns trigger
language plpgsql
set search_path = app, pg_temp
as $$
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
create trigger users_bump_epoch before update on app.users
  for each row execute function app.users_bump_epoch();

-- A school moved to another municipality, or a municipality to another
-- region, changes the claims of their users: their tokens end too.
create function app.org_moved_bump_epoch() returns trigger
language plpgsql
security definer
set search_path = app, pg_temp
as $$
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
create trigger schools_moved_bump_epoch after update of municipality_id on app.schools
  for each row when (old.municipality_id is distinct from new.municipality_id)
  execute function app.org_moved_bump_epoch();
create trigger municipalities_moved_bump_epoch after update of region_id on app.municipalities
  for each row when (old.region_id is distinct from new.region_id)
  execute function app.org_moved_bump_epoch();

-- Sign-out ends the user's access tokens as well as the refresh token.
create or replace function app.logout(p_hash bytea) returns void
language plpgsql
security definer
set search_path = app, pg_temp
as $$
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
comment on function app.logout(bytea) is
  'orientir_anon: revoke a refresh token and end the user''s access tokens (no error when unknown)';

-- A rotated refresh token presented again means it was copied: besides every
-- refresh token (0007), the user's access tokens end too.
create or replace function app.refresh_rotate(p_old_hash bytea, p_new_hash bytea, p_expires_at timestamptz)
returns json
language plpgsql
security definer
set search_path = app, pg_temp
as $$
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
comment on function app.refresh_rotate(bytea, bytea, timestamptz) is
  'orientir_anon: rotate a refresh token; NULL (commit, then 401) when invalid; reuse of a rotated token revokes all of the user''s tokens, access tokens included';

revoke execute on function app.set_claims_of(bigint), app.session_check(bigint, integer),
  app.users_bump_epoch(), app.org_moved_bump_epoch() from public;
grant execute on function app.session_check(bigint, integer)
  to orientir_api, orientir_committee, orientir_loiro, orientir_municipality, orientir_school;

reset role;
