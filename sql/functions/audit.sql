-- Audit: audit_write and the row and statement triggers that write
-- app.audit_log, and the guard that keeps the log append-only.
-- Function file (see shared.sql for how function files are applied).

set local role orientir_owner;

-- Writes one audit row. Internal: executable only by orientir_owner, i.e. from
-- definer functions and definer triggers. The actor defaults to the claims;
-- sign-in events pass the user explicitly and have role 'anon'.
create or replace function app.audit_write(
  p_action    text,
  p_entity    text,
  p_entity_id bigint,
  p_before    jsonb,
  p_after     jsonb,
  p_user_id   bigint default app.claim_user_id(),
  p_role      text default coalesce(app.claim_role(), 'system')
) returns void
language sql set search_path = app, pg_temp as $$
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
-- An update that changes only the epoch (sign-out) is audited by the function
-- that made it, not as a row update.
create or replace function app.audit_row() returns trigger
language plpgsql security definer set search_path = app, pg_temp as $$
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
comment on function app.audit_row() is 'Trigger: audit one inserted, updated or deleted row';

create or replace function app.audit_log_is_append_only() returns trigger
language plpgsql set search_path = app, pg_temp as $$
begin
  raise exception using
    errcode = 'OR403',
    message = 'Журнал аудита нельзя изменять или удалять',
    detail = 'auth.forbidden';
end
$$;
comment on function app.audit_log_is_append_only() is 'Trigger: refuse UPDATE, DELETE and TRUNCATE of the audit log';

-- Audit: the rows people write. Derived rows are covered by their source's
-- audit row: directions, indicators and options by the instrument (its
-- document), campaign_instruments and campaign_schools by the campaign (its
-- instruments and target), submission_directions and deficits by the
-- submission update that computed them; submission_events are themselves a
-- history.

-- Statement-level twin of app.audit_row for tables with an id
-- column: audit rows insert/update/delete with the rows before and after
-- (an update that changes nothing writes nothing), actor from the claims.
create or replace function app.audit_statement() returns trigger
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v_user    bigint := app.claim_user_id();
  v_role    text := coalesce(app.claim_role(), 'system');
  v_request text := nullif(current_setting('request.id', true), '');
begin
  if tg_op = 'INSERT' then
    insert into app.audit_log (user_id, role, request_id, action, entity, entity_id, before, after)
    select v_user, v_role, v_request, 'insert', tg_table_name, n.id, null, to_jsonb(n) - 'password_hash'
    from new_rows n;
  elsif tg_op = 'UPDATE' then
    insert into app.audit_log (user_id, role, request_id, action, entity, entity_id, before, after)
    select v_user, v_role, v_request, 'update', tg_table_name, n.id,
           to_jsonb(o) - 'password_hash', to_jsonb(n) - 'password_hash'
    from old_rows o join new_rows n on n.id = o.id
    where to_jsonb(o) <> to_jsonb(n);
  else
    insert into app.audit_log (user_id, role, request_id, action, entity, entity_id, before, after)
    select v_user, v_role, v_request, 'delete', tg_table_name, o.id, to_jsonb(o) - 'password_hash', null
    from old_rows o;
  end if;
  return null;
end
$$;
comment on function app.audit_statement() is
  'Trigger (per statement, transition tables old_rows/new_rows): audit the rows a statement inserted, updated or deleted';

-- Statement-level audit for tables keyed by another column than id (the
-- link tables and analyses): entity_id is the column named by the trigger's
-- argument (the measure, program, practice or partnership).
create or replace function app.audit_statement_keyed() returns trigger
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v_user    bigint := app.claim_user_id();
  v_role    text := coalesce(app.claim_role(), 'system');
  v_request text := nullif(current_setting('request.id', true), '');
  v_key     text := tg_argv[0];
begin
  if tg_op = 'INSERT' then
    insert into app.audit_log (user_id, role, request_id, action, entity, entity_id, before, after)
    select v_user, v_role, v_request, 'insert', tg_table_name, (to_jsonb(n) ->> v_key)::bigint, null, to_jsonb(n)
    from new_rows n;
  elsif tg_op = 'UPDATE' then
    -- Keyed tables are updated only by the analyses upsert (one row per key
    -- pair): pair old and new rows by their whole primary key.
    insert into app.audit_log (user_id, role, request_id, action, entity, entity_id, before, after)
    select v_user, v_role, v_request, 'update', tg_table_name, (to_jsonb(n) ->> v_key)::bigint, to_jsonb(o), to_jsonb(n)
    from old_rows o join new_rows n on n.program_id = o.program_id and n.direction_id = o.direction_id
    where to_jsonb(o) <> to_jsonb(n);
  else
    insert into app.audit_log (user_id, role, request_id, action, entity, entity_id, before, after)
    select v_user, v_role, v_request, 'delete', tg_table_name, (to_jsonb(o) ->> v_key)::bigint, to_jsonb(o), null
    from old_rows o;
  end if;
  return null;
end
$$;
comment on function app.audit_statement_keyed() is
  'Trigger (per statement): audit rows of a table without an id column; entity_id = the column named by the argument';

-- The UPDATE branch of app.audit_statement for bulk updates: it pairs
-- old and new rows by a join of the two transition tables, which have no
-- statistics, so the planner picks a nested loop — quadratic for the demo's
-- thousands of measures. Here the pairing is forced to a hash join.
create or replace function app.audit_statement_update() returns trigger
language plpgsql
security definer
set search_path = app, pg_temp
set enable_nestloop = off
as $$
begin
  insert into app.audit_log (user_id, role, request_id, action, entity, entity_id, before, after)
  select app.claim_user_id(), coalesce(app.claim_role(), 'system'), nullif(current_setting('request.id', true), ''),
         'update', tg_table_name, n.id, to_jsonb(o), to_jsonb(n)
  from old_rows o join new_rows n on n.id = o.id
  where to_jsonb(o) <> to_jsonb(n);
  return null;
end
$$;
comment on function app.audit_statement_update() is
  'Trigger (per statement, UPDATE): audit the updated rows with before and after, pairing them by a hash join';

reset role;
