-- Documents (orders, road maps) and their items, the executors, and the
-- summary of the control of execution.
-- Function file (see shared.sql for how function files are applied).

set local role orientir_owner;

-- Errors of a date field of p (path p_path in messages): required when
-- p_required, invalid when present and not a real YYYY-MM-DD date.
create or replace function app.execution_date_errors(p jsonb, p_field text, p_path text, p_required boolean) returns jsonb
language sql immutable set search_path = app, pg_temp as $$
  select case
    when p -> p_field is null or jsonb_typeof(p -> p_field) = 'null' then
      case when p_required then jsonb_build_array(app.field_error(p_path, 'required', 'Укажите дату'))
           else '[]'::jsonb end
    when jsonb_typeof(p -> p_field) <> 'string' or app.parse_date(p ->> p_field) is null then
      jsonb_build_array(app.field_error(p_path, 'invalid', 'Дата в формате ГГГГ-ММ-ДД'))
    else '[]'::jsonb
  end
$$;
grant execute on function app.execution_date_errors(jsonb,text,text,boolean) to orientir_committee, orientir_municipality;
comment on function app.execution_date_errors(jsonb, text, text, boolean) is
  'Field errors of a date: required, invalid (not a real YYYY-MM-DD)';

-- {kind, id, name} of an executor. committee/loiro: id is the region, name
-- the committee's or institute's; all_municipalities: id NULL. Names the
-- caller cannot see are NULL.
create or replace function app.executor_json(p_kind text, p_region_id bigint, p_municipality_id bigint, p_school_id bigint)
returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  return json_build_object(
    'kind', p_kind,
    'id', case p_kind when 'committee' then p_region_id when 'loiro' then p_region_id
                      when 'municipality' then p_municipality_id when 'school' then p_school_id end,
    'name', case p_kind
              when 'committee' then (select r.committee_name from app.regions r where r.id = p_region_id)
              when 'loiro' then (select r.institute_name from app.regions r where r.id = p_region_id)
              when 'all_municipalities' then 'Все муниципалитеты'
              when 'municipality' then (select m.name from app.municipalities m where m.id = p_municipality_id)
              when 'school' then (select s.short_name from app.schools s where s.id = p_school_id)
            end);
end
$$;
grant execute on function app.executor_json(text,bigint,bigint,bigint) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.executor_json(text, bigint, bigint, bigint) is 'An executor as the API shows it: {kind, id, name}';

-- Execution at a glance for the committee, ЛОИРО and municipalities (their
-- own records and their schools'): counts per document (p_by 'document') or
-- per executor (p_by 'executor'), optionally of one municipality.
-- {by, items: [{document: {id, kind, number, date, title} | executor: {kind,
-- id, name}, total, not_started, in_progress, done, accepted, returned,
-- overdue, due_soon}], totals: {…same counts}}. Documents newest first;
-- executors committee, ЛОИРО, municipalities by name, schools by name.
create or replace function app.execution_summary(p_by text, p_municipality_id bigint) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  if p_by is null or p_by not in ('document', 'executor') then
    perform app.raise_if_invalid(jsonb_build_array(app.field_error('by', 'invalid',
      'Группировка: document или executor')));
  end if;
  return (
    with recs as (
      select a.*, app.assignment_overdue(i.deadline, a.status) as overdue,
             app.assignment_due_soon(i.deadline, a.status) as due_soon
      from app.assignments a join app.document_items i on i.id = a.item_id
      where p_municipality_id is null or a.municipality_id = p_municipality_id
    ),
    grouped as (
      select case when p_by = 'document' then r.document_id end as document_id,
             case when p_by = 'executor' then r.executor_kind end as executor_kind,
             case when p_by = 'executor' then r.region_id end as region_id,
             case when p_by = 'executor' and r.executor_kind in ('municipality', 'school') then r.municipality_id end as municipality_id,
             case when p_by = 'executor' then r.school_id end as school_id,
             count(*) as total,
             count(*) filter (where r.status = 'not_started') as not_started,
             count(*) filter (where r.status = 'in_progress') as in_progress,
             count(*) filter (where r.status = 'done') as done,
             count(*) filter (where r.status = 'accepted') as accepted,
             count(*) filter (where r.status = 'returned') as returned,
             count(*) filter (where r.overdue) as overdue,
             count(*) filter (where r.due_soon) as due_soon
      from recs r
      group by 1, 2, 3, 4, 5
    ),
    named as (
      select g.*, d.kind, d.number, d.doc_date, d.title,
             app.executor_json(g.executor_kind, g.region_id, g.municipality_id, g.school_id) as executor
      from grouped g left join app.documents d on d.id = g.document_id
    )
    select json_build_object(
      'by', p_by,
      'items', coalesce((
        select json_agg(
                 case when p_by = 'document'
                      then json_build_object('document', json_build_object('id', n.document_id, 'kind', n.kind,
                                               'number', n.number, 'date', n.doc_date, 'title', n.title))
                      else json_build_object('executor', n.executor) end::jsonb
                 || jsonb_build_object('total', n.total, 'not_started', n.not_started,
                                       'in_progress', n.in_progress, 'done', n.done, 'accepted', n.accepted,
                                       'returned', n.returned, 'overdue', n.overdue, 'due_soon', n.due_soon)
                 order by n.doc_date desc nulls last, n.document_id desc,
                          array_position(array['committee', 'loiro', 'municipality', 'school'], n.executor_kind),
                          n.executor ->> 'name' collate app.ru, n.school_id)
        from named n), '[]'::json),
      'totals', (select json_build_object('total', count(*),
                          'not_started', count(*) filter (where status = 'not_started'),
                          'in_progress', count(*) filter (where status = 'in_progress'),
                          'done', count(*) filter (where status = 'done'),
                          'accepted', count(*) filter (where status = 'accepted'),
                          'returned', count(*) filter (where status = 'returned'),
                          'overdue', count(*) filter (where overdue),
                          'due_soon', count(*) filter (where due_soon))
                 from recs)));
end
$$;
grant execute on function app.execution_summary(text,bigint) to orientir_committee, orientir_loiro, orientir_municipality;
comment on function app.execution_summary(text, bigint) is
  'Committee, ЛОИРО, municipality: counts of visible execution records by document or by executor';

-- {kind: committee|municipality, id, name} of a document's issuer.
create or replace function app.document_issuer_json(p_region_id bigint, p_municipality_id bigint) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  return case when p_municipality_id is null
              then app.executor_json('committee', p_region_id, null, null)
              else app.executor_json('municipality', p_region_id, p_municipality_id, null) end;
end
$$;
grant execute on function app.document_issuer_json(bigint,bigint) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.document_issuer_json(bigint, bigint) is 'The issuer of a document: {kind, id, name}';

-- One item node: {id, number, content, deadline, deadline_text,
-- expected_result, overdue, due_soon, executors: [{kind, id, name}],
-- assignments: [{id, executor, status, overdue, due_soon}], version,
-- children}. The item's overdue/due_soon: any visible record is.
-- assignments: the records the caller sees, by executor.
create or replace function app.document_item_json(p_id bigint, p_children json) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  return (
    select json_build_object(
             'id', i.id, 'number', i.number, 'content', i.content,
             'deadline', i.deadline, 'deadline_text', i.deadline_text,
             'expected_result', i.expected_result,
             'overdue', coalesce(x.overdue, false), 'due_soon', coalesce(x.due_soon, false),
             'executors', coalesce((
               select json_agg(app.executor_json(e ->> 'kind', i.region_id, (e ->> 'id')::bigint,
                                                 (e ->> 'id')::bigint) order by e.ord)
               from jsonb_array_elements(i.executors) with ordinality e(e, ord)), '[]'::json),
             'assignments', coalesce(x.records, '[]'::json),
             'version', i.version,
             'children', coalesce(p_children, '[]'::json))
    from app.document_items i
    left join lateral (
      select bool_or(app.assignment_overdue(i.deadline, a.status)) as overdue,
             bool_or(app.assignment_due_soon(i.deadline, a.status)) as due_soon,
             json_agg(json_build_object(
                        'id', a.id,
                        'executor', app.executor_json(a.executor_kind, a.region_id, a.municipality_id, a.school_id),
                        'status', a.status,
                        'overdue', app.assignment_overdue(i.deadline, a.status),
                        'due_soon', app.assignment_due_soon(i.deadline, a.status))
                      order by array_position(array['committee', 'loiro', 'municipality', 'school'], a.executor_kind),
                               a.municipality_id, a.school_id) as records
      from app.assignments a where a.item_id = i.id) x on true
    where i.id = p_id);
end
$$;
grant execute on function app.document_item_json(bigint,json) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.document_item_json(bigint, json) is 'One item of a document with its executors and visible records';

-- The visible items of a document under p_parent_id (NULL: the top level),
-- each with its children, by number. An item's parent is the visible item
-- whose number is its longest proper prefix (2.1.3 → 2.1, or 2 when 2.1 is
-- missing).
create or replace function app.document_item_nodes(p_document_id bigint, p_parent_id bigint) returns json
language plpgsql stable set search_path = app, pg_temp as $$
declare
  v json;
begin
  with items as (
    select i.id, i.number_path from app.document_items i where i.document_id = p_document_id
  ),
  parented as (
    select x.id, x.number_path,
           (select y.id from items y
            where cardinality(y.number_path) < cardinality(x.number_path)
              and y.number_path = x.number_path[1:cardinality(y.number_path)]
            order by cardinality(y.number_path) desc limit 1) as parent_id
    from items x
  )
  select json_agg(app.document_item_json(p.id, app.document_item_nodes(p_document_id, p.id)) order by p.number_path)
  into v
  from parented p where p.parent_id is not distinct from p_parent_id;
  return coalesce(v, '[]'::json);
end
$$;
grant execute on function app.document_item_nodes(bigint,bigint) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.document_item_nodes(bigint, bigint) is 'The item tree of a document below one item (NULL: top level)';

-- The document as the API returns it, NULL when not visible (404):
-- {id, kind, number, date, title, project_id, project_title, issuer,
--  execution: {total, not_started, in_progress, done, accepted, returned,
--  overdue, due_soon} (of the records the caller sees), version, items: tree}
-- (items only when p_with_items).
create or replace function app.document_json(p_id bigint, p_with_items boolean) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  return (
    select json_build_object(
             'id', d.id, 'kind', d.kind, 'number', d.number, 'date', d.doc_date, 'title', d.title,
             'project_id', d.project_id, 'project_title', p.title,
             'issuer', app.document_issuer_json(d.region_id, d.municipality_id),
             'item_count', (select count(*) from app.document_items i where i.document_id = d.id),
             'execution', (
               select json_build_object('total', count(*),
                        'not_started', count(*) filter (where a.status = 'not_started'),
                        'in_progress', count(*) filter (where a.status = 'in_progress'),
                        'done', count(*) filter (where a.status = 'done'),
                        'accepted', count(*) filter (where a.status = 'accepted'),
                        'returned', count(*) filter (where a.status = 'returned'),
                        'overdue', count(*) filter (where app.assignment_overdue(i.deadline, a.status)),
                        'due_soon', count(*) filter (where app.assignment_due_soon(i.deadline, a.status)))
               from app.assignments a join app.document_items i on i.id = a.item_id
               where a.document_id = d.id),
             'attachments', app.attachments_json('document', d.id),
             'version', d.version)::jsonb
           || case when p_with_items
                   then jsonb_build_object('items', app.document_item_nodes(d.id, null))
                   else '{}'::jsonb end
    from app.documents d
    left join app.projects p on p.id = d.project_id
    where d.id = p_id)::json;
end
$$;
grant execute on function app.document_json(bigint,boolean) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.document_json(bigint, boolean) is 'A visible document (with its item tree when asked), NULL when not visible';

create or replace function app.document_get(p_id bigint) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  return app.document_json(p_id, true);
end
$$;
grant execute on function app.document_get(bigint) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.document_get(bigint) is 'Four roles: one visible document with its item tree, NULL when not visible';

-- Items as document_json without items, newest first (date desc, id desc),
-- or by p_sort: date, number, title, each also descending ('-title'), ties
-- in the default order. Filters (NULL: none): kind, project.
create or replace function app.documents_list(p_kind text, p_project_id bigint, p_limit integer, p_offset integer,
                                              p_sort text default null)
returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  select * into p_limit, p_offset
  from app.list_page(p_limit, p_offset, p_sort, array['date', 'number', 'title']);
  perform app.raise_if_invalid(app.one_of_errors('kind', p_kind,
                                                 array['order', 'decision', 'plan', 'letter', 'roadmap'], 'Допустимые виды'));
  return (
    with found as (
      select d.id, d.doc_date, d.number, d.title from app.documents d
      where (p_kind is null or d.kind = p_kind) and (p_project_id is null or d.project_id = p_project_id)
    )
    select app.page_json((select json_agg(app.document_json(f.id, false) order by f.pos)
                         from (select f.id, row_number() over (order by
                                        case p_sort when 'date' then f.doc_date end,
                                        case p_sort when 'number' then f.number end,
                                        case p_sort when '-number' then f.number end desc,
                                        case p_sort when 'title' then f.title end,
                                        case p_sort when '-title' then f.title end desc,
                                        f.doc_date desc, f.id desc) as pos
                               from found f
                               order by pos
                               limit p_limit offset p_offset) f),
      (select count(*) from found), p_limit, p_offset));
end
$$;
grant execute on function app.documents_list(text,bigint,integer,integer,text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.documents_list(text, bigint, integer, integer, text) is 'Four roles: visible documents, newest first or by p_sort';

-- Field errors of a document body (committee or municipality). p_create:
-- kind, number, date, title required. A municipality may only keep road
-- maps (kind roadmap, else kind not_allowed). project_id must be visible.
create or replace function app.document_errors(p jsonb, p_create boolean) returns jsonb
language plpgsql stable set search_path = app, pg_temp as $$
declare
  v_errors jsonb;
begin
  v_errors := app.type_errors(p, array['kind', 'number', 'title'], 'string')
           || app.type_errors(p, array['project_id'], 'integer');
  if jsonb_array_length(v_errors) > 0 then
    return v_errors;
  end if;
  if p_create or p ? 'kind' then
    if p ->> 'kind' is null then
      v_errors := v_errors || app.field_error('kind', 'required', 'Укажите вид документа');
    elsif p ->> 'kind' not in ('order', 'decision', 'plan', 'letter', 'roadmap') then
      v_errors := v_errors || app.field_error('kind', 'invalid', 'Допустимые виды: order, decision, plan, letter, roadmap');
    elsif app.claim_role() = 'municipality' and p ->> 'kind' <> 'roadmap' then
      v_errors := v_errors || app.field_error('kind', 'not_allowed',
        'Муниципалитет ведёт только муниципальную дорожную карту (roadmap)');
    end if;
  end if;
  if p_create or p ? 'number' then
    v_errors := v_errors || app.text_errors(p ->> 'number', 'number', true, 64);
  end if;
  if p_create or p ? 'date' then
    v_errors := v_errors || app.execution_date_errors(p, 'date', 'date', true);
  end if;
  if p_create or p ? 'title' then
    v_errors := v_errors || app.text_errors(p ->> 'title', 'title', true, 1000);
  end if;
  if p ->> 'project_id' is not null
     and not exists (select 1 from app.projects x where x.id = (p ->> 'project_id')::bigint) then
    v_errors := v_errors || app.field_error('project_id', 'not_found', 'Проект не найден');
  end if;
  return v_errors;
end
$$;
grant execute on function app.document_errors(jsonb,boolean) to orientir_committee, orientir_municipality;
comment on function app.document_errors(jsonb, boolean) is 'Committee, municipality: field errors of a document body';

-- Registers a document. Committee: any kind, issued by the committee of its
-- region. Municipality: a road map of its own (kind roadmap). p: {kind,
-- number, date, title, project_id?}. Returns document_get (no items yet).
create or replace function app.document_create(p jsonb) returns json
language plpgsql set search_path = app, pg_temp as $$
declare
  v_id bigint;
begin
  p := coalesce(p, '{}'::jsonb);
  perform app.raise_if_invalid(app.document_errors(p, true));
  insert into app.documents (region_id, municipality_id, kind, number, doc_date, title, project_id, created_by)
  values (app.claim_region_id(),
          case when app.claim_role() = 'municipality' then app.claim_municipality_id() end,
          p ->> 'kind', btrim(p ->> 'number'), (p ->> 'date')::date, btrim(p ->> 'title'),
          (p ->> 'project_id')::bigint, app.claim_user_id())
  returning id into v_id;
  return app.document_get(v_id);
end
$$;
grant execute on function app.document_create(jsonb) to orientir_committee, orientir_municipality;
comment on function app.document_create(jsonb) is
  'Committee (any kind), municipality (its own road map): register a document; audited';

-- Changes any of kind, number, date, title, project_id (null detaches the
-- project). OR404 not visible; OR403 visible but not the caller's to edit;
-- OR409 conflict.stale_version; OR422. Returns document_get.
create or replace function app.document_update(p_id bigint, p_version integer, p jsonb) returns json
language plpgsql set search_path = app, pg_temp as $$
declare
  v_old record;
begin
  p := coalesce(p, '{}'::jsonb);
  perform 1 from app.documents d where d.id = p_id;
  if not found then
    perform app.raise_not_found('Документ не найден');
  end if;
  select d.id, d.version into v_old from app.documents d
  where d.id = p_id
    and d.municipality_id is not distinct from case when app.claim_role() = 'municipality'
                                                    then app.claim_municipality_id() end
  for update;
  if not found then
    raise exception using errcode = 'OR403', message = 'Изменять документ может только выпустившая его организация',
      detail = 'auth.forbidden';
  end if;
  perform app.check_version(p_version, v_old.version);
  perform app.raise_if_invalid(app.document_errors(p, false));
  update app.documents d set
    kind = case when p ? 'kind' then p ->> 'kind' else d.kind end,
    number = case when p ? 'number' then btrim(p ->> 'number') else d.number end,
    doc_date = case when p ? 'date' then (p ->> 'date')::date else d.doc_date end,
    title = case when p ? 'title' then btrim(p ->> 'title') else d.title end,
    project_id = case when p ? 'project_id' then (p ->> 'project_id')::bigint else d.project_id end
  where d.id = p_id;
  return app.document_get(p_id);
end
$$;
grant execute on function app.document_update(bigint,integer,jsonb) to orientir_committee, orientir_municipality;
comment on function app.document_update(bigint, integer, jsonb) is
  'Committee, municipality: change a document they issued (If-Match via p_version); audited';

-- Adds items to a document the caller issued and creates their execution
-- records. p_items: array of {number, content, deadline?, deadline_text?,
-- expected_result?, executors: [{kind, id?}]}; error fields are named
-- '<p_prefix>[i].field' (p_prefix NULL: a single item, plain field names).
-- Numbers like 2.1.3 (a trailing dot is dropped), unique in the document
-- (taken) and in the batch (duplicate). deadline required when there are
-- executors or a deadline_text. Executors: committee, loiro,
-- all_municipalities (one record per municipality of the region),
-- municipality {id}, school {id} — in a municipal road map only the
-- municipality itself and its schools. Returns the new item ids, by number.
create or replace function app.document_items_insert(p_document_id bigint, p_items jsonb, p_prefix text) returns bigint[]
language plpgsql set search_path = app, pg_temp as $$
declare
  v_doc      record;
  v_errors   jsonb := '[]'::jsonb;
  v_item     jsonb;
  v_ord      integer;
  v_path     text;
  v_number   text;
  v_numbers  text[] := '{}';
  v_exec     jsonb;
  v_eord     integer;
  v_epath    text;
  v_kind     text;
  v_seen     text[];
  v_execs    jsonb;
  v_id       bigint;
  v_ids      bigint[] := '{}';
  v_mun      bigint;
begin
  select d.id, d.region_id, d.municipality_id into v_doc from app.documents d where d.id = p_document_id;
  if not found then
    perform app.raise_not_found('Документ не найден');
  end if;
  if v_doc.municipality_id is distinct from (case when app.claim_role() = 'municipality'
                                                  then app.claim_municipality_id() end)
     or app.claim_role() not in ('committee', 'municipality') then
    raise exception using errcode = 'OR403', message = 'Пункты добавляет только выпустившая документ организация',
      detail = 'auth.forbidden';
  end if;
  if jsonb_typeof(p_items) is distinct from 'array' or jsonb_array_length(p_items) = 0 then
    perform app.raise_if_invalid(jsonb_build_array(app.field_error(coalesce(p_prefix, 'items'), 'required',
      'Добавьте хотя бы один пункт')));
  end if;
  if jsonb_array_length(p_items) > 500 then
    perform app.raise_if_invalid(jsonb_build_array(app.field_error(p_prefix, 'too_many', 'Не больше 500 пунктов за раз')));
  end if;

  -- Validate everything first; store nothing unless every item is right.
  for v_item, v_ord in select e, o - 1 from jsonb_array_elements(p_items) with ordinality x(e, o) loop
    v_path := case when p_prefix is null then '' else format('%s[%s].', p_prefix, v_ord) end;
    if jsonb_typeof(v_item) <> 'object' then
      v_errors := v_errors || app.field_error(rtrim(v_path, '.'), 'invalid', 'Ожидается объект');
      continue;
    end if;
    select coalesce(jsonb_agg(app.field_error(v_path || (t ->> 'field'), t ->> 'code', t ->> 'message')), '[]'::jsonb)
    into v_execs
    from jsonb_array_elements(app.type_errors(v_item, array['number', 'content', 'deadline', 'deadline_text', 'expected_result'], 'string')
                              || app.type_errors(v_item, array['executors'], 'array')) t;
    if jsonb_array_length(v_execs) > 0 then
      v_errors := v_errors || v_execs;
      continue;
    end if;

    v_number := regexp_replace(btrim(coalesce(v_item ->> 'number', '')), '\.$', '');
    if v_number = '' then
      v_errors := v_errors || app.field_error(v_path || 'number', 'required', 'Укажите номер пункта');
    elsif v_number !~ '^[0-9]{1,3}(\.[0-9]{1,3}){0,5}$' then
      v_errors := v_errors || app.field_error(v_path || 'number', 'invalid', 'Номер пункта вида 1, 2.1 или 2.1.3');
    elsif v_number = any (v_numbers) then
      v_errors := v_errors || app.field_error(v_path || 'number', 'duplicate', format('Пункт %s указан дважды', v_number));
    elsif exists (select 1 from app.document_items i where i.document_id = p_document_id and i.number = v_number) then
      v_errors := v_errors || app.field_error(v_path || 'number', 'taken', format('Пункт %s уже есть в документе', v_number));
    end if;
    v_numbers := v_numbers || v_number;

    select coalesce(jsonb_agg(app.field_error(v_path || (t ->> 'field'), t ->> 'code', t ->> 'message')), '[]'::jsonb)
    into v_execs
    from jsonb_array_elements(app.text_errors(v_item ->> 'content', 'content', true, 4000)
                              || app.text_errors(v_item ->> 'deadline_text', 'deadline_text', false, 200)
                              || app.text_errors(v_item ->> 'expected_result', 'expected_result', false, 2000)
                              || app.execution_date_errors(v_item, 'deadline', 'deadline',
                                   jsonb_array_length(coalesce(nullif(v_item -> 'executors', 'null'::jsonb), '[]'::jsonb)) > 0
                                   or nullif(btrim(v_item ->> 'deadline_text'), '') is not null)) t;
    v_errors := v_errors || v_execs;

    v_seen := '{}';
    for v_exec, v_eord in select e, o - 1
                          from jsonb_array_elements(coalesce(nullif(v_item -> 'executors', 'null'::jsonb), '[]'::jsonb))
                               with ordinality x(e, o) loop
      v_epath := format('%sexecutors[%s]', v_path, v_eord);
      if jsonb_typeof(v_exec) <> 'object' or jsonb_typeof(v_exec -> 'kind') is distinct from 'string'
         or (v_exec ? 'id' and jsonb_typeof(v_exec -> 'id') not in ('number', 'null'))
         or (jsonb_typeof(v_exec -> 'id') = 'number' and (v_exec ->> 'id') !~ '^[0-9]{1,18}$') then
        v_errors := v_errors || app.field_error(v_epath, 'invalid', 'Исполнитель: {kind, id}');
        continue;
      end if;
      v_kind := v_exec ->> 'kind';
      if v_kind not in ('committee', 'loiro', 'all_municipalities', 'municipality', 'school') then
        v_errors := v_errors || app.field_error(v_epath || '.kind', 'invalid',
          'Исполнитель: committee, loiro, all_municipalities, municipality или school');
        continue;
      end if;
      if v_doc.municipality_id is not null and v_kind not in ('municipality', 'school') then
        v_errors := v_errors || app.field_error(v_epath || '.kind', 'not_allowed',
          'В муниципальной дорожной карте исполнители — сам муниципалитет или его школы');
        continue;
      end if;
      if v_kind in ('municipality', 'school') then
        if v_exec ->> 'id' is null then
          v_errors := v_errors || app.field_error(v_epath || '.id', 'required', 'Укажите организацию');
          continue;
        end if;
        if v_kind = 'municipality' and not exists (
             select 1 from app.municipalities m where m.id = (v_exec ->> 'id')::bigint and m.region_id = v_doc.region_id
               and (v_doc.municipality_id is null or m.id = v_doc.municipality_id)) then
          v_errors := v_errors || app.field_error(v_epath || '.id', 'not_found', 'Муниципалитет не найден');
          continue;
        end if;
        if v_kind = 'school' and not exists (
             select 1 from app.schools s join app.municipalities m on m.id = s.municipality_id
             where s.id = (v_exec ->> 'id')::bigint and m.region_id = v_doc.region_id
               and (v_doc.municipality_id is null or s.municipality_id = v_doc.municipality_id)) then
          v_errors := v_errors || app.field_error(v_epath || '.id', 'not_found', 'Школа не найдена');
          continue;
        end if;
      elsif v_exec ->> 'id' is not null then
        v_errors := v_errors || app.field_error(v_epath || '.id', 'must_be_empty',
          'Для этого исполнителя организацию указывать не нужно');
        continue;
      end if;
      -- all_municipalities and a named municipality would be the same record.
      if (v_kind || ':' || coalesce(v_exec ->> 'id', '')) = any (v_seen)
         or (v_kind = 'municipality' and 'all_municipalities:' = any (v_seen))
         or (v_kind = 'all_municipalities' and exists (select 1 from unnest(v_seen) s where s like 'municipality:%')) then
        v_errors := v_errors || app.field_error(v_epath, 'duplicate', 'Исполнитель указан дважды');
        continue;
      end if;
      v_seen := v_seen || (v_kind || ':' || coalesce(v_exec ->> 'id', ''));
    end loop;
  end loop;
  perform app.raise_if_invalid(v_errors);

  -- Store the items and their records.
  for v_item in select e from jsonb_array_elements(p_items) x(e) loop
    v_number := regexp_replace(btrim(v_item ->> 'number'), '\.$', '');
    select coalesce(jsonb_agg(jsonb_build_object('kind', e ->> 'kind', 'id', (e ->> 'id')::bigint) order by o), '[]'::jsonb)
    into v_execs
    from jsonb_array_elements(coalesce(nullif(v_item -> 'executors', 'null'::jsonb), '[]'::jsonb)) with ordinality x(e, o);
    insert into app.document_items (document_id, region_id, number, content, deadline, deadline_text,
                                    expected_result, executors)
    values (p_document_id, v_doc.region_id, v_number, btrim(v_item ->> 'content'),
            (v_item ->> 'deadline')::date, nullif(btrim(v_item ->> 'deadline_text'), ''),
            nullif(btrim(v_item ->> 'expected_result'), ''), v_execs)
    returning id into v_id;
    v_ids := v_ids || v_id;

    insert into app.assignments (region_id, document_id, item_id, executor_kind, municipality_id, school_id, assigned_as)
    select v_doc.region_id, p_document_id, v_id, e.kind, e.municipality_id, e.school_id, e.assigned_as
    from (
      select x ->> 'kind' as kind, null::bigint as municipality_id, null::bigint as school_id, null::text as assigned_as
      from jsonb_array_elements(v_execs) x where x ->> 'kind' in ('committee', 'loiro')
      union all
      select 'municipality', (x ->> 'id')::bigint, null, null
      from jsonb_array_elements(v_execs) x where x ->> 'kind' = 'municipality'
      union all
      select 'school', s.municipality_id, s.id, null
      from jsonb_array_elements(v_execs) x join app.schools s on s.id = (x ->> 'id')::bigint
      where x ->> 'kind' = 'school'
      union all
      select 'municipality', m.id, null, 'all_municipalities'
      from jsonb_array_elements(v_execs) x join app.municipalities m on m.region_id = v_doc.region_id
      where x ->> 'kind' = 'all_municipalities'
    ) e;
  end loop;
  return v_ids;
end
$$;
grant execute on function app.document_items_insert(bigint,jsonb,text) to orientir_committee, orientir_municipality;
comment on function app.document_items_insert(bigint, jsonb, text) is
  'Committee, municipality: validate and store items of a document they issued with their execution records; audited';

-- One item: p as an element of document_items_insert. Returns the item
-- node (document_item_json, no children).
create or replace function app.document_item_create(p_document_id bigint, p jsonb) returns json
language plpgsql set search_path = app, pg_temp as $$
declare
  v_ids bigint[];
begin
  v_ids := app.document_items_insert(p_document_id, jsonb_build_array(coalesce(p, '{}'::jsonb)), null);
  return app.document_item_json(v_ids[1], null);
end
$$;
grant execute on function app.document_item_create(bigint,jsonb) to orientir_committee, orientir_municipality;
comment on function app.document_item_create(bigint, jsonb) is
  'Committee, municipality: add one item with its executors to a document they issued; audited';

-- Items pasted in bulk: p_items is the array (fields named items[i].…).
-- All or nothing. Returns document_get.
create or replace function app.document_items_create(p_document_id bigint, p_items jsonb) returns json
language plpgsql set search_path = app, pg_temp as $$
begin
  perform app.document_items_insert(p_document_id, p_items, 'items');
  return app.document_get(p_document_id);
end
$$;
grant execute on function app.document_items_create(bigint,jsonb) to orientir_committee, orientir_municipality;
comment on function app.document_items_create(bigint, jsonb) is
  'Committee, municipality: add many items at once (all or nothing); audited';

reset role;
