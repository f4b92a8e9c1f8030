-- 0004_privileges: which role may touch which table (and column) at all.
-- Row-level scope is the job of the policies (0005); function EXECUTE grants
-- sit next to each function.
--
--   regions, municipalities, schools: SELECT for the four request roles;
--     schools INSERT/UPDATE for the committee (no DELETE for anyone).
--   users: committee and municipality only, every column except
--     password_hash readable; the hash is writable but never selectable.
--     ЛОИРО and schools have no privilege at all (they read themselves via app.me()).
--   refresh_tokens, login_attempts, audit_log: no privilege for any API role;
--     the definer functions and triggers owned by orientir_owner write them.
--   orientir_api and orientir_anon: no table privilege. orientir_api needs
--     USAGE on the schema for the first statement of every request (design.md).

grant usage on schema app
  to orientir_api, orientir_anon,
     orientir_committee, orientir_loiro, orientir_municipality, orientir_school;

revoke all on all tables in schema app from public;

grant select on app.regions, app.municipalities, app.schools
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;

grant insert (code, municipality_id, name, short_name, address, is_rural,
              unfavorable_conditions, education_levels, has_ovz_pupils),
      update (code, municipality_id, name, short_name, address, is_rural,
              unfavorable_conditions, education_levels, has_ovz_pupils)
  on app.schools to orientir_committee;

grant select (id, login, full_name, role, region_id, municipality_id, school_id,
              is_active, version, created_at, updated_at),
      insert (login, full_name, role, region_id, municipality_id, school_id,
              is_active, password_hash),
      update (full_name, role, region_id, municipality_id, school_id, is_active, password_hash)
  on app.users to orientir_committee, orientir_municipality;
