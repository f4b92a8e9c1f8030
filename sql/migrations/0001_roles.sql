-- 0001_roles: the database roles of docs/design.md ("Database roles").
--
-- Roles are cluster-wide, so every role is created only when missing and its
-- attributes are (re)asserted either way: a cluster where they already exist
-- ends up in the same state as a fresh one.
--
--   orientir_owner   NOLOGIN BYPASSRLS: owns schema app, its tables and its
--                    SECURITY DEFINER functions; nobody is a member of it.
--   orientir_api     LOGIN NOINHERIT: the API's connection; it can only
--                    SET ROLE into the five roles below and holds nothing itself.
--   orientir_anon    unauthenticated requests: executes the auth functions only.
--   orientir_committee, orientir_loiro, orientir_municipality, orientir_school:
--                    one per JWT role; grants and RLS policies decide the rest.

do $$
declare
  r text;
begin
  foreach r in array array['orientir_owner', 'orientir_api', 'orientir_anon',
                           'orientir_committee', 'orientir_loiro',
                           'orientir_municipality', 'orientir_school']
  loop
    if not exists (select 1 from pg_roles where rolname = r) then
      execute format('create role %I', r);
    end if;
  end loop;
end
$$;

alter role orientir_owner nologin bypassrls nosuperuser nocreatedb nocreaterole noreplication inherit;
alter role orientir_api login noinherit nobypassrls nosuperuser nocreatedb nocreaterole noreplication;
alter role orientir_anon nologin noinherit nobypassrls nosuperuser nocreatedb nocreaterole noreplication;
alter role orientir_committee nologin noinherit nobypassrls nosuperuser nocreatedb nocreaterole noreplication;
alter role orientir_loiro nologin noinherit nobypassrls nosuperuser nocreatedb nocreaterole noreplication;
alter role orientir_municipality nologin noinherit nobypassrls nosuperuser nocreatedb nocreaterole noreplication;
alter role orientir_school nologin noinherit nobypassrls nosuperuser nocreatedb nocreaterole noreplication;

comment on role orientir_owner is 'Orientir: owns schema app, its tables and SECURITY DEFINER functions';
comment on role orientir_api is 'Orientir: the API login; may only switch into the five request roles';
comment on role orientir_anon is 'Orientir: unauthenticated requests (auth functions only)';
comment on role orientir_committee is 'Orientir: JWT role committee (regional education committee)';
comment on role orientir_loiro is 'Orientir: JWT role loiro (regional institute of education development)';
comment on role orientir_municipality is 'Orientir: JWT role municipality (municipal education authority)';
comment on role orientir_school is 'Orientir: JWT role school (general-education school)';

-- orientir_api becomes exactly the five request roles and nothing else: drop
-- any other membership a shared cluster may have left behind.
do $$
declare
  m record;
begin
  for m in
    select g.rolname as granted
    from pg_auth_members am
    join pg_roles g on g.oid = am.roleid
    join pg_roles u on u.oid = am.member
    where u.rolname = 'orientir_api'
      and g.rolname not in ('orientir_anon', 'orientir_committee', 'orientir_loiro',
                            'orientir_municipality', 'orientir_school')
  loop
    execute format('revoke %I from orientir_api', m.granted);
  end loop;
  -- Nobody may become the owner.
  for m in
    select u.rolname as member
    from pg_auth_members am
    join pg_roles g on g.oid = am.roleid
    join pg_roles u on u.oid = am.member
    where g.rolname = 'orientir_owner'
  loop
    execute format('revoke orientir_owner from %I', m.member);
  end loop;
end
$$;

do $$
declare
  r text;
begin
  foreach r in array array['orientir_anon', 'orientir_committee', 'orientir_loiro',
                           'orientir_municipality', 'orientir_school']
  loop
    if not pg_has_role('orientir_api', r, 'MEMBER') then
      execute format('grant %I to orientir_api', r);
    end if;
  end loop;
end
$$;

-- Functions the owner creates are not executable by PUBLIC unless granted.
alter default privileges for role orientir_owner revoke execute on functions from public;
