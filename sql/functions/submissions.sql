-- Self-diagnostic submissions: opening, answering, the state changes (submit,
-- accept, return, reopen), scoring, results, and their guards.
-- Function file (see shared.sql for how function files are applied).

set local role orientir_owner;

-- The state machine of a submission, whoever writes the row:
--   draft → submitted, returned → submitted (submit), submitted → accepted,
--   submitted → returned (municipality), accepted → returned (reopen);
--   a row may be rewritten in place only while draft, returned (answers
--   bump its version) or submitted (scoring); an accepted one is frozen.
-- The school, campaign and instrument of a submission never change.
create or replace function app.submission_guard() returns trigger
language plpgsql set search_path = app, pg_temp as $$
begin
  if (new.campaign_id, new.school_id, new.instrument_id)
     is distinct from (old.campaign_id, old.school_id, old.instrument_id) then
    perform app.raise_conflict_state('Школу, кампанию и инструмент анкеты изменить нельзя');
  end if;
  if not ((old.status, new.status) in (('draft', 'submitted'), ('returned', 'submitted'),
                                        ('submitted', 'accepted'), ('submitted', 'returned'),
                                        ('accepted', 'returned'), ('draft', 'draft'),
                                        ('returned', 'returned'), ('submitted', 'submitted'))) then
    perform app.raise_conflict_state(case old.status
      when 'accepted' then 'Анкета принята и не может быть изменена'
      else format('Недопустимый переход анкеты: %s → %s', old.status, new.status) end);
  end if;
  return new;
end
$$;
comment on function app.submission_guard() is
  'Trigger: submissions move only along draft/returned → submitted → accepted|returned, accepted → returned';

-- The submission with what its checks need, locked FOR UPDATE; no row when
-- it does not exist.
create or replace function app.submission_locked(p_id bigint)
returns table (id bigint, campaign_id bigint, school_id bigint, instrument_id bigint, status text,
               version integer, municipality_id bigint, region_id bigint, opens_on date, closes_on date)
language sql set search_path = app, pg_temp as $$
  select s.id, s.campaign_id, s.school_id, s.instrument_id, s.status, s.version,
         sc.municipality_id, c.region_id, c.opens_on, c.closes_on
  from app.submissions s
  join app.campaigns c on c.id = s.campaign_id
  join app.schools sc on sc.id = s.school_id
  where s.id = p_id
  for update of s
$$;
comment on function app.submission_locked(bigint) is 'Internal: a submission with its school''s municipality and campaign, locked';

-- Whether the caller may act on a submission of this school, municipality
-- and region: a school on its own, a municipality on its schools', the
-- committee and ЛОИРО on their region's. The same scope as the RLS policies
-- of 0011_diagnostics_policies (SELECT on submissions); a municipality's
-- schools are app.municipality_school_ids() in both.
create or replace function app.submission_in_scope(p_school_id bigint, p_region_id bigint)
returns boolean
language sql stable set search_path = app, pg_temp as $$
  select coalesce(case app.claim_role()
                    when 'school' then p_school_id = app.claim_school_id()
                    when 'municipality' then p_school_id in (select id from app.municipality_school_ids() id)
                    when 'committee' then p_region_id = app.claim_region_id()
                    when 'loiro' then p_region_id = app.claim_region_id()
                  end, false)
$$;
comment on function app.submission_in_scope(bigint, bigint) is
  'Internal: the caller''s scope over a submission (as the SELECT policies of submissions)';

-- The school may change its submission: draft or returned, campaign open
-- today (Moscow). OR409 conflict.state otherwise.
create or replace function app.check_school_may_edit(p_status text, p_opens_on date, p_closes_on date) returns void
language plpgsql stable set search_path = app, pg_temp as $$
begin
  if p_status not in ('draft', 'returned') then
    perform app.raise_conflict_state(case p_status
      when 'submitted' then 'Анкета отправлена на проверку и не может быть изменена'
      else 'Анкета принята и не может быть изменена' end);
  end if;
  if app.moscow_today() < p_opens_on then
    perform app.raise_conflict_state(format('Кампания ещё не началась: приём анкет с %s',
                                            to_char(p_opens_on, 'DD.MM.YYYY')));
  end if;
  if app.moscow_today() > p_closes_on then
    perform app.raise_conflict_state(format('Кампания завершена: приём анкет закончился %s',
                                            to_char(p_closes_on, 'DD.MM.YYYY')));
  end if;
end
$$;
comment on function app.check_school_may_edit(text, date, date) is
  'Internal: OR409 conflict.state unless the submission is draft/returned and its campaign open today';

-- One history row: the action, the resulting status, who (a snapshot of the
-- claims' user: name, role, organisation) and the comment.
create or replace function app.submission_event(p_id bigint, p_action text, p_status text, p_comment text) returns void
language sql set search_path = app, pg_temp as $$
  insert into app.submission_events (submission_id, action, status, user_id, actor_role, actor_name,
                                     actor_organisation, comment)
  select p_id, p_action, p_status, app.claim_user_id(), coalesce(app.claim_role(), 'system'),
         u ->> 'full_name', u ->> 'organisation_name', p_comment
  from (select app.user_json(app.claim_user_id())::jsonb as u) x
$$;
comment on function app.submission_event(bigint, text, text, text) is 'Internal: append a history row for the claims'' user';

-- Scores submissions from their answers, set-based: per direction (points,
-- max, level by the direction's thresholds), overall (points, max, level by
-- the instrument's thresholds; with critical_rule a critical indicator at 0
-- points makes it below_basic), and deficits: an indicator at 0 points is a
-- deficit, one above 0 and below its maximum a growth area. Deficit rows of
-- indicators that are no longer deficits or growth areas are deleted, the
-- others updated in place (their ids stay) or inserted, all official =
-- false. An unanswered indicator counts 0 points (submit refuses those).
create or replace function app.submissions_score(p_ids bigint[]) returns void
language plpgsql set search_path = app, pg_temp as $$
begin
  delete from app.submission_directions sd where sd.submission_id = any (p_ids);
  insert into app.submission_directions (submission_id, direction_id, points, max_points, level)
  select s.id, d.id, coalesce(sum(a.points), 0), d.max_points,
         app.level_of(coalesce(sum(a.points), 0)::integer, d.threshold_basic, d.threshold_medium, d.threshold_high)
  from app.submissions s
  join app.directions d on d.instrument_id = s.instrument_id
  join app.indicators x on x.direction_id = d.id
  left join app.answers a on a.submission_id = s.id and a.indicator_id = x.id
  where s.id = any (p_ids)
  group by s.id, d.id;

  update app.submissions s
  set total_points = t.points,
      max_points = i.max_points,
      level = case when i.critical_rule and t.critical_at_zero then 'below_basic'
                   else app.level_of(t.points, i.threshold_basic, i.threshold_medium, i.threshold_high) end
  from (select s2.id,
               coalesce(sum(a.points), 0)::integer as points,
               coalesce(bool_or(x.critical and coalesce(a.points, 0) = 0), false) as critical_at_zero
        from app.submissions s2
        join app.indicators x on x.instrument_id = s2.instrument_id
        left join app.answers a on a.submission_id = s2.id and a.indicator_id = x.id
        where s2.id = any (p_ids)
        group by s2.id) t,
       app.instruments i
  where s.id = t.id and i.id = s.instrument_id;

  with fresh as (
    select s.id as submission_id, s.school_id, s.campaign_id, x.id as indicator_id, x.critical, x.max_points,
           coalesce(a.points, 0) as points
    from app.submissions s
    join app.indicators x on x.instrument_id = s.instrument_id
    left join app.answers a on a.submission_id = s.id and a.indicator_id = x.id
    where s.id = any (p_ids) and coalesce(a.points, 0) < x.max_points
  ),
  gone as (
    delete from app.deficits df
    where df.submission_id = any (p_ids)
      and not exists (select 1 from fresh f where f.submission_id = df.submission_id
                                                and f.indicator_id = df.indicator_id)
  )
  insert into app.deficits as df (submission_id, school_id, campaign_id, indicator_id, kind, points, max_points,
                                  critical, official)
  select f.submission_id, f.school_id, f.campaign_id, f.indicator_id,
         case when f.points = 0 then 'deficit' else 'growth' end, f.points, f.max_points, f.critical, false
  from fresh f
  on conflict (submission_id, indicator_id) do update
    set kind = excluded.kind, points = excluded.points, max_points = excluded.max_points,
        critical = excluded.critical, official = false;
end
$$;
comment on function app.submissions_score(bigint[]) is
  'Internal: score submissions set-based (directions, total, level with the critical rule) and replace their deficits';

-- A visible submission, NULL when not visible (404):
-- {id, campaign_id, campaign_title, campaign_status, opens_on, closes_on,
--  school_id, school_code, school_name, municipality_id, instrument_id,
--  status, version, editable, submitted_at, decided_at, created_at, updated_at,
--  progress: {answered, total},
--  answers: [{indicator_id, value, comment, points, updated_at}] (instrument order),
--  result: null | {total_points, max_points, level,
--                  directions: [{direction_id, code, title, points, max_points, level}]},
--  history: [{action, status, at, by: {id, full_name, role, organisation_name}, comment}]}
-- result is the last submit's score (kept while returned). editable: the
-- caller is this school and may change it now.
create or replace function app.submission_get(p_id bigint) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  return (
    select json_build_object(
             'id', s.id, 'campaign_id', s.campaign_id, 'campaign_title', c.title,
             'campaign_status', app.campaign_status(c.opens_on, c.closes_on),
             'opens_on', c.opens_on, 'closes_on', c.closes_on,
             'school_id', s.school_id, 'school_code', sc.code, 'school_name', sc.short_name,
             'municipality_id', sc.municipality_id, 'instrument_id', s.instrument_id,
             'status', s.status, 'version', s.version,
             'editable', coalesce(app.claim_role() = 'school' and s.school_id = app.claim_school_id()
                                  and s.status in ('draft', 'returned')
                                  and app.campaign_status(c.opens_on, c.closes_on) = 'open', false),
             'submitted_at', s.submitted_at, 'decided_at', s.decided_at,
             'created_at', s.created_at, 'updated_at', s.updated_at,
             'progress', json_build_object(
                           'answered', (select count(*) from app.answers a where a.submission_id = s.id),
                           'total', (select count(*) from app.indicators x where x.instrument_id = s.instrument_id)),
             'answers', coalesce((
               select json_agg(json_build_object('indicator_id', a.indicator_id, 'value', o.value,
                                                 'comment', a.comment, 'points', a.points,
                                                 'updated_at', a.updated_at, 'version', a.version,
                                                 'attachments', app.attachments_json('answer', s.id, a.indicator_id))
                               order by d.position, x.position)
               from app.answers a
               join app.indicator_options o on o.id = a.option_id
               join app.indicators x on x.id = a.indicator_id
               join app.directions d on d.id = x.direction_id
               where a.submission_id = s.id), '[]'::json),
             'attachments', coalesce((
               select json_agg((app.attachment_json(f)::jsonb || jsonb_build_object('indicator_id', f.indicator_id))
                               order by f.created_at, f.id)
               from app.attachments f where f.object_kind = 'answer' and f.submission_id = s.id), '[]'::json),
             'result', case when s.total_points is not null then json_build_object(
               'total_points', s.total_points, 'max_points', s.max_points, 'level', s.level,
               'directions', coalesce((
                 select json_agg(json_build_object('direction_id', sd.direction_id, 'code', d.code,
                                                   'title', d.title, 'points', sd.points,
                                                   'max_points', sd.max_points, 'level', sd.level)
                                 order by d.position)
                 from app.submission_directions sd join app.directions d on d.id = sd.direction_id
                 where sd.submission_id = s.id), '[]'::json)) end,
             'history', coalesce((
               select json_agg(json_build_object(
                        'action', e.action, 'status', e.status, 'at', e.at,
                        'by', json_build_object('id', e.user_id, 'full_name', e.actor_name, 'role', e.actor_role,
                                                'organisation_name', e.actor_organisation),
                        'comment', e.comment) order by e.at, e.id)
               from app.submission_events e where e.submission_id = s.id), '[]'::json))
    from app.submissions s
    join app.campaigns c on c.id = s.campaign_id
    join app.schools sc on sc.id = s.school_id
    where s.id = p_id);
end
$$;
grant execute on function app.submission_get(bigint) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.submission_get(bigint) is 'Four roles: one visible submission with answers, result and history, NULL when not visible';

-- The targeted schools of visible campaigns with their submission. Items
-- {id, campaign_id, campaign_title, school_id, school_code, school_name,
--  municipality_id, municipality_name, instrument_id, status, version,
--  total_points, max_points, level, submitted_at, decided_at, updated_at},
-- newest campaign first, then municipality name, school short_name, school id.
-- p_status: draft | submitted | returned | accepted; not_started lists the
-- targeted schools without a submission (id, version and the result NULL);
-- NULL lists every existing submission (not the schools not started), and
-- with p_with_not_started the schools not started as well (the review queue).
-- p_sort: a field, ascending, or -field, descending — status (in the order a
-- reviewer needs them: submitted, returned, draft, not_started, accepted),
-- school_name, municipality_name, submitted_at, total_points (missing values
-- last either way); ties in the order above.
create or replace function app.submissions_list(p_campaign_id bigint, p_status text, p_municipality_id bigint,
                                                p_with_not_started boolean, p_sort text,
                                                p_limit integer, p_offset integer)
returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  select * into p_limit, p_offset from app.paging(p_limit, p_offset);
  perform app.raise_if_invalid(
    app.one_of_errors('status', p_status, array['not_started', 'draft', 'submitted', 'returned', 'accepted'],
                      'Допустимые статусы')
    || app.one_of_errors('sort', p_sort, array['status', '-status', 'school_name', '-school_name',
                                               'municipality_name', '-municipality_name', 'submitted_at',
                                               '-submitted_at', 'total_points', '-total_points'],
                         'Допустимый порядок'));
  return (
    with found as (
      select s.id, cs.campaign_id, c.title as campaign_title, c.opens_on, cs.school_id, sc.code as school_code,
             sc.short_name as school_name, sc.municipality_id, m.name as municipality_name,
             cs.instrument_id, coalesce(s.status, 'not_started') as status, s.version, s.total_points,
             s.max_points, s.level, s.submitted_at, s.decided_at, s.updated_at
      from app.campaign_schools cs
      join app.campaigns c on c.id = cs.campaign_id
      join app.schools sc on sc.id = cs.school_id
      join app.municipalities m on m.id = sc.municipality_id
      left join app.submissions s on s.campaign_id = cs.campaign_id and s.school_id = cs.school_id
      where (p_campaign_id is null or cs.campaign_id = p_campaign_id)
        and (p_municipality_id is null or sc.municipality_id = p_municipality_id)
        and case when p_status is null then s.id is not null or coalesce(p_with_not_started, false)
                 else coalesce(s.status, 'not_started') = p_status end
    ),
    page as (
      select f.*, row_number() over (order by
               case p_sort when 'status' then array_position(app.submission_review_order(), f.status) end,
               case p_sort when '-status' then array_position(app.submission_review_order(), f.status) end desc,
               case p_sort when 'school_name' then f.school_name end,
               case p_sort when '-school_name' then f.school_name end desc,
               case p_sort when 'municipality_name' then f.municipality_name end,
               case p_sort when '-municipality_name' then f.municipality_name end desc,
               case p_sort when 'submitted_at' then f.submitted_at end,
               case p_sort when '-submitted_at' then f.submitted_at end desc nulls last,
               case p_sort when 'total_points' then f.total_points end,
               case p_sort when '-total_points' then f.total_points end desc nulls last,
               f.opens_on desc, f.campaign_id desc, f.municipality_name, f.school_name, f.school_id) as pos
      from found f
      order by pos
      limit p_limit offset p_offset
    )
    select app.page_json((
        select json_agg(json_build_object(
                 'id', p.id, 'campaign_id', p.campaign_id, 'campaign_title', p.campaign_title,
                 'school_id', p.school_id, 'school_code', p.school_code, 'school_name', p.school_name,
                 'municipality_id', p.municipality_id, 'municipality_name', p.municipality_name,
                 'instrument_id', p.instrument_id, 'status', p.status, 'version', p.version,
                 'total_points', p.total_points, 'max_points', p.max_points, 'level', p.level,
                 'submitted_at', p.submitted_at, 'decided_at', p.decided_at, 'updated_at', p.updated_at)
               order by p.pos)
        from page p),
      (select count(*) from found), p_limit, p_offset));
end
$$;
grant execute on function app.submissions_list(bigint,text,bigint,boolean,text,integer,integer) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.submissions_list(bigint, text, bigint, boolean, text, integer, integer) is
  'Four roles: visible submissions (or, with status not_started, targeted schools without one; with p_with_not_started both), sorted by p_sort, scoped by RLS';

-- The statuses of a submission in the order a reviewer needs them: what
-- waits for a decision first, the accepted last.
create or replace function app.submission_review_order() returns text[]
language sql immutable parallel safe as $$
  select array['submitted', 'returned', 'draft', 'not_started', 'accepted']
$$;
grant execute on function app.submission_review_order() to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.submission_review_order() is 'The submission statuses in review order (sort=status of GET /submissions)';

-- A school's results across campaigns, newest first, NULL when the school is
-- not visible: {school_id, items: [{campaign_id, campaign_title, opens_on,
-- closes_on, submission_id, status, instrument_id, instrument_code,
-- instrument_version, total_points, max_points, level, directions:
-- [{direction_id, code, title, points, max_points, level}]}]} — only scored
-- submissions. Directions carry their code: results of different campaigns
-- (and instrument versions) compare by it.
create or replace function app.school_results(p_school_id bigint) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  if not exists (select 1 from app.schools s where s.id = p_school_id) then
    return null;
  end if;
  return json_build_object(
    'school_id', p_school_id,
    'items', coalesce((
      select json_agg(json_build_object(
               'campaign_id', c.id, 'campaign_title', c.title, 'opens_on', c.opens_on, 'closes_on', c.closes_on,
               'submission_id', s.id, 'status', s.status, 'instrument_id', i.id, 'instrument_code', i.code,
               'instrument_version', i.version, 'total_points', s.total_points, 'max_points', s.max_points,
               'level', s.level,
               'directions', coalesce((
                 select json_agg(json_build_object('direction_id', sd.direction_id, 'code', d.code,
                                                   'title', d.title, 'points', sd.points,
                                                   'max_points', sd.max_points, 'level', sd.level)
                                 order by d.position)
                 from app.submission_directions sd join app.directions d on d.id = sd.direction_id
                 where sd.submission_id = s.id), '[]'::json))
             order by c.opens_on desc, c.id desc)
      from app.submissions s
      join app.campaigns c on c.id = s.campaign_id
      join app.instruments i on i.id = s.instrument_id
      where s.school_id = p_school_id and s.total_points is not null), '[]'::json));
end
$$;
grant execute on function app.school_results(bigint) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.school_results(bigint) is
  'Four roles: a visible school''s scored submissions by campaign with levels per direction, NULL when not visible';

-- School: opens its submission in a campaign that targets it — creates the
-- draft (the variant resolved for the school) or returns the existing one.
-- Returns {created: boolean, submission: submission_get} (API: 201 when
-- created, else 200). OR404 when the campaign does not target the caller;
-- OR409 conflict.state when a new draft is asked for outside the campaign's
-- dates (an existing submission is returned whatever the dates).
create or replace function app.submission_open(p_campaign_id bigint) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v_target record;
  v_id     bigint;
begin
  select cs.instrument_id, c.opens_on, c.closes_on into v_target
  from app.campaign_schools cs join app.campaigns c on c.id = cs.campaign_id
  where cs.campaign_id = p_campaign_id and cs.school_id = app.claim_school_id()
    and app.claim_role() = 'school';
  if not found then
    perform app.raise_not_found('Кампания не найдена');
  end if;
  select s.id into v_id from app.submissions s
  where s.campaign_id = p_campaign_id and s.school_id = app.claim_school_id();
  if found then
    return json_build_object('created', false, 'submission', app.submission_get(v_id));
  end if;
  perform app.check_school_may_edit('draft', v_target.opens_on, v_target.closes_on);

  insert into app.submissions (campaign_id, school_id, instrument_id)
  values (p_campaign_id, app.claim_school_id(), v_target.instrument_id)
  on conflict (campaign_id, school_id) do nothing
  returning id into v_id;
  if v_id is null then  -- opened concurrently by another request of the school
    select s.id into v_id from app.submissions s
    where s.campaign_id = p_campaign_id and s.school_id = app.claim_school_id();
    return json_build_object('created', false, 'submission', app.submission_get(v_id));
  end if;
  perform app.submission_event(v_id, 'open', 'draft', null);
  return json_build_object('created', true, 'submission', app.submission_get(v_id));
end
$$;
grant execute on function app.submission_open(bigint) to orientir_school;
comment on function app.submission_open(bigint) is
  'School: create its draft in a campaign that targets it, or return the existing submission ({created, submission})';

-- School: saves one answer (upsert) of its draft or returned submission
-- while the campaign is open. p_value must be one of the indicator's option
-- values (else field value code invalid; NULL/blank → value required);
-- p_comment optional, ≤ 2000 characters, blank = none. An indicator that is
-- not part of the submission's instrument → OR422 field indicator_id code
-- not_found. p_version (If-Match) is the answer's own version: saves of
-- different indicators never conflict; a version for an answer that does not
-- exist yet is stale too (OR409 conflict.stale_version); NULL is not checked.
-- The answer's version and the submission's move only when the answer changed.
-- Returns {submission_id, status, version, progress: {answered, total},
--          answer: {indicator_id, value, comment, points, updated_at, version}}.
create or replace function app.submission_answer(p_id bigint, p_indicator_id bigint, p_value text, p_comment text,
                                      p_version integer)
returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v         record;
  v_option  record;
  v_comment text := nullif(btrim(p_comment), '');
  v_changed integer;
  v_errors  jsonb;
  v_answer  integer;
begin
  select * into v from app.submission_locked(p_id);
  if not found or app.claim_role() <> 'school' or not app.submission_in_scope(v.school_id, v.region_id) then
    perform app.raise_not_found('Анкета не найдена');
  end if;
  perform app.check_school_may_edit(v.status, v.opens_on, v.closes_on);
  select a.version into v_answer from app.answers a
  where a.submission_id = p_id and a.indicator_id = p_indicator_id for update;
  if p_version is not null and v_answer is null then
    perform app.raise_problem('OR409', 'conflict.stale_version',
                              'Этот ответ ещё не сохранён: обновите страницу и повторите');
  end if;
  perform app.check_version(p_version, v_answer);

  if not exists (select 1 from app.indicators x where x.id = p_indicator_id and x.instrument_id = v.instrument_id) then
    perform app.raise_if_invalid(jsonb_build_array(app.field_error('indicator_id', 'not_found',
      'В анкете нет такого показателя')));
  end if;
  select o.id, o.points into v_option
  from app.indicator_options o where o.indicator_id = p_indicator_id and o.value = p_value;
  v_errors := case
    when nullif(btrim(p_value), '') is null then
      jsonb_build_array(app.field_error('value', 'required', 'Выберите ответ'))
    when v_option.id is null then
      jsonb_build_array(app.field_error('value', 'invalid', format('Выберите один из ответов: %s',
        (select string_agg('«' || o.label || '»', ', ' order by o.position) from app.indicator_options o
         where o.indicator_id = p_indicator_id))))
    else '[]'::jsonb end
    || app.text_errors(v_comment, 'comment', false, 2000);
  perform app.raise_if_invalid(v_errors);

  insert into app.answers as a (submission_id, instrument_id, indicator_id, option_id, points, comment, updated_by)
  values (p_id, v.instrument_id, p_indicator_id, v_option.id, v_option.points, v_comment, app.claim_user_id())
  on conflict (submission_id, indicator_id) do update
    set option_id = excluded.option_id, points = excluded.points, comment = excluded.comment,
        updated_at = now(), updated_by = excluded.updated_by, version = a.version + 1
    where (a.option_id, a.comment) is distinct from (excluded.option_id, excluded.comment);
  get diagnostics v_changed = row_count;
  if v_changed > 0 then
    update app.submissions s set version = s.version + 1, updated_at = now() where s.id = p_id;
    insert into app.answer_history (submission_id, indicator_id, version, value, comment, points, user_id,
                                    actor_role, actor_name, actor_organisation)
    select a.submission_id, a.indicator_id, a.version, p_value, a.comment, a.points, app.claim_user_id(),
           app.claim_role(), u ->> 'full_name', u ->> 'organisation_name'
    from app.answers a, (select app.user_json(app.claim_user_id())::jsonb as u) x
    where a.submission_id = p_id and a.indicator_id = p_indicator_id;
  end if;

  return (
    select json_build_object(
             'submission_id', s.id, 'status', s.status, 'version', s.version,
             'progress', json_build_object(
                           'answered', (select count(*) from app.answers a where a.submission_id = s.id),
                           'total', (select count(*) from app.indicators x where x.instrument_id = s.instrument_id)),
             'answer', (select json_build_object('indicator_id', a.indicator_id, 'value', p_value,
                                                 'comment', a.comment, 'points', a.points,
                                                 'updated_at', a.updated_at, 'version', a.version)
                        from app.answers a where a.submission_id = s.id and a.indicator_id = p_indicator_id))
    from app.submissions s where s.id = p_id);
end
$$;
grant execute on function app.submission_answer(bigint,bigint,text,text,integer) to orientir_school;

-- The history of one answer (GET /submissions/{id}/answers/{indicator_id}/history), for the
-- school and its municipality: {indicator_id, items: [{version, value, value_label, comment,
-- points, at, by: {id, full_name, role, organisation_name}}]}, newest first. An answer saved
-- before its changes were recorded (0073) shows its current state as its one known entry.
-- NULL (404) when the submission is not visible or the indicator is not of its instrument.
create or replace function app.answer_history(p_id bigint, p_indicator_id bigint) returns json
language sql stable set search_path = app, pg_temp as $$
  select json_build_object('indicator_id', x.id, 'items', coalesce((
    select json_agg(json_build_object(
             'version', h.version, 'value', h.value, 'value_label', o.label, 'comment', h.comment,
             'points', h.points, 'at', h.at,
             'by', json_build_object('id', h.user_id, 'full_name', h.actor_name, 'role', h.actor_role,
                                     'organisation_name', h.actor_organisation))
           order by h.version desc, h.at desc)
    from (select h.version, h.value, h.comment, h.points, h.at, h.user_id, h.actor_name, h.actor_role,
                 h.actor_organisation
          from app.answer_history h where h.submission_id = s.id and h.indicator_id = x.id
          union all
          select a.version, o0.value, a.comment, a.points, a.updated_at, a.updated_by, w ->> 'full_name',
                 w ->> 'role', w ->> 'organisation_name'
          from app.answers a
          join app.indicator_options o0 on o0.id = a.option_id
          cross join lateral (select app.answer_updater_json(a.submission_id, a.indicator_id)::jsonb as w) w
          where a.submission_id = s.id and a.indicator_id = x.id
            and not exists (select 1 from app.answer_history h2
                            where h2.submission_id = a.submission_id and h2.indicator_id = a.indicator_id
                              and h2.version = a.version)) h
    left join app.indicator_options o on o.indicator_id = x.id and o.value = h.value), '[]'::json))
  from app.submissions s
  join app.indicators x on x.id = p_indicator_id and x.instrument_id = s.instrument_id
  where s.id = p_id
$$;
grant execute on function app.answer_history(bigint, bigint) to orientir_municipality, orientir_school;

-- Who last saved an answer ({full_name, role, organisation_name}), for answer_history's entry
-- of an answer saved before its changes were recorded. Definer (the request roles do not read
-- users), so it states the scope itself: NULL outside the caller's submissions.
create or replace function app.answer_updater_json(p_submission_id bigint, p_indicator_id bigint) returns json
language sql stable security definer set search_path = app, pg_temp as $$
  select json_build_object('full_name', u ->> 'full_name', 'role', u ->> 'role',
                           'organisation_name', u ->> 'organisation_name')
  from app.answers a
  join app.submissions s on s.id = a.submission_id
  join app.campaigns c on c.id = s.campaign_id
  cross join lateral (select app.user_json(a.updated_by)::jsonb as u) x
  where a.submission_id = p_submission_id and a.indicator_id = p_indicator_id
    and app.claim_role() in ('school', 'municipality') and app.submission_in_scope(s.school_id, c.region_id)
$$;
grant execute on function app.answer_updater_json(bigint, bigint) to orientir_municipality, orientir_school;
comment on function app.answer_updater_json(bigint, bigint) is
  'Internal (of answer_history): who last saved an answer of the caller''s scope, NULL otherwise';
comment on function app.answer_history(bigint, bigint) is
  'School, municipality: who set which value and comment of one answer, and when (newest first); NULL when not visible';
comment on function app.submission_answer(bigint, bigint, text, text, integer) is
  'School: save one answer of its editable submission while the campaign is open; audited';

-- School: submits its draft or returned submission while the campaign is
-- open. Every indicator must be answered: else OR422 DETAIL
-- submission.incomplete with one HINT entry per unanswered indicator
-- (field answers.<indicator_id>, code required), in instrument order.
-- Scores it (app.submissions_score) and returns submission_get.
create or replace function app.submission_submit(p_id bigint, p_version integer) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v         record;
  v_missing jsonb;
begin
  select * into v from app.submission_locked(p_id);
  if not found or app.claim_role() <> 'school' or not app.submission_in_scope(v.school_id, v.region_id) then
    perform app.raise_not_found('Анкета не найдена');
  end if;
  perform app.check_school_may_edit(v.status, v.opens_on, v.closes_on);
  perform app.check_version(p_version, v.version);

  select jsonb_agg(app.field_error('answers.' || x.id, 'required',
                                   format('Нет ответа на показатель %s: %s', x.code,
                                          case when char_length(x.text) > 120 then left(x.text, 119) || '…'
                                               else x.text end))
                   order by d.position, x.position)
  into v_missing
  from app.indicators x
  join app.directions d on d.id = x.direction_id
  where x.instrument_id = v.instrument_id
    and not exists (select 1 from app.answers a where a.submission_id = p_id and a.indicator_id = x.id);
  if v_missing is not null then
    raise exception using errcode = 'OR422',
      message = format('Ответьте на все показатели: без ответа %s', jsonb_array_length(v_missing)),
      detail = 'submission.incomplete', hint = v_missing::text;
  end if;

  -- Score first: a submitted row must carry its result (submissions_result_after_submit).
  perform app.submissions_score(array[p_id]);
  update app.submissions s
  set status = 'submitted', submitted_at = now(), decided_at = null, version = s.version + 1, updated_at = now()
  where s.id = p_id;
  perform app.submission_event(p_id, 'submit', 'submitted', null);
  return app.submission_get(p_id);
end
$$;
grant execute on function app.submission_submit(bigint,integer) to orientir_school;
comment on function app.submission_submit(bigint, integer) is
  'School: submit its complete submission while the campaign is open; scores it and derives deficits; audited';

-- A decision on a submitted or accepted submission (accept, return,
-- reopen): locks it; OR404 unless the caller is p_role and sees it, OR409
-- conflict.state (p_conflict) unless its status is p_from, OR409
-- conflict.stale_version, OR422 when p_comment_field names a required
-- comment (≤ 2000) that p_comment is not. Then it moves to p_to (decided_at
-- now) with a history row (p_action, the trimmed comment).
create or replace function app.submission_decide(p_id bigint, p_version integer, p_role text, p_from text,
                                                 p_conflict text, p_action text, p_to text,
                                                 p_comment_field text, p_comment text)
returns void
language plpgsql set search_path = app, pg_temp as $$
declare
  v record;
begin
  select * into v from app.submission_locked(p_id);
  if not found or app.claim_role() <> p_role or not app.submission_in_scope(v.school_id, v.region_id) then
    perform app.raise_not_found('Анкета не найдена');
  end if;
  if v.status <> p_from then
    perform app.raise_conflict_state(p_conflict);
  end if;
  perform app.check_version(p_version, v.version);
  if p_comment_field is not null then
    perform app.raise_if_invalid(app.text_errors(p_comment, p_comment_field, true, 2000));
  end if;
  update app.submissions s
  set status = p_to, decided_at = now(), version = s.version + 1, updated_at = now()
  where s.id = p_id;
  perform app.submission_event(p_id, p_action, p_to, btrim(p_comment));
end
$$;
comment on function app.submission_decide(bigint, integer, text, text, text, text, text, text, text) is
  'Internal: lock, check scope, status, version and comment, then move a submission to a decided status with its history row';

-- Municipality: accepts a submitted submission of one of its schools. It is
-- frozen from now on and its deficits become official. OR404 outside the
-- municipality, OR409 unless submitted. Returns submission_get.
create or replace function app.submission_accept(p_id bigint, p_version integer) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
begin
  perform app.submission_decide(p_id, p_version, 'municipality', 'submitted',
                                'Принять можно только отправленную анкету', 'accept', 'accepted', null, null);
  update app.deficits df set official = true where df.submission_id = p_id;
  return app.submission_get(p_id);
end
$$;
grant execute on function app.submission_accept(bigint,integer) to orientir_municipality;
comment on function app.submission_accept(bigint, integer) is
  'Municipality: accept a submitted submission of its school (frozen, deficits official); audited';

-- Municipality: returns a submitted submission of one of its schools for
-- correction with a comment (required, ≤ 2000 characters). The last result
-- and deficits stay (not official) until the school submits again.
-- OR404 outside the municipality, OR409 unless submitted, OR422 field comment.
create or replace function app.submission_return(p_id bigint, p_version integer, p_comment text) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
begin
  perform app.submission_decide(p_id, p_version, 'municipality', 'submitted',
                                'Вернуть на доработку можно только отправленную анкету', 'return', 'returned',
                                'comment', p_comment);
  return app.submission_get(p_id);
end
$$;
grant execute on function app.submission_return(bigint,integer,text) to orientir_municipality;
comment on function app.submission_return(bigint, integer, text) is
  'Municipality: return a submitted submission of its school with a required comment; audited';

-- Committee: reopens an accepted submission of its region — back to
-- returned, with the reason (required, ≤ 2000) as the history comment; its
-- deficits stop being official. Audited twice: the row change (trigger) and
-- an explicit 'reopen' row carrying the reason.
-- OR404 outside the region, OR409 unless accepted, OR422 field reason.
create or replace function app.submission_reopen(p_id bigint, p_version integer, p_reason text) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
begin
  perform app.submission_decide(p_id, p_version, 'committee', 'accepted',
                                'Открыть повторно можно только принятую анкету', 'reopen', 'returned',
                                'reason', p_reason);
  update app.deficits df set official = false where df.submission_id = p_id;
  perform app.audit_write('reopen', 'submissions', p_id, jsonb_build_object('status', 'accepted'),
                          jsonb_build_object('status', 'returned', 'reason', btrim(p_reason)));
  return app.submission_get(p_id);
end
$$;
grant execute on function app.submission_reopen(bigint,integer,text) to orientir_committee;
comment on function app.submission_reopen(bigint, integer, text) is
  'Committee: reopen an accepted submission of its region (→ returned) with a reason; audited';

reset role;
