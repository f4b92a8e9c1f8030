-- Development programs («Программа развития»): measures against deficits,
-- analyses, submission, approval, return, revisions, progress and comments.
-- Function file (see shared.sql for how function files are applied).

set local role orientir_owner;

-- The state machine of a program, whoever writes the row:
--   draft → submitted, returned → submitted (submit), submitted → approved,
--   submitted → returned (municipality), approved → superseded (its next
--   revision approved). Its school, campaign, submission, revision and
--   lineage never change; its own fields (title, period) only while draft or
--   returned; a superseded program is frozen. A same-status write that only
--   moves the version (a child changed) is allowed in any other state.
create or replace function app.program_guard() returns trigger
language plpgsql set search_path = app, pg_temp as $$
begin
  if (new.region_id, new.municipality_id, new.school_id, new.campaign_id, new.submission_id, new.revision,
      new.previous_id, new.created_by, new.created_at)
     is distinct from (old.region_id, old.municipality_id, old.school_id, old.campaign_id, old.submission_id,
                       old.revision, old.previous_id, old.created_by, old.created_at) then
    perform app.raise_conflict_state('Школу, кампанию и редакцию программы изменить нельзя');
  end if;
  if old.status = 'superseded' and to_jsonb(new) is distinct from to_jsonb(old) then
    perform app.raise_conflict_state('Программа заменена новой редакцией и не может быть изменена');
  end if;
  if not ((old.status, new.status) in (('draft', 'submitted'), ('returned', 'submitted'),
                                        ('submitted', 'approved'), ('submitted', 'returned'),
                                        ('approved', 'superseded'), ('draft', 'draft'), ('returned', 'returned'),
                                        ('submitted', 'submitted'), ('approved', 'approved'),
                                        ('superseded', 'superseded'))) then
    perform app.raise_conflict_state(format('Недопустимый переход программы: %s → %s', old.status, new.status));
  end if;
  if old.status not in ('draft', 'returned')
     and (new.title, new.period_start, new.period_end) is distinct from (old.title, old.period_start, old.period_end) then
    perform app.raise_conflict_state('Программу можно изменять только в черновике или после возврата на доработку');
  end if;
  return new;
end
$$;
comment on function app.program_guard() is
  'Trigger: programs move only draft/returned → submitted → approved|returned, approved → superseded; content only while draft/returned';

-- Measures, per statement (transition tables; bulk writes cost one check):
-- inserted, deleted or edited only while their program is draft or returned;
-- progress (status, progress_note, progress_at, progress_by) changes only
-- while it is approved; a measure never moves to another program or changes
-- its source; its due date lies within the program period (OR422, field
-- due_date — the functions say it first, with the dates).
create or replace function app.program_measures_guard() returns trigger
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v_period record;
begin
  -- Changed rows are found with EXCEPT, not by joining the two transition
  -- tables: they have no statistics, and a nested loop over thousands of
  -- rows (the demo's bulk progress update) would be quadratic.
  if tg_op = 'UPDATE' then
    if exists (select n.id, n.program_id, n.source_measure_id, n.position, n.created_at from new_rows n
               except
               select o.id, o.program_id, o.source_measure_id, o.position, o.created_at from old_rows o) then
      perform app.raise_conflict_state('Мероприятие нельзя перенести в другую программу');
    end if;
    if exists (select 1 from (select n.id, n.program_id, n.title, n.due_date, n.responsible, n.expected_result
                              from new_rows n
                              except
                              select o.id, o.program_id, o.title, o.due_date, o.responsible, o.expected_result
                              from old_rows o) c
               join app.programs p on p.id = c.program_id
               where p.status not in ('draft', 'returned')) then
      perform app.raise_conflict_state('Мероприятия можно изменять только в черновике или после возврата на доработку');
    end if;
    if exists (select 1 from (select n.id, n.program_id, n.status, n.progress_note, n.progress_at, n.progress_by
                              from new_rows n
                              except
                              select o.id, o.program_id, o.status, o.progress_note, o.progress_at, o.progress_by
                              from old_rows o) c
               join app.programs p on p.id = c.program_id
               where p.status <> 'approved') then
      perform app.raise_conflict_state('Ход выполнения отмечается только в утверждённой программе');
    end if;
  elsif tg_op = 'INSERT' then
    if exists (select 1 from new_rows r join app.programs p on p.id = r.program_id
               where p.status not in ('draft', 'returned')) then
      perform app.raise_conflict_state('Мероприятия можно изменять только в черновике или после возврата на доработку');
    end if;
  elsif exists (select 1 from old_rows r join app.programs p on p.id = r.program_id
                where p.status not in ('draft', 'returned')) then
    perform app.raise_conflict_state('Мероприятия можно изменять только в черновике или после возврата на доработку');
  end if;
  if tg_op <> 'DELETE' then
    select r.due_date, p.period_start, p.period_end into v_period
    from new_rows r join app.programs p on p.id = r.program_id
    where r.due_date not between p.period_start and p.period_end
    limit 1;
    if found then
      perform app.raise_if_invalid(jsonb_build_array(app.field_error('due_date', 'invalid',
        format('Срок должен быть в периоде программы: %s — %s', to_char(v_period.period_start, 'DD.MM.YYYY'),
               to_char(v_period.period_end, 'DD.MM.YYYY')))));
    end if;
  end if;
  return null;
end
$$;
comment on function app.program_measures_guard() is
  'Trigger (per statement): measures change only while their program is draft/returned, progress only while approved; due dates within the period';

-- Deficit links, per statement: a measure addresses only deficits of its
-- program's own school and campaign (OR422 field deficit_ids), and links
-- change only while the program is draft or returned. Links removed because
-- their deficit row went away (a reopened submission rescored) or with their
-- measure are not refused here: the measure's own guard covers the latter.
create or replace function app.program_measure_deficits_guard() returns trigger
language plpgsql security definer set search_path = app, pg_temp as $$
begin
  if tg_op = 'INSERT' then
    if exists (select 1 from changed_rows r
               join app.program_measures m on m.id = r.measure_id
               join app.programs p on p.id = m.program_id
               join app.deficits df on df.id = r.deficit_id
               where (df.school_id, df.campaign_id) is distinct from (p.school_id, p.campaign_id)) then
      perform app.raise_if_invalid(jsonb_build_array(app.field_error('deficit_ids', 'not_found',
        'Мероприятие может быть направлено только на дефициты своей школы в этой самодиагностике')));
    end if;
  end if;
  if exists (select 1 from changed_rows r
             join app.program_measures m on m.id = r.measure_id
             join app.programs p on p.id = m.program_id
             where p.status not in ('draft', 'returned')
               and exists (select 1 from app.deficits df where df.id = r.deficit_id)) then
    perform app.raise_conflict_state('Мероприятия можно изменять только в черновике или после возврата на доработку');
  end if;
  return null;
end
$$;
comment on function app.program_measure_deficits_guard() is
  'Trigger (per statement): links only to deficits of the program''s school and campaign, only while draft/returned';

-- Overdue: the due date is before today (Europe/Moscow) and the measure is
-- still planned or in progress. Computed on every read, never stored.
create or replace function app.measure_overdue(p_due_date date, p_status text) returns boolean
language sql stable set search_path = app, pg_temp as $$ select coalesce(p_due_date < app.moscow_today() and p_status in ('planned', 'in_progress'), false) $$;
grant execute on function app.measure_overdue(date,text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.measure_overdue(date, text) is
  'True when the due date is before today (Europe/Moscow) and the measure is planned or in progress';

-- A measure as the API shows it: {id, title, deficit_ids, due_date,
-- responsible, expected_result, status, progress_note, progress_at, overdue,
-- version}. The caller passes deficit_ids (ascending): program_get gathers
-- them for all its measures in one query — a query per measure would
-- re-evaluate the links' RLS scope each time.
create or replace function app.program_measure_json(pm app.program_measures, p_deficit_ids jsonb) returns jsonb
language sql stable set search_path = app, pg_temp as $$
  select jsonb_build_object(
           'id', pm.id, 'title', pm.title, 'deficit_ids', coalesce(p_deficit_ids, '[]'::jsonb),
           'due_date', pm.due_date, 'responsible', pm.responsible, 'expected_result', pm.expected_result,
           'status', pm.status, 'progress_note', pm.progress_note, 'progress_at', pm.progress_at,
           'overdue', app.measure_overdue(pm.due_date, pm.status),
           'attachments', app.attachments_json('measure', pm.id)::jsonb, 'version', pm.version)
$$;
grant execute on function app.program_measure_json(app.program_measures,jsonb) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.program_measure_json(app.program_measures, jsonb) is 'One measure of a program as the API shows it';

-- A visible program, NULL when not visible (404). Shape in docs/design.md
-- ("program"): the program's fields, editable/in_force, measures (by
-- due_date, position, id), deficits of its submission with measure_ids,
-- uncovered_deficits (deficit-kind rows still open or in work that no measure
-- of this program addresses: critical first, instrument order), analyses
-- (direction order), comments and history (oldest first) and every revision
-- of the school's program in that campaign.
create or replace function app.program_get(p_id bigint) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  return (
    select json_build_object(
      'id', p.id, 'school_id', p.school_id, 'school_code', sc.code, 'school_name', sc.short_name,
      'municipality_id', sc.municipality_id, 'municipality_name', m.name,
      'campaign_id', p.campaign_id, 'campaign_title', c.title, 'submission_id', p.submission_id,
      'title', p.title, 'period_start', p.period_start, 'period_end', p.period_end,
      'status', p.status, 'revision', p.revision, 'previous_id', p.previous_id, 'version', p.version,
      'editable', coalesce(app.claim_role() = 'school' and p.school_id = app.claim_school_id()
                           and p.status in ('draft', 'returned'), false),
      'in_force', p.status = 'approved',
      'created_at', p.created_at, 'updated_at', p.updated_at,
      'submitted_at', p.submitted_at, 'decided_at', p.decided_at,
      'attachments', app.attachments_json('program', p.id),
      'measures', coalesce((
        select json_agg(app.program_measure_json(pm, l.ids) order by pm.due_date, pm.position, pm.id)
        from app.program_measures pm
        left join lateral (select jsonb_agg(l.deficit_id order by l.deficit_id) as ids
                           from app.program_measure_deficits l where l.measure_id = pm.id) l on true
        where pm.program_id = p.id), '[]'::json),
      'deficits', app.deficits_json(p.submission_id, p.id),
      'uncovered_deficits', coalesce((
        select json_agg(json_build_object('id', df.id, 'indicator_id', df.indicator_id, 'indicator_code', x.code,
                                          'indicator_text', x.text, 'direction_id', x.direction_id,
                                          'critical', df.critical)
                        order by df.critical desc, d.position, x.position)
        from app.deficits df
        join app.indicators x on x.id = df.indicator_id
        join app.directions d on d.id = x.direction_id
        where df.submission_id = p.submission_id and df.kind = 'deficit' and df.status in ('open', 'in_work')
          and not exists (select 1 from app.program_measure_deficits l
                          join app.program_measures pm on pm.id = l.measure_id
                          where l.deficit_id = df.id and pm.program_id = p.id)), '[]'::json),
      'analyses', coalesce((
        select json_agg(json_build_object('direction_id', a.direction_id, 'direction_code', d.code,
                                          'direction_title', d.title, 'text', a.text) order by d.position)
        from app.program_analyses a join app.directions d on d.id = a.direction_id
        where a.program_id = p.id), '[]'::json),
      'comments', coalesce((
        select json_agg(json_build_object(
                 'id', pc.id, 'text', pc.text, 'at', pc.at,
                 'by', json_build_object('id', pc.user_id, 'full_name', pc.actor_name, 'role', pc.actor_role,
                                         'organisation_name', pc.actor_organisation)) order by pc.at, pc.id)
        from app.program_comments pc where pc.program_id = p.id), '[]'::json),
      'history', coalesce((
        select json_agg(json_build_object(
                 'action', e.action, 'status', e.status, 'at', e.at,
                 'by', json_build_object('id', e.user_id, 'full_name', e.actor_name, 'role', e.actor_role,
                                         'organisation_name', e.actor_organisation),
                 'comment', e.comment) order by e.at, e.id)
        from app.program_events e where e.program_id = p.id), '[]'::json),
      'revisions', (
        select json_agg(json_build_object('id', r.id, 'revision', r.revision, 'status', r.status,
                                          'decided_at', r.decided_at) order by r.revision)
        from app.programs r where r.school_id = p.school_id and r.campaign_id = p.campaign_id))
    from app.programs p
    join app.schools sc on sc.id = p.school_id
    join app.municipalities m on m.id = sc.municipality_id
    join app.campaigns c on c.id = p.campaign_id
    where p.id = p_id);
end
$$;
grant execute on function app.program_get(bigint) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.program_get(bigint) is 'Four roles: one visible program with measures, deficits, coverage, comments, history; NULL when not visible';

-- Visible programs, or with p_status not_started the schools that have an
-- accepted submission holding at least one deficit and no program for that
-- campaign. Items {id, school_id, school_code, school_name, municipality_id,
-- municipality_name, campaign_id, campaign_title, title, period_start,
-- period_end, status, revision, version, measure_count, measures_done,
-- measures_overdue, deficit_count, uncovered_count, submitted_at,
-- decided_at, updated_at}; newest campaign first, then municipality name,
-- school short name, revision desc; or by p_sort: school_code, school_name,
-- municipality_name, status (what waits for a decision first), updated_at,
-- each also descending ('-school_name'), ties in the default order. Counts
-- are computed for the page only.
create or replace function app.programs_list(p_status text, p_municipality_id bigint, p_school_id bigint, p_campaign_id bigint,
                                  p_limit integer, p_offset integer, p_sort text default null)
returns json
language plpgsql stable set search_path = app, pg_temp as $$
declare
  v_review_order constant text[] := array['submitted', 'returned', 'draft', 'not_started', 'approved', 'superseded'];
begin
  select * into p_limit, p_offset
  from app.list_page(p_limit, p_offset, p_sort,
                     array['school_code', 'school_name', 'municipality_name', 'status', 'updated_at']);
  if p_status is not null
     and p_status not in ('draft', 'submitted', 'returned', 'approved', 'superseded', 'not_started') then
    perform app.raise_if_invalid(jsonb_build_array(app.field_error('status', 'invalid',
      'Допустимые статусы: draft, submitted, returned, approved, superseded, not_started')));
  end if;
  return (
    with found as (
      select p.id, p.school_id, p.campaign_id, p.submission_id, p.title, p.period_start, p.period_end, p.status,
             p.revision, p.version, p.submitted_at, p.decided_at, p.updated_at
      from app.programs p
      where p_status is distinct from 'not_started'
        and (p_status is null or p.status = p_status)
        and (p_campaign_id is null or p.campaign_id = p_campaign_id)
        and (p_school_id is null or p.school_id = p_school_id)
        and (p_municipality_id is null
             or p.school_id = any (array(select s.id from app.schools s where s.municipality_id = p_municipality_id)))
      union all
      select null, s.school_id, s.campaign_id, s.id, null, null, null, 'not_started', null, null, null, null, null
      from app.submissions s
      where p_status = 'not_started' and s.status = 'accepted'
        and (p_campaign_id is null or s.campaign_id = p_campaign_id)
        and (p_school_id is null or s.school_id = p_school_id)
        and (p_municipality_id is null
             or s.school_id = any (array(select sc.id from app.schools sc where sc.municipality_id = p_municipality_id)))
        and exists (select 1 from app.deficits df where df.submission_id = s.id and df.kind = 'deficit')
        and not exists (select 1 from app.programs p where p.school_id = s.school_id and p.campaign_id = s.campaign_id)
    ),
    named as (
      select f.*, sc.code as school_code, sc.short_name as school_name, sc.municipality_id,
             mu.name as municipality_name, c.title as campaign_title, c.opens_on
      from found f
      join app.schools sc on sc.id = f.school_id
      join app.municipalities mu on mu.id = sc.municipality_id
      join app.campaigns c on c.id = f.campaign_id
    ),
    page as (
      select n.*, row_number() over (order by
               case p_sort when 'school_code' then n.school_code end,
               case p_sort when '-school_code' then n.school_code end desc,
               case p_sort when 'school_name' then n.school_name end,
               case p_sort when '-school_name' then n.school_name end desc,
               case p_sort when 'municipality_name' then n.municipality_name end,
               case p_sort when '-municipality_name' then n.municipality_name end desc,
               case p_sort when 'status' then array_position(v_review_order, n.status) end,
               case p_sort when '-status' then array_position(v_review_order, n.status) end desc,
               case p_sort when 'updated_at' then n.updated_at end,
               case p_sort when '-updated_at' then n.updated_at end desc nulls last,
               n.opens_on desc, n.campaign_id desc, n.municipality_name, n.school_name, n.school_id,
               n.revision desc nulls last, n.id) as pos
      from named n
      order by pos
      limit p_limit offset p_offset
    )
    select app.page_json((
        select json_agg(json_build_object(
                 'id', pg.id, 'school_id', pg.school_id, 'school_code', pg.school_code, 'school_name', pg.school_name,
                 'municipality_id', pg.municipality_id, 'municipality_name', pg.municipality_name,
                 'campaign_id', pg.campaign_id, 'campaign_title', pg.campaign_title,
                 'title', pg.title, 'period_start', pg.period_start, 'period_end', pg.period_end,
                 'status', pg.status, 'revision', pg.revision, 'version', pg.version,
                 'measure_count', mc.measure_count, 'measures_done', mc.measures_done,
                 'measures_overdue', mc.measures_overdue,
                 'deficit_count', (select count(*) from app.deficits df
                                   where df.submission_id = pg.submission_id and df.kind = 'deficit'),
                 'uncovered_count', case when pg.id is not null then (
                   select count(*) from app.deficits df
                   where df.submission_id = pg.submission_id and df.kind = 'deficit'
                     and df.status in ('open', 'in_work')
                     and not exists (select 1 from app.program_measure_deficits l
                                     join app.program_measures pm on pm.id = l.measure_id
                                     where l.deficit_id = df.id and pm.program_id = pg.id)) end,
                 'submitted_at', pg.submitted_at, 'decided_at', pg.decided_at, 'updated_at', pg.updated_at)
               order by pg.pos)
        from page pg
        left join lateral (
          select count(*) as measure_count,
                 count(*) filter (where pm.status = 'done') as measures_done,
                 count(*) filter (where app.measure_overdue(pm.due_date, pm.status)) as measures_overdue
          from app.program_measures pm where pm.program_id = pg.id
        ) mc on pg.id is not null),
      (select count(*) from found), p_limit, p_offset));
end
$$;
grant execute on function app.programs_list(text,bigint,bigint,bigint,integer,integer,text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.programs_list(text, bigint, bigint, bigint, integer, integer, text) is
  'Four roles: visible programs (or, with status not_started, schools with accepted deficits and no program), scoped by RLS';

-- The program, locked FOR UPDATE; no row when it does not exist.
create or replace function app.program_locked(p_id bigint) returns setof app.programs
language sql set search_path = app, pg_temp as $$ select p.* from app.programs p where p.id = p_id for update $$;
comment on function app.program_locked(bigint) is 'Internal: a program row, locked';

-- OR404 unless the caller may see a program of this school and region (the
-- SELECT policies of 0042_program_policies: a school its own, a municipality its schools' —
-- the school's municipality now —, committee and ЛОИРО the region's); OR403
-- auth.forbidden when it may see it but is not p_role (the one role that
-- performs the action), with p_forbidden as the message.
create or replace function app.program_check_scope(p_found boolean, p_school_id bigint, p_region_id bigint, p_role text,
                                        p_forbidden text)
returns void
language plpgsql stable set search_path = app, pg_temp as $$
begin
  if not p_found or not app.submission_in_scope(p_school_id, p_region_id) then
    perform app.raise_not_found('Программа не найдена');
  end if;
  if app.claim_role() is distinct from p_role then
    raise exception using errcode = 'OR403', message = p_forbidden, detail = 'auth.forbidden';
  end if;
end
$$;
comment on function app.program_check_scope(boolean, bigint, bigint, text, text) is
  'Internal: OR404 outside the caller''s scope, OR403 when the caller''s role does not perform this action';

-- The program p_id, locked, for an action that only p_role performs: OR404
-- and OR403 (p_forbidden) as app.program_check_scope.
create or replace function app.program_for(p_id bigint, p_role text, p_forbidden text) returns app.programs
language plpgsql set search_path = app, pg_temp as $$
declare
  v app.programs;
begin
  select * into v from app.program_locked(p_id);
  perform app.program_check_scope(found, v.school_id, v.region_id, p_role, p_forbidden);
  return v;
end
$$;
comment on function app.program_for(bigint, text, text) is
  'Internal: a program, locked, after the scope and role checks of program_check_scope';

-- OR409 conflict.state unless the school may edit a program in this status.
create or replace function app.program_check_editable(p_status text) returns void
language plpgsql immutable set search_path = app, pg_temp as $$
begin
  if p_status not in ('draft', 'returned') then
    perform app.raise_conflict_state(case p_status
      when 'submitted' then 'Программа отправлена на согласование и не может быть изменена'
      when 'approved' then 'Программа утверждена: чтобы изменить её, создайте новую редакцию'
      else 'Программа заменена новой редакцией и не может быть изменена' end);
  end if;
end
$$;
comment on function app.program_check_editable(text) is 'Internal: OR409 conflict.state unless the program is draft or returned';

-- One history row for the claims' user (name, role, organisation as now).
create or replace function app.program_event(p_id bigint, p_action text, p_status text, p_comment text) returns void
language sql set search_path = app, pg_temp as $$
  insert into app.program_events (program_id, action, status, user_id, actor_role, actor_name, actor_organisation,
                                  comment)
  select p_id, p_action, p_status, app.claim_user_id(), coalesce(app.claim_role(), 'system'),
         u ->> 'full_name', u ->> 'organisation_name', p_comment
  from (select app.user_json(app.claim_user_id())::jsonb as u) x
$$;
comment on function app.program_event(bigint, text, text, text) is 'Internal: append a program history row for the claims'' user';

-- A child of the program (measure, link, analysis) changed: its version moves
-- (app.bump_version_explicit honours a version the writer moved itself).
create or replace function app.program_touch(p_id bigint) returns void
language sql set search_path = app, pg_temp as $$ update app.programs p set version = p.version + 1 where p.id = p_id $$;
comment on function app.program_touch(bigint) is 'Internal: move a program''s version after a change to its measures, links or analyses';

-- A measure after a write: program_measure_json plus program_id and the
-- program's version (the next If-Match of the program).
create or replace function app.program_measure_result(p_measure_id bigint) returns json
language sql stable set search_path = app, pg_temp as $$
  select (app.program_measure_json(pm, (select jsonb_agg(l.deficit_id order by l.deficit_id)
                                        from app.program_measure_deficits l where l.measure_id = pm.id))
          || jsonb_build_object('program_id', p.id, 'program_version', p.version))::json
  from app.program_measures pm join app.programs p on p.id = pm.program_id
  where pm.id = p_measure_id
$$;
comment on function app.program_measure_result(bigint) is 'Internal: a measure with program_id and program_version';

-- Errors of the program's own fields in p: title (1..500), period_start,
-- period_end (YYYY-MM-DD; the end not before the start nor more than 5
-- years after it). p_partial: only the members present are checked (PATCH);
-- the period is checked on the merged values p_start/p_end.
create or replace function app.program_field_errors(p jsonb, p_partial boolean, p_start date, p_end date) returns jsonb
language plpgsql stable set search_path = app, pg_temp as $$
declare
  v_errors jsonb := '[]'::jsonb;
begin
  if not p_partial or p ? 'title' then
    v_errors := v_errors || app.text_errors(p ->> 'title', 'title', true, 500);
  end if;
  if not p_partial or p ? 'period_start' then
    v_errors := v_errors || app.doc_date_errors(p, 'period_start', true);
  end if;
  if not p_partial or p ? 'period_end' then
    v_errors := v_errors || app.doc_date_errors(p, 'period_end', true);
  end if;
  -- The order of the dates only when both are real dates (p_start/p_end
  -- are NULL when a given one is not).
  if p_start is not null and p_end is not null and (p_end < p_start or p_end > p_start + interval '5 years') then
    v_errors := v_errors || app.field_error('period_end', 'invalid',
      'Окончание периода — не раньше его начала и не позже чем через 5 лет');
  end if;
  return v_errors;
end
$$;
comment on function app.program_field_errors(jsonb, boolean, date, date) is 'Internal: field errors of a program''s title and period';

-- Errors of a measure body p for a program (school, campaign, period):
-- title (1..1000), deficit_ids (1..50 distinct ids, each a deficit row of the
-- program's school and campaign: else deficit_ids[i] not_found), due_date
-- (within the period: else invalid with the period's dates), responsible
-- (1..300), expected_result (≤ 2000 or null). p_partial: only members present.
create or replace function app.program_measure_errors(p jsonb, p_partial boolean, p_school_id bigint, p_campaign_id bigint,
                                           p_period_start date, p_period_end date)
returns jsonb
language plpgsql stable set search_path = app, pg_temp as $$
declare
  v_errors jsonb := '[]'::jsonb;
  v_ids    bigint[];
begin
  if not p_partial or p ? 'title' then
    v_errors := v_errors || app.text_errors(p ->> 'title', 'title', true, 1000);
  end if;
  if not p_partial or p ? 'deficit_ids' then
    v_ids := app.doc_ids(p -> 'deficit_ids');
    if jsonb_typeof(p -> 'deficit_ids') is null or jsonb_typeof(p -> 'deficit_ids') = 'null'
       or v_ids = '{}' then
      v_errors := v_errors || app.field_error('deficit_ids', 'required', 'Выберите дефициты, на которые направлено мероприятие');
    elsif v_ids is null then
      v_errors := v_errors || app.field_error('deficit_ids', 'invalid', 'Ожидается список идентификаторов дефицитов');
    elsif cardinality(v_ids) > 50 then
      v_errors := v_errors || app.field_error('deficit_ids', 'too_many', 'Не больше 50 дефицитов на одно мероприятие');
    elsif cardinality(v_ids) <> (select count(distinct i) from unnest(v_ids) i) then
      v_errors := v_errors || app.field_error('deficit_ids', 'duplicate', 'Дефицит указан дважды');
    else
      select v_errors || coalesce(jsonb_agg(app.field_error(format('deficit_ids[%s]', i.ord - 1), 'not_found',
                                    'Нет такого дефицита в самодиагностике школы') order by i.ord), '[]'::jsonb)
      into v_errors
      from unnest(v_ids) with ordinality i(id, ord)
      where not exists (select 1 from app.deficits df where df.id = i.id and df.school_id = p_school_id
                                                         and df.campaign_id = p_campaign_id);
    end if;
  end if;
  if not p_partial or p ? 'due_date' then
    if app.doc_date_errors(p, 'due_date', true) <> '[]'::jsonb then
      v_errors := v_errors || app.doc_date_errors(p, 'due_date', true);
    elsif (p ->> 'due_date')::date not between p_period_start and p_period_end then
      v_errors := v_errors || app.field_error('due_date', 'invalid',
        format('Срок должен быть в периоде программы: %s — %s', to_char(p_period_start, 'DD.MM.YYYY'),
               to_char(p_period_end, 'DD.MM.YYYY')));
    end if;
  end if;
  if not p_partial or p ? 'responsible' then
    v_errors := v_errors || app.text_errors(p ->> 'responsible', 'responsible', true, 300);
  end if;
  if not p_partial or p ? 'expected_result' then
    v_errors := v_errors || app.text_errors(p ->> 'expected_result', 'expected_result', false, 2000);
  end if;
  return v_errors;
end
$$;
comment on function app.program_measure_errors(jsonb, boolean, bigint, bigint, date, date) is
  'Internal: field errors of a measure body';

-- School: creates its program for a campaign in which its submission was
-- accepted. p = {campaign_id, title, period_start, period_end}, all required.
-- Type errors alone first; then campaign_id (required; not_found — not a
-- campaign targeting the school; not_accepted — no accepted submission);
-- with a valid campaign an existing program of the school in it is OR409
-- conflict.duplicate; then the other fields. Returns program_get (201).
create or replace function app.program_create(p jsonb) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v_campaign_errors jsonb := '[]'::jsonb;
  v_sub    record;
  v_id     bigint;
begin
  p := coalesce(p, '{}'::jsonb);
  if app.claim_role() is distinct from 'school' then
    raise exception using errcode = 'OR403', message = 'Программу развития составляет школа', detail = 'auth.forbidden';
  end if;
  perform app.raise_if_invalid(app.body_unknown_errors(p, array['campaign_id', 'title', 'period_start', 'period_end'])
                               || app.type_errors(p, array['campaign_id'], 'integer')
                               || app.type_errors(p, array['title'], 'string'));

  if jsonb_typeof(p -> 'campaign_id') is null or jsonb_typeof(p -> 'campaign_id') = 'null' then
    v_campaign_errors := jsonb_build_array(app.field_error('campaign_id', 'required', 'Выберите кампанию самодиагностики'));
  elsif not exists (select 1 from app.campaign_schools cs
                    where cs.campaign_id = (p ->> 'campaign_id')::bigint and cs.school_id = app.claim_school_id()) then
    v_campaign_errors := jsonb_build_array(app.field_error('campaign_id', 'not_found', 'Кампания не найдена'));
  else
    select s.id, s.campaign_id, c.region_id into v_sub
    from app.submissions s join app.campaigns c on c.id = s.campaign_id
    where s.campaign_id = (p ->> 'campaign_id')::bigint and s.school_id = app.claim_school_id()
      and s.status = 'accepted';
    if not found then
      v_campaign_errors := jsonb_build_array(app.field_error('campaign_id', 'not_accepted',
        'Программа составляется по принятым результатам самодиагностики'));
    elsif exists (select 1 from app.programs pr where pr.school_id = app.claim_school_id()
                                                  and pr.campaign_id = v_sub.campaign_id) then
      raise exception using errcode = 'OR409', message = 'Программа по этой самодиагностике уже составлена',
        detail = 'conflict.duplicate';
    end if;
  end if;
  perform app.raise_if_invalid(v_campaign_errors
    || app.program_field_errors(p, false, app.parse_date(p ->> 'period_start'), app.parse_date(p ->> 'period_end')));

  insert into app.programs (region_id, municipality_id, school_id, campaign_id, submission_id, title,
                            period_start, period_end, created_by)
  select v_sub.region_id, s.municipality_id, s.id, v_sub.campaign_id, v_sub.id, btrim(p ->> 'title'),
         (p ->> 'period_start')::date, (p ->> 'period_end')::date, app.claim_user_id()
  from app.schools s where s.id = app.claim_school_id()
  returning id into v_id;
  perform app.program_event(v_id, 'create', 'draft', null);
  return app.program_get(v_id);
end
$$;
grant execute on function app.program_create(jsonb) to orientir_school;
comment on function app.program_create(jsonb) is
  'School: create its program (draft) for a campaign in which its submission was accepted; audited';

-- School: changes the title or period of its draft or returned program.
-- p: any of {title, period_start, period_end}. Measures left outside a new
-- period → period_start / period_end invalid, naming how many.
create or replace function app.program_update(p_id bigint, p_version integer, p jsonb) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v       app.programs;
  v_start date;
  v_end   date;
  v_errors jsonb;
  v_before integer;
  v_after  integer;
begin
  p := coalesce(p, '{}'::jsonb);
  v := app.program_for(p_id, 'school', 'Изменять программу может только школа');
  perform app.program_check_editable(v.status);
  perform app.check_version(p_version, v.version);

  perform app.raise_if_invalid(app.body_unknown_errors(p, array['title', 'period_start', 'period_end'])
                               || app.type_errors(p, array['title'], 'string'));
  v_start := case when p ? 'period_start' then app.parse_date(p ->> 'period_start') else v.period_start end;
  v_end := case when p ? 'period_end' then app.parse_date(p ->> 'period_end') else v.period_end end;
  v_errors := app.program_field_errors(p, true, v_start, v_end);
  if v_errors = '[]'::jsonb then
    select count(*) filter (where pm.due_date < v_start), count(*) filter (where pm.due_date > v_end)
    into v_before, v_after
    from app.program_measures pm where pm.program_id = p_id;
    if v_before > 0 then
      v_errors := v_errors || app.field_error('period_start', 'invalid',
        format('Сроки мероприятий (%s) раньше начала периода: сначала измените их', v_before));
    end if;
    if v_after > 0 then
      v_errors := v_errors || app.field_error('period_end', 'invalid',
        format('Сроки мероприятий (%s) позже окончания периода: сначала измените их', v_after));
    end if;
  end if;
  perform app.raise_if_invalid(v_errors);

  update app.programs pr
  set title = case when p ? 'title' then btrim(p ->> 'title') else pr.title end,
      period_start = v_start, period_end = v_end
  where pr.id = p_id;
  return app.program_get(p_id);
end
$$;
grant execute on function app.program_update(bigint,integer,jsonb) to orientir_school;
comment on function app.program_update(bigint, integer, jsonb) is
  'School: change the title and period of its draft or returned program; audited';

-- School: sets (or, with a blank or NULL text, removes) the problem analysis
-- of one direction of its draft or returned program. A direction not in the
-- program's instrument → OR404. Text ≤ 10000 characters.
create or replace function app.program_analysis_set(p_id bigint, p_direction_id bigint, p_text text) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v       app.programs;
  v_text  text := nullif(btrim(p_text), '');
  v_count integer;
begin
  v := app.program_for(p_id, 'school', 'Изменять программу может только школа');
  if not exists (select 1 from app.directions d join app.submissions s on s.instrument_id = d.instrument_id
                 where d.id = p_direction_id and s.id = v.submission_id) then
    perform app.raise_not_found('Направление не найдено');
  end if;
  perform app.program_check_editable(v.status);
  perform app.raise_if_invalid(app.text_errors(v_text, 'text', false, 10000));

  if v_text is null then
    delete from app.program_analyses a where a.program_id = p_id and a.direction_id = p_direction_id;
  else
    insert into app.program_analyses as a (program_id, direction_id, text) values (p_id, p_direction_id, v_text)
    on conflict (program_id, direction_id) do update set text = excluded.text, updated_at = now()
      where a.text is distinct from excluded.text;
  end if;
  get diagnostics v_count = row_count;
  if v_count > 0 then
    perform app.program_touch(p_id);
  end if;
  return app.program_get(p_id);
end
$$;
grant execute on function app.program_analysis_set(bigint,bigint,text) to orientir_school;
comment on function app.program_analysis_set(bigint, bigint, text) is
  'School: set or remove the problem analysis of a direction of its editable program; audited';

-- School: adds a measure to its draft or returned program. p = {title,
-- deficit_ids, due_date, responsible, expected_result?}. Returns the measure
-- with program_id and program_version (201).
create or replace function app.program_measure_create(p_id bigint, p jsonb) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v    app.programs;
  v_id bigint;
begin
  p := coalesce(p, '{}'::jsonb);
  v := app.program_for(p_id, 'school', 'Изменять программу может только школа');
  perform app.program_check_editable(v.status);
  perform app.raise_if_invalid(
    app.body_unknown_errors(p, array['title', 'deficit_ids', 'due_date', 'responsible', 'expected_result'])
    || app.type_errors(p, array['title', 'responsible', 'expected_result'], 'string')
    || app.type_errors(p, array['deficit_ids'], 'array'));
  perform app.raise_if_invalid(app.program_measure_errors(p, false, v.school_id, v.campaign_id,
                                                          v.period_start, v.period_end));

  insert into app.program_measures (program_id, title, due_date, responsible, expected_result, position)
  values (p_id, btrim(p ->> 'title'), (p ->> 'due_date')::date, btrim(p ->> 'responsible'),
          nullif(btrim(p ->> 'expected_result'), ''),
          (select coalesce(max(pm.position), 0) + 1 from app.program_measures pm where pm.program_id = p_id))
  returning id into v_id;
  insert into app.program_measure_deficits (measure_id, deficit_id)
  select v_id, i from unnest(app.doc_ids(p -> 'deficit_ids')) i;
  perform app.program_touch(p_id);
  return app.program_measure_result(v_id);
end
$$;
grant execute on function app.program_measure_create(bigint,jsonb) to orientir_school;
comment on function app.program_measure_create(bigint, jsonb) is
  'School: add a measure (with the deficits it addresses) to its editable program; audited';

-- School: changes a measure of its draft or returned program: any of the
-- create fields; deficit_ids replaces the links. p_version is the measure's.
-- The measure's and the program's versions move only on a real change.
create or replace function app.program_measure_update(p_id bigint, p_measure_id bigint, p_version integer, p jsonb)
returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v        app.programs;
  v_m      app.program_measures;
  v_ids    bigint[];
  v_links  integer := 0;
  v_count  integer;
begin
  p := coalesce(p, '{}'::jsonb);
  select * into v from app.program_locked(p_id);
  select * into v_m from app.program_measures pm where pm.id = p_measure_id and pm.program_id = p_id for update;
  perform app.program_check_scope(v.id is not null and v_m.id is not null, v.school_id, v.region_id, 'school',
                                  'Изменять программу может только школа');
  perform app.program_check_editable(v.status);
  perform app.check_version(p_version, v_m.version);
  perform app.raise_if_invalid(
    app.body_unknown_errors(p, array['title', 'deficit_ids', 'due_date', 'responsible', 'expected_result'])
    || app.type_errors(p, array['title', 'responsible', 'expected_result'], 'string')
    || app.type_errors(p, array['deficit_ids'], 'array'));
  perform app.raise_if_invalid(app.program_measure_errors(p, true, v.school_id, v.campaign_id,
                                                          v.period_start, v.period_end));

  if p ? 'deficit_ids' then
    v_ids := app.doc_ids(p -> 'deficit_ids');
    delete from app.program_measure_deficits l where l.measure_id = p_measure_id and l.deficit_id <> all (v_ids);
    get diagnostics v_count = row_count;
    v_links := v_count;
    insert into app.program_measure_deficits (measure_id, deficit_id)
    select p_measure_id, i from unnest(v_ids) i
    on conflict do nothing;
    get diagnostics v_count = row_count;
    v_links := v_links + v_count;
  end if;
  update app.program_measures pm
  set title = case when p ? 'title' then btrim(p ->> 'title') else pm.title end,
      due_date = case when p ? 'due_date' then (p ->> 'due_date')::date else pm.due_date end,
      responsible = case when p ? 'responsible' then btrim(p ->> 'responsible') else pm.responsible end,
      expected_result = case when p ? 'expected_result' then nullif(btrim(p ->> 'expected_result'), '')
                             else pm.expected_result end,
      version = case when v_links > 0 then pm.version + 1 else pm.version end
  where pm.id = p_measure_id;
  if v_links > 0 or (select pm.version from app.program_measures pm where pm.id = p_measure_id) <> v_m.version then
    perform app.program_touch(p_id);
  end if;
  return app.program_measure_result(p_measure_id);
end
$$;
grant execute on function app.program_measure_update(bigint,bigint,integer,jsonb) to orientir_school;
comment on function app.program_measure_update(bigint, bigint, integer, jsonb) is
  'School: change a measure of its editable program (deficit_ids replaces the links); audited';

-- School: removes a measure (and its links) from its draft or returned program.
create or replace function app.program_measure_delete(p_id bigint, p_measure_id bigint) returns void
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v app.programs;
begin
  select * into v from app.program_locked(p_id);
  perform app.program_check_scope(v.id is not null
                                  and exists (select 1 from app.program_measures pm
                                              where pm.id = p_measure_id and pm.program_id = p_id),
                                  v.school_id, v.region_id, 'school', 'Изменять программу может только школа');
  perform app.program_check_editable(v.status);
  delete from app.program_measures pm where pm.id = p_measure_id;
  perform app.program_touch(p_id);
end
$$;
grant execute on function app.program_measure_delete(bigint,bigint) to orientir_school;
comment on function app.program_measure_delete(bigint, bigint) is
  'School: delete a measure of its editable program; audited';

-- School: submits its draft or returned program to the municipality. Every
-- open or in-work deficit (kind deficit) must be addressed: else OR422 DETAIL
-- program.deficits_uncovered, one HINT entry per uncovered deficit (field
-- deficits.<id>, code required), critical first, instrument order — checked
-- first, so an empty program lists what it must cover. Then it needs at least
-- one measure (422 field measures required: a school with growth areas only).
create or replace function app.program_submit(p_id bigint, p_version integer) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v         app.programs;
  v_missing jsonb;
begin
  v := app.program_for(p_id, 'school', 'Отправить программу может только школа');
  perform app.program_check_editable(v.status);
  perform app.check_version(p_version, v.version);
  select jsonb_agg(app.field_error('deficits.' || df.id, 'required',
                                   format('Нет мероприятия для дефицита %s: %s', x.code,
                                          case when char_length(x.text) > 120 then left(x.text, 119) || '…'
                                               else x.text end))
                   order by df.critical desc, d.position, x.position)
  into v_missing
  from app.deficits df
  join app.indicators x on x.id = df.indicator_id
  join app.directions d on d.id = x.direction_id
  where df.submission_id = v.submission_id and df.kind = 'deficit' and df.status in ('open', 'in_work')
    and not exists (select 1 from app.program_measure_deficits l join app.program_measures pm on pm.id = l.measure_id
                    where l.deficit_id = df.id and pm.program_id = p_id);
  if v_missing is not null then
    raise exception using errcode = 'OR422',
      message = format('Не все дефициты закрыты мероприятиями: %s', jsonb_array_length(v_missing)),
      detail = 'program.deficits_uncovered', hint = v_missing::text;
  end if;
  -- With every deficit addressed (or none to address), growth areas alone still need a measure.
  if not exists (select 1 from app.program_measures pm where pm.program_id = p_id) then
    perform app.raise_if_invalid(jsonb_build_array(app.field_error('measures', 'required',
      'Добавьте в программу хотя бы одно мероприятие')));
  end if;

  update app.programs pr set status = 'submitted', submitted_at = now(), decided_at = null where pr.id = p_id;
  perform app.program_event(p_id, 'submit', 'submitted', null);
  return app.program_get(p_id);
end
$$;
grant execute on function app.program_submit(bigint,integer) to orientir_school;
comment on function app.program_submit(bigint, integer) is
  'School: submit its program to the municipality once every open deficit is addressed; audited';

-- School: starts a new revision of its approved program (the approved one
-- stays in force until the new one is approved). Only when no revision of
-- that school and campaign is draft, submitted or returned. The new draft
-- (revision + 1, previous_id) copies the title, period, analyses, measures
-- (with their progress; source_measure_id) and their deficit links.
-- Returns the new program (201).
create or replace function app.program_revise(p_id bigint, p_version integer) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v    app.programs;
  v_id bigint;
begin
  v := app.program_for(p_id, 'school', 'Новую редакцию создаёт школа');
  if v.status <> 'approved' then
    perform app.raise_conflict_state('Новую редакцию можно создать только из утверждённой программы');
  end if;
  if exists (select 1 from app.programs pr where pr.school_id = v.school_id and pr.campaign_id = v.campaign_id
                                             and pr.status in ('draft', 'submitted', 'returned')) then
    perform app.raise_conflict_state('Новая редакция программы уже создана');
  end if;
  perform app.check_version(p_version, v.version);

  insert into app.programs (region_id, municipality_id, school_id, campaign_id, submission_id, title, period_start,
                            period_end, revision, previous_id, created_by)
  values (v.region_id, v.municipality_id, v.school_id, v.campaign_id, v.submission_id, v.title, v.period_start,
          v.period_end, (select max(pr.revision) + 1 from app.programs pr
                         where pr.school_id = v.school_id and pr.campaign_id = v.campaign_id),
          p_id, app.claim_user_id())
  returning id into v_id;
  insert into app.program_analyses (program_id, direction_id, text)
  select v_id, a.direction_id, a.text from app.program_analyses a where a.program_id = p_id;
  with copied as (
    insert into app.program_measures (program_id, title, due_date, responsible, expected_result, status,
                                      progress_note, progress_at, progress_by, position, source_measure_id)
    select v_id, pm.title, pm.due_date, pm.responsible, pm.expected_result, pm.status, pm.progress_note,
           pm.progress_at, pm.progress_by, pm.position, pm.id
    from app.program_measures pm where pm.program_id = p_id
    returning id, source_measure_id
  )
  insert into app.program_measure_deficits (measure_id, deficit_id)
  select c.id, l.deficit_id from copied c join app.program_measure_deficits l on l.measure_id = c.source_measure_id;
  perform app.program_event(v_id, 'revise', 'draft', null);
  return app.program_get(v_id);
end
$$;
grant execute on function app.program_revise(bigint,integer) to orientir_school;
comment on function app.program_revise(bigint, integer) is
  'School: start a new revision (draft) of its approved program, copying its content; audited';

-- School: reports the progress of a measure of its approved program.
-- p = {status: planned|in_progress|done|not_done, note?} — the note (≤ 2000)
-- is required for done (what was achieved) and not_done (the reason).
-- p_version is the measure's. Returns the measure with program_version.
create or replace function app.program_measure_progress(p_id bigint, p_measure_id bigint, p_version integer, p jsonb)
returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v      app.programs;
  v_m    app.program_measures;
  v_note text;
begin
  p := coalesce(p, '{}'::jsonb);
  select * into v from app.program_locked(p_id);
  select * into v_m from app.program_measures pm where pm.id = p_measure_id and pm.program_id = p_id for update;
  perform app.program_check_scope(v.id is not null and v_m.id is not null, v.school_id, v.region_id, 'school',
                                  'Отмечать выполнение мероприятий может только школа');
  if v.status <> 'approved' then
    perform app.raise_conflict_state('Ход выполнения отмечается только в утверждённой программе');
  end if;
  perform app.check_version(p_version, v_m.version);
  perform app.raise_if_invalid(app.body_unknown_errors(p, array['status', 'note'])
                               || app.type_errors(p, array['status', 'note'], 'string'));
  v_note := nullif(btrim(p ->> 'note'), '');
  perform app.raise_if_invalid(
    case when p ->> 'status' is null
           then jsonb_build_array(app.field_error('status', 'required', 'Укажите ход выполнения'))
         when p ->> 'status' not in ('planned', 'in_progress', 'done', 'not_done')
           then jsonb_build_array(app.field_error('status', 'invalid', 'Допустимо: planned, in_progress, done, not_done'))
         else '[]'::jsonb end
    || case when p ->> 'status' in ('done', 'not_done') and v_note is null
              then jsonb_build_array(app.field_error('note', 'required',
                     case p ->> 'status' when 'done' then 'Опишите, что сделано'
                                        else 'Укажите причину невыполнения' end))
            else app.text_errors(v_note, 'note', false, 2000) end);

  update app.program_measures pm
  set status = p ->> 'status', progress_note = v_note, progress_at = now(), progress_by = app.claim_user_id()
  where pm.id = p_measure_id
    and (pm.status, pm.progress_note) is distinct from (p ->> 'status', v_note);
  if found then
    perform app.program_touch(p_id);
  end if;
  return app.program_measure_result(p_measure_id);
end
$$;
grant execute on function app.program_measure_progress(bigint,bigint,integer,jsonb) to orientir_school;
comment on function app.program_measure_progress(bigint, bigint, integer, jsonb) is
  'School: report the progress of a measure of its approved program; audited';

-- Municipality: approves a submitted program of its school. The previous
-- approved revision becomes superseded (event supersede); the open deficits
-- its measures address go in work; measures copied from the superseded
-- revision take its progress when that changed after this revision was made.
create or replace function app.program_approve(p_id bigint, p_version integer) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v      app.programs;
  v_prev bigint;
begin
  v := app.program_for(p_id, 'municipality', 'Утвердить программу может только муниципалитет школы');
  if v.status <> 'submitted' then
    perform app.raise_conflict_state('Утвердить можно только отправленную на согласование программу');
  end if;
  perform app.check_version(p_version, v.version);

  -- The one in force steps down first: at most one approved per school and campaign.
  update app.programs pr set status = 'superseded'
  where pr.school_id = v.school_id and pr.campaign_id = v.campaign_id and pr.status = 'approved'
  returning pr.id into v_prev;
  if v_prev is not null then
    perform app.program_event(v_prev, 'supersede', 'superseded', null);
  end if;
  update app.programs pr set status = 'approved', decided_at = now() where pr.id = p_id;
  perform app.program_event(p_id, 'approve', 'approved', null);

  update app.program_measures pm
  set status = s.status, progress_note = s.progress_note, progress_at = s.progress_at, progress_by = s.progress_by
  from app.program_measures s
  where pm.program_id = p_id and s.id = pm.source_measure_id and s.progress_at >= v.created_at
    and (pm.status, pm.progress_note, pm.progress_at) is distinct from (s.status, s.progress_note, s.progress_at);
  update app.deficits df set status = 'in_work', status_at = now()
  where df.status = 'open'
    and df.id in (select l.deficit_id from app.program_measure_deficits l
                  join app.program_measures pm on pm.id = l.measure_id where pm.program_id = p_id);
  return app.program_get(p_id);
end
$$;
grant execute on function app.program_approve(bigint,integer) to orientir_municipality;
comment on function app.program_approve(bigint, integer) is
  'Municipality: approve a submitted program of its school (supersedes the previous one, deficits in work); audited';

-- Municipality: returns a submitted program of its school for revision
-- with a comment (required, ≤ 2000), kept in the history.
create or replace function app.program_return(p_id bigint, p_version integer, p_comment text) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v app.programs;
begin
  v := app.program_for(p_id, 'municipality', 'Вернуть программу может только муниципалитет школы');
  if v.status <> 'submitted' then
    perform app.raise_conflict_state('Вернуть на доработку можно только отправленную на согласование программу');
  end if;
  perform app.check_version(p_version, v.version);
  perform app.raise_if_invalid(app.text_errors(p_comment, 'comment', true, 2000));

  update app.programs pr set status = 'returned', decided_at = now() where pr.id = p_id;
  perform app.program_event(p_id, 'return', 'returned', btrim(p_comment));
  return app.program_get(p_id);
end
$$;
grant execute on function app.program_return(bigint,integer,text) to orientir_municipality;
comment on function app.program_return(bigint, integer, text) is
  'Municipality: return a submitted program of its school with a required comment; audited';

-- Committee, ЛОИРО, municipality: comments on a program of their scope in
-- any status (1..4000 characters); neither the status nor the version moves.
-- Returns {id, program_id, text, at, by} (201).
create or replace function app.program_comment_add(p_id bigint, p_text text) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v    app.programs;
  v_id bigint;
begin
  select * into v from app.programs pr where pr.id = p_id;
  perform app.program_check_scope(found, v.school_id, v.region_id, coalesce(
    case when app.claim_role() in ('committee', 'loiro', 'municipality') then app.claim_role() end, 'none'),
    'Комментировать программу могут комитет, ЛОИРО и муниципалитет');
  perform app.raise_if_invalid(app.text_errors(p_text, 'text', true, 4000));

  insert into app.program_comments (program_id, text, user_id, actor_role, actor_name, actor_organisation)
  select p_id, btrim(p_text), app.claim_user_id(), app.claim_role(), u ->> 'full_name', u ->> 'organisation_name'
  from (select app.user_json(app.claim_user_id())::jsonb as u) x
  returning id into v_id;
  return (select json_build_object('id', pc.id, 'program_id', pc.program_id, 'text', pc.text, 'at', pc.at,
                                   'by', json_build_object('id', pc.user_id, 'full_name', pc.actor_name,
                                                           'role', pc.actor_role,
                                                           'organisation_name', pc.actor_organisation))
          from app.program_comments pc where pc.id = v_id);
end
$$;
grant execute on function app.program_comment_add(bigint,text) to orientir_committee, orientir_loiro, orientir_municipality;
comment on function app.program_comment_add(bigint, text) is
  'Committee, ЛОИРО, municipality: comment on a program of their scope; audited';

reset role;
