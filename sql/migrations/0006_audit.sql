-- 0006_audit: every mutation is written to app.audit_log in the same
-- transaction, by triggers on the audited tables and by the auth functions.
--
-- The log is append-only twice over: no API role has any privilege on it
-- (0004), and a trigger refuses UPDATE, DELETE and TRUNCATE for everyone,
-- the owner included. Password hashes are never copied into it.

set local role orientir_owner;

-- Writes one audit row. Internal: executable only by orientir_owner, i.e. from
-- definer functions and definer triggers. The actor defaults to the claims;
-- sign-in events pass the user explicitly and have role 'anon'.
create function app.audit_write(
  p_action    text,
  p_entity    text,
  p_entity_id bigint,
  p_before    jsonb,
  p_after     jsonb,
  p_user_id   bigint default app.claim_user_id(),
  p_role      text default coalesce(app.claim_role(), 'system')
) returns void
language sql
set search_path = app, pg_temp
as $$
  insert into app.audit_log (user_id, role, request_id, action, entity, entity_id, before, after)
  values (p_user_id, p_role, nullif(current_setting('request.id', true), ''),
          p_action, p_entity, p_entity_id,
          p_before - 'password_hash', p_after - 'password_hash');
$$;
comment on function app.audit_write(text, text, bigint, jsonb, jsonb, bigint, text) is
  'Internal: append one audit row (request id from request.id); strips password_hash';

-- Row trigger of audited tables: action insert/update/delete with the row
-- before and after. An update that changes nothing visible writes nothing;
-- one that changes only users.password_hash is logged as password_change
-- (by the user) or password_set (by an administrator), without the hash.
create function app.audit_row() returns trigger
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
  if tg_op = 'UPDATE' and (v_old - 'password_hash') = (v_new - 'password_hash') then
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
comment on function app.audit_row() is 'Trigger: audit one inserted, updated or deleted row';

create function app.audit_log_is_append_only() returns trigger
language plpgsql
set search_path = app, pg_temp
as $$
begin
  raise exception using
    errcode = 'OR403',
    message = 'Журнал аудита нельзя изменять или удалять',
    detail = 'auth.forbidden';
end
$$;
comment on function app.audit_log_is_append_only() is 'Trigger: refuse UPDATE, DELETE and TRUNCATE of the audit log';

revoke execute on function app.audit_write(text, text, bigint, jsonb, jsonb, bigint, text),
  app.audit_row(), app.audit_log_is_append_only() from public;

create trigger audit_log_no_update_delete before update or delete on app.audit_log
  for each row execute function app.audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on app.audit_log
  for each statement execute function app.audit_log_is_append_only();

create trigger regions_audit after insert or update or delete on app.regions
  for each row execute function app.audit_row();
create trigger municipalities_audit after insert or update or delete on app.municipalities
  for each row execute function app.audit_row();
create trigger schools_audit after insert or update or delete on app.schools
  for each row execute function app.audit_row();
create trigger users_audit after insert or update or delete on app.users
  for each row execute function app.audit_row();

reset role;
