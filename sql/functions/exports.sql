-- Rows of the XLSX/CSV exports of the monitoring summaries.
-- Function file (see shared.sql for how function files are applied).

set local role orientir_owner;

-- The caller's scope over a campaign (app.report_scope) for an export:
-- OR404 not_found when the campaign is not visible.
create or replace function app.export_scope(p_campaign_id bigint)
returns table (campaign_id bigint, region_id bigint, municipality_id bigint)
language plpgsql stable set search_path = app, pg_temp as $$
begin
  return query select * from app.report_scope(p_campaign_id);
  if not found then
    perform app.raise_not_found('Кампания не найдена');
  end if;
end
$$;
comment on function app.export_scope(bigint) is
  'Internal: app.report_scope of a campaign, OR404 not_found when not visible';

-- A text cell of an export. In a CSV export (the API sets orientir.report_csv
-- to 'on' for it) text that a spreadsheet would take for a formula — starting
-- with =, +, -, @, a tab or a carriage return — gets a leading apostrophe
-- (OWASP "CSV injection"); numbers are never text here, so they stay numbers.
-- XLSX stores text as strings, so its cells go out as they are.
create or replace function app.export_text(p_text text) returns text
language sql stable set search_path = app, pg_temp as $$
  select case when p_text ~ '^[-=+@\t\r]' and current_setting('orientir.report_csv', true) = 'on'
              then '''' || p_text else p_text end
$$;
comment on function app.export_text(text) is
  'Internal: a text cell of an export; in a CSV export, formula-like text gets a leading apostrophe';

-- A percentage cell of an export, from a fraction (0.3 = 30 %). The XLSX takes the fraction
-- (its cell format shows «30,0 %»); a CSV export (orientir.report_decimal set by the API)
-- takes 0–100 with one decimal, with a decimal comma beside semicolons ('comma': «30,0», as
-- Russian Excel reads a number) or a point beside commas ('point': «30.0»).
create or replace function app.export_percent(p_fraction numeric) returns text
language sql stable set search_path = app, pg_temp as $$
  select case current_setting('orientir.report_decimal', true)
           when 'comma' then replace(to_char(round(p_fraction * 100, 1), 'FM99999990.0'), '.', ',')
           when 'point' then to_char(round(p_fraction * 100, 1), 'FM99999990.0')
           else round(p_fraction, 4)::text
         end
$$;
comment on function app.export_percent(numeric) is
  'Internal: a percentage cell of an export — a fraction for XLSX, 0–100 with one decimal and the CSV''s decimal mark for CSV';

-- Begins an export of a campaign's summary: p_kind 'summary', p_format 'xlsx'
-- or 'csv'. OR404 when the campaign is not visible (checked first), then
-- OR422 fields kind / format. Writes the audit row (action export, entity
-- reports, entity_id the campaign, after {kind, format}) and returns the
-- «Параметры» sheet: {rows: [[label, value], …], filename} — «Кампания»,
-- «Сроки», «Охват» (the region's or the municipality's name), «Выгрузил»
-- (full name, organisation), «Дата выгрузки» (ДД.ММ.ГГГГ ЧЧ:ММ, Moscow);
-- filename orientir-summary-<campaign id>-<YYYYMMDD-HHMM> (ASCII, Moscow
-- time, no extension).
create or replace function app.report_export_begin(p_kind text, p_campaign_id bigint, p_format text) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v      record;
  v_c    record;
  v_user jsonb;
  v_now  timestamp := now() at time zone 'Europe/Moscow';
begin
  select * into v from app.export_scope(p_campaign_id);
  perform app.raise_if_invalid(
    case when p_kind is distinct from 'summary'
         then jsonb_build_array(app.field_error('kind', 'invalid', 'Допустимая выгрузка: summary'))
         else '[]'::jsonb end
    || case when p_format is null or p_format not in ('xlsx', 'csv')
            then jsonb_build_array(app.field_error('format', 'invalid', 'Допустимые форматы: xlsx, csv'))
            else '[]'::jsonb end);

  select c.id, c.title, c.opens_on, c.closes_on, r.name as region_name, m.name as municipality_name
  into v_c
  from app.campaigns c
  join app.regions r on r.id = c.region_id
  left join app.municipalities m on m.id = v.municipality_id
  where c.id = v.campaign_id;
  v_user := app.user_json(app.claim_user_id())::jsonb;

  perform app.audit_write('export', 'reports', v.campaign_id, null,
                          jsonb_build_object('kind', p_kind, 'format', p_format));
  return json_build_object(
    'rows', json_build_array(
      json_build_array('Кампания', v_c.title),
      json_build_array('Сроки', to_char(v_c.opens_on, 'DD.MM.YYYY') || ' — ' || to_char(v_c.closes_on, 'DD.MM.YYYY')),
      json_build_array('Охват', coalesce(v_c.municipality_name, v_c.region_name)),
      json_build_array('Выгрузил', concat_ws(', ', v_user ->> 'full_name', v_user ->> 'organisation_name')),
      json_build_array('Дата выгрузки', to_char(v_now, 'DD.MM.YYYY HH24:MI'))),
    'filename', format('orientir-%s-%s-%s', p_kind, v.campaign_id, to_char(v_now, 'YYYYMMDD-HH24MI')));
end
$$;
grant execute on function app.report_export_begin(text,bigint,text) to orientir_committee, orientir_loiro, orientir_municipality;
comment on function app.report_export_begin(text, bigint, text) is
  'Committee, ЛОИРО, municipality: audit an export of a visible campaign''s summary and return its «Параметры» sheet';

-- «Сводка по МО»: a row per municipality of the scope (zeros included, by
-- name), then «Итого» — the counters of report_summary as columns.
create or replace function app.report_municipality_rows(p_campaign_id bigint)
returns table ("Муниципалитет" text, "Школ в кампании" integer, "Не начали" integer, "Заполняют" integer,
               "На проверке" integer, "Приняты" integer, "Возвращены" integer, "Доля принятых %" text,
               "Ниже базового" integer, "Базовый" integer, "Средний" integer, "Высокий" integer,
               "Средний результат %" text, "Сравнимы с прошлой кампанией" integer,
               "Уровень повысился" integer, "Уровень понизился" integer, "Уровень не изменился" integer,
               "Нужна программа" integer, "Программа не начата" integer, "Программ в черновике" integer,
               "Программ на согласовании" integer, "Программ возвращено" integer,
               "Программ утверждено" integer, "Мероприятий всего" integer, "Мероприятий выполнено" integer,
               "Мероприятий просрочено" integer, "Поручений всего" integer, "Поручений на проверке" integer,
               "Поручений принято" integer, "Поручений просрочено" integer)
language plpgsql stable security definer set search_path = app, pg_temp as $$
declare
  v record;
begin
  select * into v from app.export_scope(p_campaign_id);
  return query
    select app.export_text(coalesce(r.name, 'Итого'::text)), r.schools, r.not_started, r.in_progress, r.submitted, r.accepted,
           r.returned, app.export_percent(r.accepted::numeric / nullif(r.schools, 0)),
           r.below_basic, r.basic, r.medium, r.high, app.export_percent(r.mean_percent / 100),
           r.compared, r.rose, r.fell, r.same,
           r.programs_needed, r.programs_not_started, r.programs_draft, r.programs_submitted,
           r.programs_returned, r.programs_approved, r.measures_total, r.measures_done, r.measures_overdue,
           r.execution_total, r.execution_done, r.execution_accepted, r.execution_overdue
    from app.report_counters(v.campaign_id, v.region_id, v.municipality_id, true) r;
end
$$;
grant execute on function app.report_municipality_rows(bigint) to orientir_committee, orientir_loiro, orientir_municipality;
comment on function app.report_municipality_rows(bigint) is
  'Committee, ЛОИРО, municipality: «Сводка по МО» — the counters per municipality of a visible campaign, then «Итого»';

-- «Школы»: every targeted school of the scope, by municipality name, short
-- name (as report_schools, without paging).
create or replace function app.report_school_rows(p_campaign_id bigint)
returns table ("Муниципалитет" text, "Код школы" text, "Школа" text, "Статус анкеты" text, "Баллы" integer,
               "Максимум баллов" integer, "Результат %" numeric, "Уровень" text,
               "Уровень в прошлой кампании" text, "Динамика" text, "Дефицитов" integer, "Зон роста" integer,
               "Программа развития" text, "Мероприятий всего" integer, "Мероприятий выполнено" integer,
               "Мероприятий просрочено" integer)
language plpgsql stable security definer set search_path = app, pg_temp as $$
declare
  v record;
begin
  select * into v from app.export_scope(p_campaign_id);
  return query
    select m.name::text, f.code, f.short_name::text, app.report_label('submission', f.status),
           f.total_points, f.max_points, round(f.total_points::numeric / nullif(f.max_points, 0), 4),
           app.report_label('level', f.level), app.report_label('level', f.previous_level),
           app.report_label('change', f.change), f.deficits, f.growth,
           app.report_label('program', f.program_status), f.measures_total, f.measures_done, f.measures_overdue
    from app.report_school_facts(v.campaign_id, v.region_id, v.municipality_id) f
    join app.municipalities m on m.id = f.municipality_id
    order by m.name, m.id, f.short_name, f.school_id;
end
$$;
grant execute on function app.report_school_rows(bigint) to orientir_committee, orientir_loiro, orientir_municipality;
comment on function app.report_school_rows(bigint) is
  'Committee, ЛОИРО, municipality: «Школы» — every targeted school of a visible campaign in the scope';

-- «Дефициты»: the indicator codes with a deficit or growth row over the
-- accepted submissions of the scope (as report_deficits).
create or replace function app.report_deficit_rows(p_campaign_id bigint)
returns table ("Код показателя" text, "Показатель" text, "Код направления" text, "Направление" text,
               "Критический" text, "Школ с дефицитом" integer, "Школ с зоной роста" integer,
               "Доля школ с дефицитом %" numeric, "Дефицитов открыто" integer, "Дефицитов в работе" integer,
               "Дефицитов устранено" integer, "Дефицитов закрыто" integer)
language plpgsql stable security definer set search_path = app, pg_temp as $$
declare
  v record;
begin
  select * into v from app.export_scope(p_campaign_id);
  return query
    select f.indicator_code, f.indicator_text, f.direction_code, f.direction_title::text,
           case when f.critical then 'да' else 'нет' end, f.deficit_schools, f.growth_schools, f.share,
           f.state_open, f.state_in_work, f.state_eliminated, f.state_closed
    from app.report_deficit_facts(v.campaign_id, v.region_id, v.municipality_id) f;
end
$$;
grant execute on function app.report_deficit_rows(bigint) to orientir_committee, orientir_loiro, orientir_municipality;
comment on function app.report_deficit_rows(bigint) is
  'Committee, ЛОИРО, municipality: «Дефициты» — deficits by indicator code over the accepted submissions of the scope';

-- «Программы»: a row per school of the scope with an accepted submission that
-- needs a program (a deficit-kind row) or has one — its current program
-- («Не начата» without one), by municipality name, short name.
create or replace function app.report_program_rows(p_campaign_id bigint)
returns table ("Муниципалитет" text, "Код школы" text, "Школа" text, "Дефицитов" integer,
               "Статус программы" text, "Редакция" integer, "Начало периода" date, "Окончание периода" date,
               "Мероприятий всего" integer, "Мероприятий выполнено" integer, "Мероприятий просрочено" integer)
language plpgsql stable security definer set search_path = app, pg_temp as $$
declare
  v record;
begin
  select * into v from app.export_scope(p_campaign_id);
  return query
    select m.name::text, f.code, f.short_name::text, f.deficits,
           app.report_label('program', coalesce(f.program_status, 'not_started')), f.program_revision,
           f.period_start, f.period_end, f.measures_total, f.measures_done, f.measures_overdue
    from app.report_school_facts(v.campaign_id, v.region_id, v.municipality_id) f
    join app.municipalities m on m.id = f.municipality_id
    where f.accepted_id is not null and (f.deficits > 0 or f.program_id is not null)
    order by m.name, m.id, f.short_name, f.school_id;
end
$$;
grant execute on function app.report_program_rows(bigint) to orientir_committee, orientir_loiro, orientir_municipality;
comment on function app.report_program_rows(bigint) is
  'Committee, ЛОИРО, municipality: «Программы» — the current program of each school of a visible campaign that needs or has one';

-- «Исполнение»: the execution records of the scope (not campaign-bound) —
-- the committee and ЛОИРО every record of the region, a municipality the
-- records of itself and its schools — newest document first, then item
-- number, executor. Overdue as app.assignment_overdue (Moscow today).
create or replace function app.report_execution_rows()
returns table ("Вид документа" text, "Номер документа" text, "Дата документа" date, "Документ" text,
               "Пункт" text, "Содержание" text, "Срок" date, "Срок по документу" text, "Исполнитель" text,
               "Муниципалитет" text, "Статус" text, "Просрочено" text, "Дата отчёта" date, "Отчёт" text)
language plpgsql stable security definer set search_path = app, pg_temp as $$
declare
  v_region       bigint := app.claim_region_id();
  v_municipality bigint := case when app.claim_role() = 'municipality' then app.claim_municipality_id() end;
begin
  if app.claim_role() is null or app.claim_role() not in ('committee', 'loiro', 'municipality')
     or (app.claim_role() = 'municipality' and v_municipality is null) then
    perform app.raise_not_found('Не найдено');
  end if;
  return query
    select app.report_label('document', d.kind), d.number, d.doc_date, d.title::text, i.number, i.content,
           i.deadline, i.deadline_text,
           case a.executor_kind when 'committee' then r.committee_name when 'loiro' then r.institute_name
                                when 'municipality' then m.name else sc.short_name end::text,
           m.name::text, app.report_label('assignment', a.status),
           case when app.assignment_overdue(i.deadline, a.status) then 'да' else 'нет' end,
           (a.reported_at at time zone 'Europe/Moscow')::date, a.report_text
    from app.assignments a
    join app.documents d on d.id = a.document_id
    join app.document_items i on i.id = a.item_id
    join app.regions r on r.id = a.region_id
    left join app.municipalities m on m.id = a.municipality_id
    left join app.schools sc on sc.id = a.school_id
    where a.region_id = v_region
      and (v_municipality is null or a.municipality_id = v_municipality)
    order by d.doc_date desc, d.id desc, i.number_path, i.id,
             array_position(array['committee', 'loiro', 'municipality', 'school'], a.executor_kind),
             m.name, sc.short_name, a.id;
end
$$;
grant execute on function app.report_execution_rows() to orientir_committee, orientir_loiro, orientir_municipality;
comment on function app.report_execution_rows() is
  'Committee, ЛОИРО, municipality: «Исполнение» — the execution records of the caller''s scope';

reset role;
