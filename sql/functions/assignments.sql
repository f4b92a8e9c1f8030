-- Assignments («Поручения»): create with a document, accept, report, review,
-- return; lists and the guard of their state.
-- Function file (see shared.sql for how function files are applied).

set local role orientir_owner;

-- An execution record keeps its item and executor for life, and an accepted
-- record is final: whoever writes the row (the state functions of assignments.sql are
-- the only writers), it cannot be changed afterwards.
create or replace function app.assignment_guard() returns trigger
language plpgsql set search_path = app, pg_temp as $$
begin
  if (new.region_id, new.document_id, new.item_id, new.executor_kind, new.municipality_id,
      new.school_id, new.assigned_as)
     is distinct from (old.region_id, old.document_id, old.item_id, old.executor_kind,
                       old.municipality_id, old.school_id, old.assigned_as) then
    raise exception using errcode = 'OR409', message = 'Поручение и исполнителя изменить нельзя',
      detail = 'conflict.state';
  end if;
  if old.status = 'accepted' and to_jsonb(new) is distinct from to_jsonb(old) then
    raise exception using errcode = 'OR409', message = 'Отчёт уже принят: поручение закрыто',
      detail = 'conflict.state';
  end if;
  return new;
end
$$;
comment on function app.assignment_guard() is
  'Trigger: an execution record never changes its item or executor; an accepted one is final';

-- Overdue: a deadline before today and not reported done nor accepted.
-- Computed on every read, never stored.
create or replace function app.assignment_overdue(p_deadline date, p_status text) returns boolean
language sql stable set search_path = app, pg_temp as $$
  select coalesce(p_deadline < app.moscow_today() and p_status not in ('done', 'accepted'), false)
$$;
grant execute on function app.assignment_overdue(date,text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.assignment_overdue(date, text) is
  'True when the deadline is before today (Europe/Moscow) and the status is not done or accepted';

-- Due soon: the deadline is today or within the next 7 days, not yet done.
create or replace function app.assignment_due_soon(p_deadline date, p_status text) returns boolean
language sql stable set search_path = app, pg_temp as $$
  select coalesce(p_deadline between app.moscow_today() and app.moscow_today() + 7
                  and p_status not in ('done', 'accepted'), false)
$$;
grant execute on function app.assignment_due_soon(date,text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.assignment_due_soon(date, text) is
  'True when the deadline is within today .. today + 7 (Europe/Moscow) and the status is not done or accepted';

-- One execution record as the API returns it:
-- {id, document_id, document: {kind, number, date, title}, item_id,
--  item_number, content, expected_result, deadline, deadline_text,
--  executor: {kind, id, name}, assigned_as, status, overdue, due_soon,
--  report: {status, text, links, at, by: {id, name}} | null,
--  review: {decision, comment, at, by: {id, name}} | null, version}
create or replace function app.assignment_json(a app.assignments) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  return (
    select json_build_object(
             'id', a.id, 'document_id', a.document_id,
             'document', json_build_object('kind', d.kind, 'number', d.number, 'date', d.doc_date, 'title', d.title),
             'item_id', a.item_id, 'item_number', i.number, 'content', i.content,
             'expected_result', i.expected_result,
             'deadline', i.deadline, 'deadline_text', i.deadline_text,
             'executor', app.executor_json(a.executor_kind, a.region_id, a.municipality_id, a.school_id),
             'assigned_as', a.assigned_as,
             'status', a.status,
             'overdue', app.assignment_overdue(i.deadline, a.status),
             'due_soon', app.assignment_due_soon(i.deadline, a.status),
             'report', case when a.report_status is not null then json_build_object(
                          'status', a.report_status, 'text', a.report_text, 'links', to_json(a.report_links),
                          'at', a.reported_at,
                          'by', json_build_object('id', a.reported_by, 'name', a.reported_by_name)) end,
             'review', case when a.review_decision is not null then json_build_object(
                          'decision', a.review_decision, 'comment', a.review_comment, 'at', a.reviewed_at,
                          'by', json_build_object('id', a.reviewed_by, 'name', a.reviewed_by_name)) end,
             'attachments', app.attachments_json('assignment', a.id),
             'version', a.version)
    from app.document_items i
    join app.documents d on d.id = i.document_id
    where i.id = a.item_id);
end
$$;
grant execute on function app.assignment_json(app.assignments) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.assignment_json(app.assignments) is 'An execution record as the API returns it';

-- One visible execution record, NULL when not visible (404).
create or replace function app.assignment_get(p_id bigint) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  return (select app.assignment_json(a) from app.assignments a where a.id = p_id);
end
$$;
grant execute on function app.assignment_get(bigint) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.assignment_get(bigint) is 'Four roles: one visible execution record, NULL when not visible';

-- «Мои поручения» and the control lists. Filters (NULL: none):
--   p_mine          true: only records whose executor is the caller's
--                   organisation (the committee, ЛОИРО, the municipality
--                   itself — not its schools —, the school);
--   p_overdue       true: only overdue records;
--   p_executor      'committee', 'loiro', 'municipality:<id>', 'school:<id>';
--   p_document_id   one document;
--   p_municipality_id  records of that municipality and of its schools;
--   p_status        not_started, in_progress, done, accepted, returned.
-- Order: overdue first, then deadline (none last), document date, item
-- number, id; or by p_sort: deadline (none last either way), status (in the
-- order of work: not_started, in_progress, done, returned, accepted), each
-- also descending ('-deadline'), ties in the default order. Items as
-- assignment_json; {items, total, limit, offset}.
create or replace function app.assignments_list(p_mine boolean, p_overdue boolean, p_executor text,
                                     p_document_id bigint, p_municipality_id bigint, p_status text,
                                     p_limit integer, p_offset integer, p_sort text default null)
returns json
language plpgsql stable set search_path = app, pg_temp as $$
declare
  v_kind   text;
  v_id     bigint;
  v_errors jsonb := '[]'::jsonb;
  v_work_order constant text[] := array['not_started', 'in_progress', 'done', 'returned', 'accepted'];
begin
  select * into p_limit, p_offset from app.list_page(p_limit, p_offset, p_sort, array['deadline', 'status']);
  if p_executor is not null then
    if p_executor in ('committee', 'loiro') then
      v_kind := p_executor;
    elsif p_executor ~ '^(municipality|school):[1-9][0-9]{0,17}$' then
      v_kind := split_part(p_executor, ':', 1);
      v_id := split_part(p_executor, ':', 2)::bigint;
    else
      v_errors := v_errors || app.field_error('executor', 'invalid',
        'Исполнитель: committee, loiro, municipality:<id> или school:<id>');
    end if;
  end if;
  v_errors := v_errors || app.one_of_errors('status', p_status,
                                            array['not_started', 'in_progress', 'done', 'accepted', 'returned'], 'Допустимые статусы');
  perform app.raise_if_invalid(v_errors);

  return (
    with found as (
      select a as rec, a.id, i.deadline, i.number_path, d.doc_date, a.status,
             app.assignment_overdue(i.deadline, a.status) as overdue
      from app.assignments a
      join app.document_items i on i.id = a.item_id
      join app.documents d on d.id = a.document_id
      where (not coalesce(p_mine, false) or case app.claim_role()
               when 'committee' then a.executor_kind = 'committee'
               when 'loiro' then a.executor_kind = 'loiro'
               when 'municipality' then a.executor_kind = 'municipality'
                                        and a.municipality_id = app.claim_municipality_id()
               when 'school' then a.executor_kind = 'school' and a.school_id = app.claim_school_id()
               else false end)
        and (v_kind is null or (a.executor_kind = v_kind
                                and (v_id is null
                                     or v_id = case v_kind when 'municipality' then a.municipality_id
                                                           else a.school_id end)))
        and (p_document_id is null or a.document_id = p_document_id)
        and (p_municipality_id is null or a.municipality_id = p_municipality_id)
        and (p_status is null or a.status = p_status)
        and (not coalesce(p_overdue, false) or app.assignment_overdue(i.deadline, a.status))
    ),
    page as (
      select f.*, row_number() over (order by
               case p_sort when 'deadline' then f.deadline end,
               case p_sort when '-deadline' then f.deadline end desc nulls last,
               case p_sort when 'status' then array_position(v_work_order, f.status) end,
               case p_sort when '-status' then array_position(v_work_order, f.status) end desc,
               f.overdue desc, f.deadline nulls last, f.doc_date, f.number_path, f.id) as pos
      from found f
      order by pos
      limit p_limit offset p_offset
    )
    select app.page_json((select json_agg(app.assignment_json(p.rec) order by p.pos)
                         from page p),
      (select count(*) from found), p_limit, p_offset));
end
$$;
grant execute on function app.assignments_list(boolean,boolean,text,bigint,bigint,text,integer,integer,text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.assignments_list(boolean, boolean, text, bigint, bigint, text, integer, integer, text) is
  'Four roles: visible execution records, overdue first then by deadline, or by p_sort, with filters';

-- The caller and a record (locked row from the state functions):
-- in scope = the caller may see it; mine = the caller's organisation is its
-- executor; reviewer = the region's committee (it reviews its own documents
-- and the municipalities' road maps).
create or replace function app.assignment_in_scope(a app.assignments) returns boolean
language sql stable set search_path = app, pg_temp as $$
  select coalesce(case app.claim_role()
    when 'committee' then a.region_id = app.claim_region_id()
    when 'loiro' then a.region_id = app.claim_region_id()
    when 'municipality' then a.municipality_id = app.claim_municipality_id()
    when 'school' then a.school_id = app.claim_school_id()
  end, false)
$$;
comment on function app.assignment_in_scope(app.assignments) is 'Internal: the caller may see this record';

create or replace function app.assignment_is_mine(a app.assignments) returns boolean
language sql stable set search_path = app, pg_temp as $$
  select coalesce(app.assignment_in_scope(a) and case app.claim_role()
    when 'committee' then a.executor_kind = 'committee'
    when 'loiro' then a.executor_kind = 'loiro'
    when 'municipality' then a.executor_kind = 'municipality'
    when 'school' then a.executor_kind = 'school'
  end, false)
$$;
comment on function app.assignment_is_mine(app.assignments) is 'Internal: the caller''s organisation is the executor of this record';

-- The executor reports: p = {status: not_started|in_progress|done, text,
-- links: [url, …]}. text is required for done (≤ 10000 characters); links
-- ≤ 10 http(s) URLs of ≤ 500 characters. A returned (or not yet reviewed)
-- record may be reported again; the report replaces the previous one and
-- clears the review. OR404 not visible; OR403 auth.forbidden visible but not
-- the caller's own; OR409 conflict.state accepted; OR409 stale version;
-- OR422 fields status, text, links / links[i]. Returns assignment_get.
create or replace function app.assignment_report(p_id bigint, p_version integer, p jsonb) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v        app.assignments;
  v_errors jsonb := '[]'::jsonb;
  v_links  text[];
begin
  p := coalesce(p, '{}'::jsonb);
  select * into v from app.assignments a where a.id = p_id for update;
  if not found or not app.assignment_in_scope(v) then
    perform app.raise_not_found('Поручение не найдено');
  end if;
  if not app.assignment_is_mine(v) then
    raise exception using errcode = 'OR403', message = 'Отчитаться может только исполнитель поручения',
      detail = 'auth.forbidden';
  end if;
  if v.status = 'accepted' then
    raise exception using errcode = 'OR409', message = 'Отчёт уже принят: поручение закрыто',
      detail = 'conflict.state';
  end if;
  perform app.check_version(p_version, v.version);

  perform app.raise_if_invalid(app.type_errors(p, array['status', 'text'], 'string')
                               || app.type_errors(p, array['links'], 'array'));
  if p ->> 'status' is null then
    v_errors := v_errors || app.field_error('status', 'required', 'Укажите ход исполнения');
  elsif p ->> 'status' not in ('not_started', 'in_progress', 'done') then
    v_errors := v_errors || app.field_error('status', 'invalid', 'Допустимо: not_started, in_progress, done');
  end if;
  v_errors := v_errors || app.text_errors(p ->> 'text', 'text', p ->> 'status' = 'done', 10000);
  if jsonb_array_length(coalesce(nullif(p -> 'links', 'null'::jsonb), '[]'::jsonb)) > 10 then
    v_errors := v_errors || app.field_error('links', 'too_many', 'Не больше 10 ссылок');
  else
    select v_errors || coalesce(jsonb_agg(app.field_error(format('links[%s]', l.ord - 1),
                                  case when jsonb_typeof(l.value) <> 'string' then 'invalid'
                                       when char_length(l.value #>> '{}') > 500 then 'too_long'
                                       else 'invalid' end,
                                  case when jsonb_typeof(l.value) = 'string' and char_length(l.value #>> '{}') > 500
                                       then 'Ссылка не длиннее 500 символов'
                                       else 'Ссылка должна начинаться с http:// или https://' end)
                                  order by l.ord), '[]'::jsonb)
    into v_errors
    from jsonb_array_elements(coalesce(nullif(p -> 'links', 'null'::jsonb), '[]'::jsonb)) with ordinality l(value, ord)
    where jsonb_typeof(l.value) <> 'string' or char_length(l.value #>> '{}') > 500
       or btrim(l.value #>> '{}') !~ '^https?://[^[:space:]]+$';
  end if;
  perform app.raise_if_invalid(v_errors);

  v_links := array(select btrim(l.value) from jsonb_array_elements_text(
                     coalesce(nullif(p -> 'links', 'null'::jsonb), '[]'::jsonb)) with ordinality l(value, ord)
                   order by l.ord);
  update app.assignments a set
    status = p ->> 'status',
    report_status = p ->> 'status',
    report_text = nullif(btrim(p ->> 'text'), ''),
    report_links = v_links,
    reported_at = now(),
    reported_by = app.claim_user_id(),
    reported_by_name = (select u.full_name from app.users u where u.id = app.claim_user_id()),
    review_decision = null, review_comment = null, reviewed_at = null,
    reviewed_by = null, reviewed_by_name = null
  where a.id = p_id;
  return app.assignment_get(p_id);
end
$$;
grant execute on function app.assignment_report(bigint,integer,jsonb) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.assignment_report(bigint, integer, jsonb) is
  'Four roles (definer): the executor reports on its own record; audited';

-- The review of a done report by the region's committee. p_decision
-- accepted|returned; a return needs a comment (≤ 2000). OR404 not visible;
-- OR403 visible but the caller is not the committee; OR409 conflict.state
-- unless the record is done (reported, awaiting review); OR409 stale version;
-- OR422 field comment.
create or replace function app.assignment_review(p_id bigint, p_version integer, p_decision text, p_comment text)
returns json
language plpgsql set search_path = app, pg_temp as $$
declare
  v app.assignments;
begin
  select * into v from app.assignments a where a.id = p_id for update;
  if not found or not app.assignment_in_scope(v) then
    perform app.raise_not_found('Поручение не найдено');
  end if;
  if app.claim_role() is distinct from 'committee' then
    raise exception using errcode = 'OR403',
      message = 'Принять или вернуть отчёт может только комитет, выпустивший документ',
      detail = 'auth.forbidden';
  end if;
  if v.status <> 'done' then
    raise exception using errcode = 'OR409',
      message = case v.status when 'accepted' then 'Отчёт уже принят'
                              when 'returned' then 'Отчёт уже возвращён на доработку'
                              else 'Исполнитель ещё не отчитался о выполнении' end,
      detail = 'conflict.state';
  end if;
  perform app.check_version(p_version, v.version);
  if p_decision = 'returned' then
    perform app.raise_if_invalid(app.text_errors(p_comment, 'comment', true, 2000));
  end if;
  update app.assignments a set
    status = p_decision,
    review_decision = p_decision,
    review_comment = case when p_decision = 'returned' then btrim(p_comment) end,
    reviewed_at = now(),
    reviewed_by = app.claim_user_id(),
    reviewed_by_name = (select u.full_name from app.users u where u.id = app.claim_user_id())
  where a.id = p_id;
  return app.assignment_get(p_id);
end
$$;
comment on function app.assignment_review(bigint, integer, text, text) is
  'Internal (owner): accept or return a done report, called by the definer assignment_accept/assignment_return';

create or replace function app.assignment_accept(p_id bigint, p_version integer) returns json
language sql security definer set search_path = app, pg_temp as $$ select app.assignment_review(p_id, p_version, 'accepted', null) $$;
grant execute on function app.assignment_accept(bigint,integer) to orientir_committee;
comment on function app.assignment_accept(bigint, integer) is
  'Committee (definer): accept a done report of a record of its region; audited';

create or replace function app.assignment_return(p_id bigint, p_version integer, p_comment text) returns json
language sql security definer set search_path = app, pg_temp as $$ select app.assignment_review(p_id, p_version, 'returned', p_comment) $$;
grant execute on function app.assignment_return(bigint,integer,text) to orientir_committee;
comment on function app.assignment_return(bigint, integer, text) is
  'Committee (definer): return a done report with a comment; the executor may report again; audited';

reset role;
