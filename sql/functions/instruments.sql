-- Self-diagnostic instruments: loading, validation, preview, publishing,
-- export, and the guard that freezes a published instrument.
-- Function file (see shared.sql for how function files are applied).

set local role orientir_owner;

-- An instrument row changes once: draft → published (status and
-- published_at, nothing else). A published instrument is never updated or
-- deleted; a draft may be deleted (no API does that).
create or replace function app.instrument_guard() returns trigger
language plpgsql set search_path = app, pg_temp as $$
begin
  if old.status = 'published' then
    perform app.raise_conflict_state('Опубликованный инструмент нельзя изменить: загрузите новую версию');
  end if;
  if tg_op = 'UPDATE'
     and (to_jsonb(new) - array['status', 'published_at']) is distinct from
         (to_jsonb(old) - array['status', 'published_at']) then
    perform app.raise_conflict_state('Инструмент нельзя изменить: загрузите новую версию');
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end
$$;
comment on function app.instrument_guard() is
  'Trigger: an instrument only moves draft → published; a published one is never updated or deleted';

-- Directions, indicators and options of a published instrument are frozen:
-- no insert, update or delete. Definer: the trigger must see the instrument
-- whatever the caller's RLS scope.
create or replace function app.instrument_part_guard() returns trigger
language plpgsql security definer set search_path = app, pg_temp as $$
begin
  if exists (select 1 from app.instruments i
             where i.status = 'published'
               and i.id in ((to_jsonb(case when tg_op <> 'INSERT' then old end) ->> 'instrument_id')::bigint,
                            (to_jsonb(case when tg_op <> 'DELETE' then new end) ->> 'instrument_id')::bigint)) then
    perform app.raise_conflict_state('Опубликованный инструмент нельзя изменить: загрузите новую версию');
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end
$$;
comment on function app.instrument_part_guard() is
  'Trigger: no insert, update or delete of directions, indicators or options of a published instrument';

-- Level of a number of points against three thresholds: the highest of
-- basic/medium/high the points reach, else below_basic.
create or replace function app.level_of(p_points integer, p_basic integer, p_medium integer, p_high integer)
returns text
language sql immutable parallel safe set search_path = app, pg_temp as $$
  select case when p_points >= p_high then 'high'
              when p_points >= p_medium then 'medium'
              when p_points >= p_basic then 'basic'
              else 'below_basic' end
$$;
comment on function app.level_of(integer, integer, integer, integer) is
  'Level of points: the highest threshold reached (high, medium, basic), else below_basic';

-- applies_to as the API shows it: NULL when the variant fits every school.
create or replace function app.applies_to_json(p_levels text[], p_ovz boolean) returns jsonb
language sql immutable set search_path = app, pg_temp as $$
  select case when cardinality(p_levels) = 0 and p_ovz is null then null
              else jsonb_strip_nulls(jsonb_build_object(
                     'levels', case when cardinality(p_levels) > 0 then to_jsonb(p_levels) end,
                     'ovz', p_ovz)) end
$$;
grant execute on function app.applies_to_json(text[],boolean) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.applies_to_json(text[], boolean) is 'applies_to of an instrument as JSON, NULL when it fits every school';

-- Whether an instrument variant fits a school: the school offers every level
-- the variant lists, and its ОВЗ flag equals the variant's when that is set.
create or replace function app.instrument_fits(p_levels text[], p_ovz boolean,
                                    p_school_levels text[], p_school_ovz boolean) returns boolean
language sql immutable parallel safe set search_path = app, pg_temp as $$ select p_levels <@ p_school_levels and (p_ovz is null or p_ovz = p_school_ovz) $$;
grant execute on function app.instrument_fits(text[],boolean,text[],boolean) to orientir_committee, orientir_loiro;
comment on function app.instrument_fits(text[], boolean, text[], boolean) is
  'True when a variant''s applies_to (levels ⊆ the school''s levels, ovz = has_ovz_pupils when given) fits a school';

-- Errors of a thresholds object {basic, medium, high} at p_field: each a
-- required integer from 1; strictly rising (out_of_order on the one that is
-- not above the previous); none above p_max (above_max), when p_max is known.
create or replace function app.doc_thresholds_errors(p jsonb, p_field text, p_max integer) returns jsonb
language plpgsql immutable set search_path = app, pg_temp as $$
declare
  v_errors jsonb := '[]'::jsonb;
  v_names  text[] := array['basic', 'medium', 'high'];
  v_labels text[] := array['базовый', 'средний', 'высокий'];
  v_value  integer;
  v_prev   integer;
  v_ok     boolean := true;
  k        integer;
begin
  if p is null or jsonb_typeof(p) = 'null' then
    return jsonb_build_array(app.field_error(p_field, 'required', 'Укажите пороги уровней: basic, medium, high'));
  end if;
  if jsonb_typeof(p) <> 'object' then
    return jsonb_build_array(app.field_error(p_field, 'invalid',
      'Ожидается объект {"basic": …, "medium": …, "high": …}'));
  end if;
  v_errors := app.doc_unknown_errors(p, v_names, p_field || '.');
  for k in 1 .. 3 loop
    v_value := app.doc_integer(p -> v_names[k]);
    if jsonb_typeof(p -> v_names[k]) is null or jsonb_typeof(p -> v_names[k]) = 'null' then
      v_errors := v_errors || app.field_error(p_field || '.' || v_names[k], 'required',
        format('Укажите порог уровня «%s»', v_labels[k]));
      v_ok := false;
    elsif v_value is null or v_value < 1 then
      v_errors := v_errors || app.field_error(p_field || '.' || v_names[k], 'invalid',
        'Порог — целое число от 1');
      v_ok := false;
    else
      if v_prev is not null and v_value <= v_prev then
        v_errors := v_errors || app.field_error(p_field || '.' || v_names[k], 'out_of_order',
          format('Порог уровня «%s» должен быть больше порога уровня «%s» (%s)', v_labels[k], v_labels[k - 1], v_prev));
      end if;
      if p_max is not null and v_value > p_max then
        v_errors := v_errors || app.field_error(p_field || '.' || v_names[k], 'above_max',
          format('Порог больше максимума баллов (%s)', p_max));
      end if;
      v_prev := v_value;
    end if;
  end loop;
  return v_errors;
end
$$;
grant execute on function app.doc_thresholds_errors(jsonb,text,integer) to orientir_committee, orientir_loiro;
comment on function app.doc_thresholds_errors(jsonb, text, integer) is
  'Field errors of a thresholds object: required, invalid, out_of_order (not strictly rising), above_max';

-- Every error of an instrument document, [] when it is valid. Checks types,
-- unknown members, codes (duplicate direction codes; indicator codes unique
-- in the whole instrument; option values unique in their indicator), texts,
-- applies_to, that every direction has indicators and every indicator at
-- least two options with integer points 0..1000 of which one is above 0,
-- and that thresholds rise strictly and stay within the maxima derived from
-- the points. Whether (code, version) already exists is instrument_create's
-- check.
create or replace function app.instrument_errors(p jsonb) returns jsonb
language plpgsql immutable set search_path = app, pg_temp as $$
declare
  v_errors    jsonb := '[]'::jsonb;
  v_dir_errs  jsonb := '[]'::jsonb;
  v_dir_codes jsonb := '{}'::jsonb;
  v_ind_codes jsonb := '{}'::jsonb;
  v_values    jsonb;
  v_dir       record;
  v_ind       record;
  v_opt       record;
  v_dpath     text;
  v_ipath     text;
  v_opath     text;
  v_points    integer;
  v_ind_max   integer;
  v_ind_known boolean;
  v_dir_max   integer;
  v_dir_known boolean;
  v_total     integer := 0;
  v_known     boolean := true;
  v_count     integer := 0;
  v_level     text;
begin
  if p is null or jsonb_typeof(p) <> 'object' then
    return jsonb_build_array(app.field_error('document', 'invalid', 'Ожидается JSON-объект инструмента'));
  end if;

  v_errors := app.doc_unknown_errors(p, array['code', 'version', 'title', 'applies_to', 'critical_rule',
                                              'thresholds', 'directions'], '')
           || app.doc_code_errors(p, 'code', 'code');
  if jsonb_typeof(p -> 'version') is null or jsonb_typeof(p -> 'version') = 'null' then
    v_errors := v_errors || app.field_error('version', 'required', 'Укажите версию');
  elsif coalesce(app.doc_integer(p -> 'version'), 0) < 1 then
    v_errors := v_errors || app.field_error('version', 'invalid', 'Версия — целое число от 1');
  end if;
  v_errors := v_errors || app.doc_string_errors(p, 'title', 'title', true, 500);

  if jsonb_typeof(p -> 'applies_to') not in ('object', 'null') then
    v_errors := v_errors || app.field_error('applies_to', 'invalid',
      'Ожидается объект {"levels": […], "ovz": true|false}');
  elsif jsonb_typeof(p -> 'applies_to') = 'object' then
    v_errors := v_errors || app.doc_unknown_errors(p -> 'applies_to', array['levels', 'ovz'], 'applies_to.');
    if jsonb_typeof(p #> '{applies_to,levels}') not in ('array', 'null') then
      v_errors := v_errors || app.field_error('applies_to.levels', 'invalid',
        'Ожидается список уровней: primary (НОО), basic (ООО), secondary (СОО)');
    elsif jsonb_typeof(p #> '{applies_to,levels}') = 'array' then
      for v_level in select l::text from jsonb_array_elements(p #> '{applies_to,levels}') l loop
        if v_level not in ('"primary"', '"basic"', '"secondary"') then
          v_errors := v_errors || app.field_error('applies_to.levels', 'invalid',
            'Допустимые уровни: primary (НОО), basic (ООО), secondary (СОО)');
          exit;
        end if;
      end loop;
      if (select count(*) <> count(distinct l::text) from jsonb_array_elements(p #> '{applies_to,levels}') l) then
        v_errors := v_errors || app.field_error('applies_to.levels', 'duplicate', 'Уровни не должны повторяться');
      end if;
    end if;
    if jsonb_typeof(p #> '{applies_to,ovz}') not in ('boolean', 'null') then
      v_errors := v_errors || app.field_error('applies_to.ovz', 'invalid', 'Ожидается значение true или false');
    end if;
  end if;
  if jsonb_typeof(p -> 'critical_rule') not in ('boolean', 'null') then
    v_errors := v_errors || app.field_error('critical_rule', 'invalid', 'Ожидается значение true или false');
  end if;

  if jsonb_typeof(p -> 'directions') is null or jsonb_typeof(p -> 'directions') = 'null'
     or p -> 'directions' = '[]'::jsonb then
    v_dir_errs := jsonb_build_array(app.field_error('directions', 'required', 'Добавьте хотя бы одно направление'));
    v_known := false;
  elsif jsonb_typeof(p -> 'directions') <> 'array' then
    v_dir_errs := jsonb_build_array(app.field_error('directions', 'invalid', 'Ожидается список направлений'));
    v_known := false;
  elsif jsonb_array_length(p -> 'directions') > 50 then
    v_dir_errs := jsonb_build_array(app.field_error('directions', 'too_many', 'Не больше 50 направлений'));
    v_known := false;
  else
    for v_dir in select d.doc, d.ord - 1 as k from jsonb_array_elements(p -> 'directions') with ordinality d(doc, ord) loop
      v_dpath := format('directions[%s]', v_dir.k);
      if jsonb_typeof(v_dir.doc) <> 'object' then
        v_dir_errs := v_dir_errs || app.field_error(v_dpath, 'invalid', 'Ожидается объект направления');
        v_known := false;
        continue;
      end if;
      v_dir_errs := v_dir_errs
        || app.doc_unknown_errors(v_dir.doc, array['code', 'title', 'thresholds', 'indicators'], v_dpath || '.')
        || app.doc_code_errors(v_dir.doc, 'code', v_dpath || '.code');
      if jsonb_typeof(v_dir.doc -> 'code') = 'string' then
        if v_dir_codes ? (v_dir.doc ->> 'code') then
          v_dir_errs := v_dir_errs || app.field_error(v_dpath || '.code', 'duplicate',
            format('Код направления «%s» уже есть в %s', v_dir.doc ->> 'code', v_dir_codes ->> (v_dir.doc ->> 'code')));
        else
          v_dir_codes := v_dir_codes || jsonb_build_object(v_dir.doc ->> 'code', v_dpath || '.code');
        end if;
      end if;
      v_dir_errs := v_dir_errs || app.doc_string_errors(v_dir.doc, 'title', v_dpath || '.title', true, 500);

      v_dir_max := 0;
      v_dir_known := true;
      if jsonb_typeof(v_dir.doc -> 'indicators') is null or jsonb_typeof(v_dir.doc -> 'indicators') = 'null'
         or v_dir.doc -> 'indicators' = '[]'::jsonb then
        v_dir_errs := v_dir_errs || app.field_error(v_dpath || '.indicators', 'required',
          'Добавьте в направление хотя бы один показатель');
        v_dir_known := false;
      elsif jsonb_typeof(v_dir.doc -> 'indicators') <> 'array' then
        v_dir_errs := v_dir_errs || app.field_error(v_dpath || '.indicators', 'invalid', 'Ожидается список показателей');
        v_dir_known := false;
      else
        for v_ind in select i.doc, i.ord - 1 as k
                     from jsonb_array_elements(v_dir.doc -> 'indicators') with ordinality i(doc, ord) loop
          v_ipath := format('%s.indicators[%s]', v_dpath, v_ind.k);
          v_count := v_count + 1;
          if jsonb_typeof(v_ind.doc) <> 'object' then
            v_dir_errs := v_dir_errs || app.field_error(v_ipath, 'invalid', 'Ожидается объект показателя');
            v_dir_known := false;
            continue;
          end if;
          v_dir_errs := v_dir_errs
            || app.doc_unknown_errors(v_ind.doc, array['code', 'text', 'hint', 'critical', 'options'], v_ipath || '.')
            || app.doc_code_errors(v_ind.doc, 'code', v_ipath || '.code');
          if jsonb_typeof(v_ind.doc -> 'code') = 'string' then
            if v_ind_codes ? (v_ind.doc ->> 'code') then
              v_dir_errs := v_dir_errs || app.field_error(v_ipath || '.code', 'duplicate',
                format('Код показателя «%s» уже есть в %s', v_ind.doc ->> 'code', v_ind_codes ->> (v_ind.doc ->> 'code')));
            else
              v_ind_codes := v_ind_codes || jsonb_build_object(v_ind.doc ->> 'code', v_ipath || '.code');
            end if;
          end if;
          v_dir_errs := v_dir_errs
            || app.doc_string_errors(v_ind.doc, 'text', v_ipath || '.text', true, 2000)
            || app.doc_string_errors(v_ind.doc, 'hint', v_ipath || '.hint', false, 4000);
          if jsonb_typeof(v_ind.doc -> 'critical') not in ('boolean', 'null') then
            v_dir_errs := v_dir_errs || app.field_error(v_ipath || '.critical', 'invalid',
              'Ожидается значение true или false');
          end if;

          v_ind_max := 0;
          v_ind_known := true;
          if jsonb_typeof(v_ind.doc -> 'options') is null or jsonb_typeof(v_ind.doc -> 'options') = 'null'
             or v_ind.doc -> 'options' = '[]'::jsonb then
            v_dir_errs := v_dir_errs || app.field_error(v_ipath || '.options', 'required',
              'Добавьте варианты ответа');
            v_ind_known := false;
          elsif jsonb_typeof(v_ind.doc -> 'options') <> 'array' then
            v_dir_errs := v_dir_errs || app.field_error(v_ipath || '.options', 'invalid',
              'Ожидается список вариантов ответа');
            v_ind_known := false;
          elsif jsonb_array_length(v_ind.doc -> 'options') < 2 then
            v_dir_errs := v_dir_errs || app.field_error(v_ipath || '.options', 'too_few',
              'Нужно не меньше двух вариантов ответа');
            v_ind_known := false;
          elsif jsonb_array_length(v_ind.doc -> 'options') > 20 then
            v_dir_errs := v_dir_errs || app.field_error(v_ipath || '.options', 'too_many',
              'Не больше 20 вариантов ответа');
            v_ind_known := false;
          else
            v_values := '{}'::jsonb;
            for v_opt in select o.doc, o.ord - 1 as k
                         from jsonb_array_elements(v_ind.doc -> 'options') with ordinality o(doc, ord) loop
              v_opath := format('%s.options[%s]', v_ipath, v_opt.k);
              if jsonb_typeof(v_opt.doc) <> 'object' then
                v_dir_errs := v_dir_errs || app.field_error(v_opath, 'invalid', 'Ожидается объект варианта ответа');
                v_ind_known := false;
                continue;
              end if;
              v_dir_errs := v_dir_errs
                || app.doc_unknown_errors(v_opt.doc, array['value', 'label', 'points'], v_opath || '.')
                || app.doc_code_errors(v_opt.doc, 'value', v_opath || '.value');
              if jsonb_typeof(v_opt.doc -> 'value') = 'string' then
                if v_values ? (v_opt.doc ->> 'value') then
                  v_dir_errs := v_dir_errs || app.field_error(v_opath || '.value', 'duplicate',
                    format('Значение «%s» уже есть у этого показателя', v_opt.doc ->> 'value'));
                else
                  v_values := v_values || jsonb_build_object(v_opt.doc ->> 'value', true);
                end if;
              end if;
              v_dir_errs := v_dir_errs || app.doc_string_errors(v_opt.doc, 'label', v_opath || '.label', true, 200);
              v_points := app.doc_integer(v_opt.doc -> 'points');
              if jsonb_typeof(v_opt.doc -> 'points') is null or jsonb_typeof(v_opt.doc -> 'points') = 'null' then
                v_dir_errs := v_dir_errs || app.field_error(v_opath || '.points', 'required',
                  'Укажите баллы варианта ответа');
                v_ind_known := false;
              elsif v_points is null or v_points not between 0 and 1000 then
                v_dir_errs := v_dir_errs || app.field_error(v_opath || '.points', 'invalid',
                  'Баллы — целое число от 0 до 1000');
                v_ind_known := false;
              else
                v_ind_max := greatest(v_ind_max, v_points);
              end if;
            end loop;
            if v_ind_known and v_ind_max = 0 then
              v_dir_errs := v_dir_errs || app.field_error(v_ipath || '.options', 'invalid',
                'Хотя бы один вариант ответа должен давать больше 0 баллов');
              v_ind_known := false;
            end if;
          end if;
          if v_ind_known then
            v_dir_max := v_dir_max + v_ind_max;
          else
            v_dir_known := false;
          end if;
        end loop;
      end if;
      v_dir_errs := v_dir_errs || app.doc_thresholds_errors(v_dir.doc -> 'thresholds', v_dpath || '.thresholds',
                                                            case when v_dir_known then v_dir_max end);
      if v_dir_known then
        v_total := v_total + v_dir_max;
      else
        v_known := false;
      end if;
    end loop;
    if v_count > 1000 then
      v_dir_errs := v_dir_errs || app.field_error('directions', 'too_many', 'Не больше 1000 показателей в инструменте');
    end if;
  end if;

  return v_errors
      || app.doc_thresholds_errors(p -> 'thresholds', 'thresholds', case when v_known then v_total end)
      || v_dir_errs;
end
$$;
grant execute on function app.instrument_errors(jsonb) to orientir_committee, orientir_loiro;
comment on function app.instrument_errors(jsonb) is
  'Committee, ЛОИРО: every field error of an instrument document (paths like directions[0].indicators[2].code), [] when valid';

-- The full tree of a visible instrument, NULL when not visible (404):
-- {id, code, version, title, status, applies_to, critical_rule,
--  thresholds: {basic, medium, high}, max_points, created_at, published_at,
--  directions: [{id, code, title, thresholds, max_points,
--    indicators: [{id, code, text, hint, critical, max_points,
--      options: [{id, value, label, points}]}]}]}
-- (plpgsql for the reason given at app.school_get.)
create or replace function app.instrument_get(p_id bigint) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  return (
    select json_build_object(
             'id', i.id, 'code', i.code, 'version', i.version, 'title', i.title, 'status', i.status,
             'applies_to', app.applies_to_json(i.applies_levels, i.applies_ovz),
             'critical_rule', i.critical_rule,
             'thresholds', json_build_object('basic', i.threshold_basic, 'medium', i.threshold_medium,
                                             'high', i.threshold_high),
             'max_points', i.max_points, 'created_at', i.created_at, 'published_at', i.published_at,
             'directions', coalesce((
               select json_agg(json_build_object(
                        'id', d.id, 'code', d.code, 'title', d.title,
                        'thresholds', json_build_object('basic', d.threshold_basic, 'medium', d.threshold_medium,
                                                        'high', d.threshold_high),
                        'max_points', d.max_points,
                        'indicators', coalesce((
                          select json_agg(json_build_object(
                                   'id', x.id, 'code', x.code, 'text', x.text, 'hint', x.hint,
                                   'critical', x.critical, 'max_points', x.max_points,
                                   'options', coalesce((
                                     select json_agg(json_build_object('id', o.id, 'value', o.value,
                                                                       'label', o.label, 'points', o.points)
                                                     order by o.position)
                                     from app.indicator_options o where o.indicator_id = x.id), '[]'::json))
                                 order by x.position)
                          from app.indicators x where x.direction_id = d.id), '[]'::json))
                      order by d.position)
               from app.directions d where d.instrument_id = i.id), '[]'::json))
    from app.instruments i
    where i.id = p_id);
end
$$;
grant execute on function app.instrument_get(bigint) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.instrument_get(bigint) is 'Four roles: the full tree of a visible instrument, NULL when not visible';

-- The document exactly as it was loaded (export), NULL when not visible.
create or replace function app.instrument_document(p_id bigint) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  return (select i.document from app.instruments i where i.id = p_id);
end
$$;
grant execute on function app.instrument_document(bigint) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.instrument_document(bigint) is 'Four roles: the JSON document of a visible instrument as loaded, NULL when not visible';

-- Items {id, code, version, title, status, applies_to, critical_rule,
-- max_points, direction_count, indicator_count, created_at, published_at},
-- by code then version, or by p_sort: code, title, status, published_at
-- (drafts last either way), each also descending ('-title'), ties in the
-- default order. p_status NULL: all visible; else draft|published.
create or replace function app.instruments_list(p_status text, p_limit integer, p_offset integer,
                                                p_sort text default null) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  select * into p_limit, p_offset
  from app.list_page(p_limit, p_offset, p_sort, array['code', 'title', 'status', 'published_at']);
  perform app.raise_if_invalid(app.one_of_errors('status', p_status,
                                                 array['draft', 'published'], 'Допустимые статусы'));
  return (
    with found as (
      select i.id, i.code, i.version, i.title, i.status, i.applies_levels, i.applies_ovz, i.critical_rule,
             i.max_points, i.created_at, i.published_at
      from app.instruments i
      where p_status is null or i.status = p_status
    ),
    page as (
      select f.*, row_number() over (order by
               -- one key a type and direction: only the field asked for is not null
               case p_sort when '-code' then f.code when '-status' then f.status end desc,
               case p_sort when 'title' then f.title end,
               case p_sort when '-title' then f.title end desc,
               case p_sort when 'status' then f.status end,
               case p_sort when 'published_at' then f.published_at end,
               case p_sort when '-published_at' then f.published_at end desc nulls last,
               f.code, f.version, f.id) as pos
      from found f
      order by pos
      limit p_limit offset p_offset
    )
    select app.page_json((
        select json_agg(json_build_object(
                 'id', p.id, 'code', p.code, 'version', p.version, 'title', p.title, 'status', p.status,
                 'applies_to', app.applies_to_json(p.applies_levels, p.applies_ovz),
                 'critical_rule', p.critical_rule, 'max_points', p.max_points,
                 'direction_count', (select count(*) from app.directions d where d.instrument_id = p.id),
                 'indicator_count', (select count(*) from app.indicators x where x.instrument_id = p.id),
                 'created_at', p.created_at, 'published_at', p.published_at)
               order by p.pos)
        from page p),
      (select count(*) from found), p_limit, p_offset));
end
$$;
grant execute on function app.instruments_list(text,integer,integer,text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.instruments_list(text, integer, integer, text) is
  'Four roles: visible instruments by code and version or p_sort (municipalities and schools: published only)';

-- Loads a document as a draft of the caller's region. Validates everything
-- first (OR422 validation.failed, one HINT entry per field; an existing
-- (code, version) of the region → field version code taken) and stores
-- nothing unless it is valid. Keeps the document as given (json) for the
-- export; strings are trimmed in the tree. Returns instrument_get.
create or replace function app.instrument_create(p_doc json) returns json
language plpgsql set search_path = app, pg_temp as $$
declare
  v_doc        jsonb := p_doc::jsonb;
  v_id         bigint;
  v_constraint text;
begin
  perform app.raise_if_invalid(app.instrument_errors(v_doc));
  if exists (select 1 from app.instruments i
             where i.region_id = app.claim_region_id() and i.code = btrim(v_doc ->> 'code')
               and i.version = (v_doc ->> 'version')::integer) then
    perform app.raise_if_invalid(jsonb_build_array(app.field_error('version', 'taken',
      format('Версия %s инструмента «%s» уже загружена', v_doc ->> 'version', btrim(v_doc ->> 'code')))));
  end if;

  begin
    with dirs as (
      select d.doc, d.ord,
             (select sum(m.max) from (
                select max(app.doc_integer(o -> 'points')) as max
                from jsonb_array_elements(d.doc -> 'indicators') x, jsonb_array_elements(x -> 'options') o
                group by x) m)::integer as max_points
      from jsonb_array_elements(v_doc -> 'directions') with ordinality d(doc, ord)
    )
    insert into app.instruments (region_id, code, version, title, applies_levels, applies_ovz, critical_rule,
                                 threshold_basic, threshold_medium, threshold_high, max_points, document,
                                 created_by)
    select app.claim_region_id(), btrim(v_doc ->> 'code'), (v_doc ->> 'version')::integer,
           btrim(v_doc ->> 'title'),
           coalesce((select array_agg(l order by array_position(array['primary', 'basic', 'secondary'], l))
                     from jsonb_array_elements_text(v_doc #> '{applies_to,levels}') l), '{}'),
           (v_doc #>> '{applies_to,ovz}')::boolean,
           coalesce((v_doc ->> 'critical_rule')::boolean, false),
           (v_doc #>> '{thresholds,basic}')::integer, (v_doc #>> '{thresholds,medium}')::integer,
           (v_doc #>> '{thresholds,high}')::integer,
           (select sum(max_points) from dirs), p_doc, app.claim_user_id()
    returning id into v_id;
  exception when unique_violation then
    get stacked diagnostics v_constraint = constraint_name;
    if v_constraint <> 'instruments_region_id_code_version_key' then
      raise;
    end if;
    perform app.raise_if_invalid(jsonb_build_array(app.field_error('version', 'taken',
      format('Версия %s инструмента «%s» уже загружена', v_doc ->> 'version', btrim(v_doc ->> 'code')))));
  end;

  insert into app.directions (instrument_id, code, title, position, threshold_basic, threshold_medium,
                              threshold_high, max_points)
  select v_id, btrim(d.doc ->> 'code'), btrim(d.doc ->> 'title'), d.ord,
         (d.doc #>> '{thresholds,basic}')::integer, (d.doc #>> '{thresholds,medium}')::integer,
         (d.doc #>> '{thresholds,high}')::integer,
         (select sum(m.max) from (
            select max(app.doc_integer(o -> 'points')) as max
            from jsonb_array_elements(d.doc -> 'indicators') x, jsonb_array_elements(x -> 'options') o
            group by x) m)::integer
  from jsonb_array_elements(v_doc -> 'directions') with ordinality d(doc, ord);

  insert into app.indicators (instrument_id, direction_id, code, text, hint, critical, position, max_points)
  select v_id, dr.id, btrim(x.doc ->> 'code'), btrim(x.doc ->> 'text'), nullif(btrim(x.doc ->> 'hint'), ''),
         coalesce((x.doc ->> 'critical')::boolean, false), x.ord,
         (select max(app.doc_integer(o -> 'points')) from jsonb_array_elements(x.doc -> 'options') o)
  from jsonb_array_elements(v_doc -> 'directions') with ordinality d(doc, ord)
  join app.directions dr on dr.instrument_id = v_id and dr.position = d.ord
  cross join jsonb_array_elements(d.doc -> 'indicators') with ordinality x(doc, ord);

  insert into app.indicator_options (instrument_id, indicator_id, value, label, points, position)
  select v_id, ix.id, o.doc ->> 'value', btrim(o.doc ->> 'label'), app.doc_integer(o.doc -> 'points'), o.ord
  from jsonb_array_elements(v_doc -> 'directions') d
  cross join jsonb_array_elements(d -> 'indicators') x
  join app.indicators ix on ix.instrument_id = v_id and ix.code = btrim(x ->> 'code')
  cross join jsonb_array_elements(x -> 'options') with ordinality o(doc, ord);

  return app.instrument_get(v_id);
end
$$;
grant execute on function app.instrument_create(json) to orientir_committee, orientir_loiro;
comment on function app.instrument_create(json) is
  'Committee, ЛОИРО: validate an instrument document and store it as a draft of the region; audited';

-- Publishes a draft: from now on it and its parts never change (triggers).
-- OR404 not visible, OR409 conflict.state when already published.
-- Returns instrument_get.
create or replace function app.instrument_publish(p_id bigint) returns json
language plpgsql set search_path = app, pg_temp as $$
declare
  v_status text;
begin
  select i.status into v_status from app.instruments i where i.id = p_id for update;
  if not found then
    perform app.raise_not_found('Инструмент не найден');
  end if;
  if v_status = 'published' then
    perform app.raise_conflict_state('Инструмент уже опубликован');
  end if;
  update app.instruments i set status = 'published', published_at = now() where i.id = p_id;
  return app.instrument_get(p_id);
end
$$;
grant execute on function app.instrument_publish(bigint) to orientir_committee, orientir_loiro;
comment on function app.instrument_publish(bigint) is
  'Committee, ЛОИРО: publish a draft instrument of the region (then immutable); audited';

reset role;
