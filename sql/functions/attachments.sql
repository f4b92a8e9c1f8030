-- Files attached to objects (0070_attachments): their JSON, attaching, removing and the
-- download's check. The API stores the bytes (content-addressed, by sha256) and calls these
-- with the metadata; the rules of who may attach where live here.
-- Function file (see shared.sql for how function files are applied).

set local role orientir_owner;

-- One attachment as the API shows it: {id, name, size, content_type, sha256, created_at,
-- created_by: {id, full_name, role, organisation_name}}.
create or replace function app.attachment_json(a app.attachments) returns json
language sql stable as $$
  select pg_catalog.json_build_object(
    'id', a.id, 'name', a.name, 'size', a.size, 'content_type', a.content_type, 'sha256', a.sha256,
    'created_at', a.created_at,
    'created_by', pg_catalog.json_build_object('id', a.created_by, 'full_name', a.created_by_name,
                                               'role', a.created_by_role,
                                               'organisation_name', a.created_by_organisation))
$$;
grant execute on function app.attachment_json(app.attachments)
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.attachment_json(app.attachments) is 'Internal: one attachment''s JSON';

-- The files of one object the caller sees, oldest first: p_kind assignment, program, measure,
-- answer (p_id the submission, p_indicator_id the indicator), document or practice.
-- Plain SQL without a SET clause, so that it is inlined into the object's query.
create or replace function app.attachments_json(p_kind text, p_id bigint, p_indicator_id bigint default null)
returns json
language sql stable as $$
  select coalesce(pg_catalog.json_agg(app.attachment_json(a) order by a.created_at, a.id), '[]'::json)
  from app.attachments a
  where a.object_kind = p_kind
    and case p_kind
          when 'assignment' then a.assignment_id = p_id
          when 'program' then a.program_id = p_id
          when 'measure' then a.measure_id = p_id
          when 'answer' then a.submission_id = p_id and a.indicator_id = p_indicator_id
          when 'document' then a.document_id = p_id
          when 'practice' then a.practice_id = p_id
        end
$$;
grant execute on function app.attachments_json(text, bigint, bigint)
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.attachments_json(text, bigint, bigint) is
  'Internal: the visible, not removed files of one object as a JSON array';

-- The caller's organisation as attachments.organisation names it.
create or replace function app.claim_organisation() returns text
language sql stable as $$
  select case app.claim_role()
    when 'committee' then 'committee:' || app.claim_region_id()
    when 'loiro' then 'loiro:' || app.claim_region_id()
    when 'municipality' then 'municipality:' || app.claim_municipality_id()
    when 'school' then 'school:' || app.claim_school_id()
  end
$$;
grant execute on function app.claim_organisation()
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.claim_organisation() is 'Internal: the caller''s organisation, e.g. school:12';

-- Whether the caller sees the object (under the row-level security of its table): invoker.
-- PL/pgSQL, not SQL: a SQL function called from PL/pgSQL as a simple expression keeps its
-- plan — and the RLS policies of the role it was planned for — for the whole transaction,
-- even after SET ROLE; PL/pgSQL's own plans are re-planned for another role.
create or replace function app.attachment_object_visible(p_kind text, p_id bigint) returns boolean
language plpgsql stable set search_path = app, pg_temp as $$
begin
  return case p_kind
    when 'assignment' then exists (select 1 from app.assignments a where a.id = p_id)
    when 'program' then exists (select 1 from app.programs p where p.id = p_id)
    when 'measure' then exists (select 1 from app.program_measures m where m.id = p_id)
    when 'answer' then exists (select 1 from app.submissions s where s.id = p_id)
    when 'document' then exists (select 1 from app.documents d where d.id = p_id)
    when 'practice' then exists (select 1 from app.practices p where p.id = p_id)
    else false end;
end
$$;
grant execute on function app.attachment_object_visible(text, bigint)
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.attachment_object_visible(text, bigint) is 'Internal: the caller sees this object (RLS)';

-- Who may change an object's files, and whether it may change now. Locks the object; OR404
-- for an object (or a measure of another program, an indicator of another instrument) that
-- does not exist; OR403 when the caller's organisation does not change this object; OR409
-- conflict.state when the object is not editable now (p_removing: the removal rule, which is
-- stricter for programs). Every rule names the caller's own organisation, so it never lets
-- through an object the caller cannot see. Returns the organisation that owns the object
-- (the quota's), its region and, for a program's or a measure's files, the program.
create or replace function app.attachment_owner(p_kind text, p_id bigint, p_sub_id bigint, p_removing boolean,
                                                out organisation text, out region_id bigint, out program_id bigint)
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v_role text := app.claim_role();
  a      app.assignments;
  p      app.programs;
  s      record;
  d      app.documents;
  pr     app.practices;
begin
  case p_kind
  when 'assignment' then
    select * into a from app.assignments x where x.id = p_id for update;
    if not found then perform app.raise_not_found('Поручение не найдено'); end if;
    if not app.assignment_is_mine(a) then
      perform app.raise_problem('OR403', 'auth.forbidden', 'Прикреплять файлы к отчёту может только исполнитель поручения');
    end if;
    if a.status = 'accepted' then
      perform app.raise_conflict_state('Отчёт уже принят: поручение закрыто');
    end if;
    organisation := case a.executor_kind when 'school' then 'school:' || a.school_id
                                         when 'municipality' then 'municipality:' || a.municipality_id
                                         else a.executor_kind || ':' || a.region_id end;
    region_id := a.region_id;
  when 'program', 'measure' then
    select * into p from app.programs x
    where x.id = case p_kind when 'program' then p_id
                             else (select m.program_id from app.program_measures m
                                   where m.id = p_id and (p_sub_id is null or m.program_id = p_sub_id)) end
    for update;
    if not found then
      perform app.raise_not_found(case p_kind when 'program' then 'Программа не найдена' else 'Мероприятие не найдено' end);
    end if;
    if v_role is distinct from 'school' or p.school_id is distinct from app.claim_school_id() then
      perform app.raise_problem('OR403', 'auth.forbidden', 'Прикреплять файлы к программе может только школа');
    end if;
    if p_kind = 'measure' then
      if p.status <> 'approved' then
        perform app.raise_conflict_state('Файлы о ходе выполнения прикрепляются к мероприятиям утверждённой программы');
      end if;
    elsif p_removing or p.status <> 'approved' then
      -- The signed PDF exists only after approval: an approved program takes new files,
      -- but only a draft or a returned one lets them go.
      perform app.program_check_editable(p.status);
    end if;
    organisation := 'school:' || p.school_id;
    region_id := p.region_id;
    program_id := p.id;
  when 'answer' then
    select * into s from app.submission_locked(p_id);
    if not found or not exists (select 1 from app.indicators x where x.id = p_sub_id and x.instrument_id = s.instrument_id) then
      perform app.raise_not_found(case when s.id is null then 'Анкета не найдена' else 'В анкете нет такого показателя' end);
    end if;
    if v_role is distinct from 'school' or s.school_id is distinct from app.claim_school_id() then
      perform app.raise_problem('OR403', 'auth.forbidden', 'Прикреплять файлы к ответам может только школа');
    end if;
    perform app.check_school_may_edit(s.status, s.opens_on, s.closes_on);
    organisation := 'school:' || s.school_id;
    region_id := s.region_id;
  when 'document' then
    select * into d from app.documents x where x.id = p_id for update;
    if not found then perform app.raise_not_found('Документ не найден'); end if;
    if not coalesce(case v_role
                      when 'committee' then d.municipality_id is null and d.region_id = app.claim_region_id()
                      when 'municipality' then d.municipality_id = app.claim_municipality_id()
                    end, false) then
      perform app.raise_problem('OR403', 'auth.forbidden', 'Прикреплять файлы к документу может только выпустившая его организация');
    end if;
    organisation := coalesce('municipality:' || d.municipality_id, 'committee:' || d.region_id);
    region_id := d.region_id;
  when 'practice' then
    select * into pr from app.practices x where x.id = p_id for update;
    if not found then perform app.raise_not_found('Практика не найдена'); end if;
    if v_role is distinct from 'loiro' or pr.region_id is distinct from app.claim_region_id() then
      perform app.raise_problem('OR403', 'auth.forbidden', 'Прикреплять файлы к практикам может только ЛОИРО');
    end if;
    organisation := 'loiro:' || pr.region_id;
    region_id := pr.region_id;
  end case;
end
$$;
comment on function app.attachment_owner(text, bigint, bigint, boolean) is
  'Internal: lock an object, check that the caller may change its files now, and name its owner';

-- Stores the metadata of a file the API has received (and will keep by p_sha256) on an
-- object: OR404 when the caller does not see the object; OR403 / OR409 as attachment_owner;
-- OR415 file.type_not_allowed when p_content_type is NULL (the API found no allowed type);
-- OR422 file.quota_exceeded when the owner's files would pass p_quota bytes. Audited; a
-- program's history records it. Returns the attachment.
create or replace function app.attachment_add(p_kind text, p_id bigint, p_sub_id bigint, p_name text, p_size bigint,
                                              p_content_type text, p_sha256 text, p_quota bigint)
returns json
language plpgsql set search_path = app, pg_temp as $$
begin
  if not app.attachment_object_visible(p_kind, p_id) then
    perform app.raise_not_found(case p_kind when 'assignment' then 'Поручение не найдено'
                                            when 'program' then 'Программа не найдена'
                                            when 'measure' then 'Мероприятие не найдено'
                                            when 'answer' then 'Анкета не найдена'
                                            when 'document' then 'Документ не найден'
                                            else 'Практика не найдена' end);
  end if;
  return app.attachment_insert(p_kind, p_id, p_sub_id, p_name, p_size, p_content_type, p_sha256, p_quota);
end
$$;
grant execute on function app.attachment_add(text, bigint, bigint, text, bigint, text, text, bigint)
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.attachment_add(text, bigint, bigint, text, bigint, text, text, bigint) is
  'Four roles: attach a received file to an object the caller may change (POST …/attachments); audited';

create or replace function app.attachment_insert(p_kind text, p_id bigint, p_sub_id bigint, p_name text, p_size bigint,
                                                 p_content_type text, p_sha256 text, p_quota bigint)
returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  o      record;
  v_used bigint;
  v_user jsonb := app.user_json(app.claim_user_id())::jsonb;
  v      app.attachments;
begin
  select * into o from app.attachment_owner(p_kind, p_id, p_sub_id, false);
  if p_content_type is null then
    perform app.raise_problem('OR415', 'file.type_not_allowed',
                              'Этот тип файла нельзя прикрепить: допустимы PDF, DOCX, XLSX, ODT, ODS, JPEG и PNG');
  end if;
  select coalesce(sum(a.size), 0) into v_used
  from app.attachments a where a.organisation = o.organisation and a.removed_at is null;
  if v_used + p_size > p_quota then
    perform app.raise_problem('OR422', 'file.quota_exceeded', format('Превышен объём файлов организации: занято %s МиБ из %s МиБ, файл — %s МиБ',
                       round(v_used / 1048576.0, 1), round(p_quota / 1048576.0, 1), round(p_size / 1048576.0, 1)));
  end if;
  insert into app.attachments (region_id, object_kind, assignment_id, program_id, measure_id, submission_id,
                               indicator_id, document_id, practice_id, organisation, name, size, content_type,
                               sha256, created_by, created_by_name, created_by_role, created_by_organisation)
  values (o.region_id, p_kind,
          case p_kind when 'assignment' then p_id end, o.program_id,
          case p_kind when 'measure' then p_id end,
          case p_kind when 'answer' then p_id end, case p_kind when 'answer' then p_sub_id end,
          case p_kind when 'document' then p_id end, case p_kind when 'practice' then p_id end,
          o.organisation, btrim(p_name), p_size, p_content_type, p_sha256,
          app.claim_user_id(), v_user ->> 'full_name', app.claim_role(), v_user ->> 'organisation_name')
  returning * into v;
  perform app.audit_write('attach', 'attachments', v.id, null, to_jsonb(v));
  if o.program_id is not null then
    perform app.program_event(o.program_id, 'attach', (select p.status from app.programs p where p.id = o.program_id),
                              v.name);
  end if;
  return app.attachment_json(v);
end
$$;
grant execute on function app.attachment_insert(text, bigint, bigint, text, bigint, text, text, bigint)
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.attachment_insert(text, bigint, bigint, text, bigint, text, text, bigint) is
  'Internal (of attachment_add, after its visibility check): the owner''s checks, the quota, the row, the audit';

-- Removes a file from its object (DELETE /attachments/{id}): OR404 when the caller does not
-- see it; OR403 / OR409 as attachment_owner. The row stays (removed_at) for the history and
-- the audit; the bytes stay in the store (other objects may hold the same file).
create or replace function app.attachment_remove(p_id bigint) returns void
language plpgsql set search_path = app, pg_temp as $$
begin
  if not exists (select 1 from app.attachments a where a.id = p_id) then
    perform app.raise_not_found('Файл не найден');
  end if;
  perform app.attachment_detach(p_id);
end
$$;
grant execute on function app.attachment_remove(bigint)
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.attachment_remove(bigint) is
  'Four roles: remove a visible file from an object the caller may change; audited';

create or replace function app.attachment_detach(p_id bigint) returns void
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v     app.attachments;
  v_new app.attachments;
  o     record;
begin
  select * into v from app.attachments a where a.id = p_id and a.removed_at is null for update;
  if not found then
    perform app.raise_not_found('Файл не найден');
  end if;
  select * into o from app.attachment_owner(v.object_kind,
                                            coalesce(v.assignment_id, v.measure_id, v.program_id, v.submission_id,
                                                     v.document_id, v.practice_id),
                                            v.indicator_id, true);
  update app.attachments a set removed_at = now(), removed_by = app.claim_user_id()
  where a.id = p_id returning * into v_new;
  perform app.audit_write('detach', 'attachments', p_id, to_jsonb(v), to_jsonb(v_new));
  if o.program_id is not null then
    perform app.program_event(o.program_id, 'detach', (select p.status from app.programs p where p.id = o.program_id),
                              v.name);
  end if;
end
$$;
grant execute on function app.attachment_detach(bigint)
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.attachment_detach(bigint) is
  'Internal (of attachment_remove, after its visibility check): the owner''s checks, the mark, the audit';

-- What the API needs to let the web server send a file the caller sees (GET
-- /attachments/{id}): {name, size, content_type, sha256}; NULL when not visible. A read by
-- anyone outside the owning organisation is audited (files may hold personal data).
create or replace function app.attachment_get(p_id bigint) returns json
language plpgsql set search_path = app, pg_temp as $$
declare
  v app.attachments;
begin
  select * into v from app.attachments a where a.id = p_id;
  if not found then
    return null;
  end if;
  if v.organisation is distinct from app.claim_organisation() then
    perform app.attachment_read_audit(p_id);
  end if;
  return json_build_object('name', v.name, 'size', v.size, 'content_type', v.content_type, 'sha256', v.sha256);
end
$$;
grant execute on function app.attachment_get(bigint)
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.attachment_get(bigint) is
  'Four roles: a visible file''s name, size, type and digest for its download; audited when read from outside its organisation';

create or replace function app.attachment_read_audit(p_id bigint) returns void
language sql security definer set search_path = app, pg_temp as $$
  select app.audit_write('read', 'attachments', p_id, null, null)
$$;
grant execute on function app.attachment_read_audit(bigint)
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.attachment_read_audit(bigint) is 'Internal: audit one read of a file';
