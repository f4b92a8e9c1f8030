-- Shared helpers of every domain: field errors and their raising, JSON document
-- validation (doc_*), paging and version checks, the conflict error, the Moscow
-- date, and the version-bump triggers of editable tables.
-- Function file: applied by scripts/migrate.sh after every numbered migration
-- and again whenever it changes (create or replace); a changed signature needs
-- a numbered migration that drops the old function.

set local role orientir_owner;

-- Editable rows carry a version for optimistic locking (If-Match). It moves
-- only when something a client can see changed, so a password reset does not
-- make an open edit form stale.
-- Bumping the token epoch is not a change a client sees: it moves no version.
create or replace function app.bump_version() returns trigger
language plpgsql set search_path = app, pg_temp as $$
begin
  if (to_jsonb(new) - array['version', 'updated_at', 'password_hash', 'token_epoch'])
     is distinct from (to_jsonb(old) - array['version', 'updated_at', 'password_hash', 'token_epoch']) then
    new.version := old.version + 1;
    new.updated_at := now();
  else
    new.version := old.version;
    new.updated_at := old.updated_at;
  end if;
  return new;
end
$$;
comment on function app.bump_version() is 'Trigger: version + 1 and updated_at = now() on a real change';

create or replace function app.field_error(p_field text, p_code text, p_message text) returns jsonb
language sql immutable set search_path = app, pg_temp as $$ select jsonb_build_object('field', p_field, 'code', p_code, 'message', p_message) $$;
grant execute on function app.field_error(text,text,text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.field_error(text, text, text) is 'One entry of a validation HINT: {field, code, message}';

-- The one catalogue of field error codes with a general meaning and their
-- Russian messages, the same as backend/src/field_messages.h (FM_<CODE>);
-- tests/api/field-messages.test.mjs checks that the two agree. Messages that
-- say more than the code (which date, the allowed values) stay where they
-- are raised.
create or replace function app.field_messages() returns table (code text, message text)
language sql immutable parallel safe as $$
  values ('required', 'Обязательное поле'),
         ('unknown', 'Неизвестное поле'),
         ('invalid_date', 'Ожидается существующая дата в формате ГГГГ-ММ-ДД'),
         ('invalid_utf8', 'Текст содержит недопустимые байты (не UTF-8)'),
         ('invalid_char', 'Текст содержит недопустимый символ \u0000'),
         ('too_deep', 'Слишком глубокая вложенность JSON')
$$;
grant execute on function app.field_messages() to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.field_messages() is 'The catalogue of field error codes and their Russian messages (as backend/src/field_messages.h)';

-- A field error with the catalogue's message of its code.
create or replace function app.field_error(p_field text, p_code text) returns jsonb
language sql immutable parallel safe as $$
  select pg_catalog.jsonb_build_object('field', p_field, 'code', p_code,
                                       'message', (select m.message from app.field_messages() m where m.code = p_code))
$$;
grant execute on function app.field_error(text,text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.field_error(text, text) is 'One entry of a validation HINT with the catalogue''s message of the code (app.field_messages)';

-- Raises OR422 validation.failed with the errors as HINT when there are any.
create or replace function app.raise_if_invalid(p_errors jsonb) returns void
language plpgsql immutable set search_path = app, pg_temp as $$
begin
  if coalesce(jsonb_array_length(p_errors), 0) > 0 then
    raise exception using errcode = 'OR422', message = 'Проверьте введённые данные',
      detail = 'validation.failed', hint = p_errors::text;
  end if;
end
$$;
grant execute on function app.raise_if_invalid(jsonb) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.raise_if_invalid(jsonb) is 'Raise OR422 validation.failed with HINT = the errors, unless the array is empty';

-- Type errors of the fields of p that are present and not null:
-- p_type is integer, boolean, string or array.
create or replace function app.type_errors(p jsonb, p_fields text[], p_type text) returns jsonb
language sql immutable set search_path = app, pg_temp as $$
  select coalesce(jsonb_agg(app.field_error(f.name, 'invalid',
                    case p_type
                      when 'integer' then 'Ожидается целое число'
                      when 'boolean' then 'Ожидается значение true или false'
                      when 'string'  then 'Ожидается строка'
                      else 'Ожидается список'
                    end) order by f.ord), '[]'::jsonb)
  from unnest(p_fields) with ordinality as f(name, ord)
  where p ? f.name
    and jsonb_typeof(p -> f.name) <> 'null'
    and not coalesce(case p_type
                       when 'integer' then jsonb_typeof(p -> f.name) = 'number'
                                           and (p ->> f.name) ~ '^[0-9]{1,18}$'
                       when 'boolean' then jsonb_typeof(p -> f.name) = 'boolean'
                       when 'string'  then jsonb_typeof(p -> f.name) = 'string'
                       when 'array'   then jsonb_typeof(p -> f.name) = 'array'
                     end, false)
$$;
grant execute on function app.type_errors(jsonb,text[],text) to orientir_committee, orientir_municipality;
comment on function app.type_errors(jsonb, text[], text) is 'Field errors (code invalid) for present, non-null fields of the wrong JSON type';

-- Errors of one text value: blank when required → required, longer than
-- p_max characters → too_long.
create or replace function app.text_errors(p_value text, p_field text, p_required boolean, p_max integer) returns jsonb
language sql immutable set search_path = app, pg_temp as $$
  select case
           when p_value is null or btrim(p_value) = '' then
             case when p_required
                  then jsonb_build_array(app.field_error(p_field, 'required'))
                  else '[]'::jsonb end
           when char_length(btrim(p_value)) > p_max then
             jsonb_build_array(app.field_error(p_field, 'too_long',
                                               format('Не длиннее %s символов', p_max)))
           else '[]'::jsonb
         end
$$;
grant execute on function app.text_errors(text,text,boolean,integer) to orientir_committee, orientir_loiro, orientir_municipality;
comment on function app.text_errors(text, text, boolean, integer) is 'Field errors of a text value: required, too_long';

-- Paging of every list: limit 1..p_max (default 50), offset >= 0 (default
-- 0); else OR422 with a field error for each. A list starts with
-- `select * into p_limit, p_offset from app.paging(p_limit, p_offset);`.
create or replace function app.paging(p_limit integer, p_offset integer, p_max integer default 200,
                                      out o_limit integer, out o_offset integer)
language plpgsql immutable set search_path = app, pg_temp as $$
begin
  perform app.raise_if_invalid(
    case when p_limit is not null and p_limit not between 1 and p_max
         then jsonb_build_array(app.field_error('limit', 'invalid', format('Допустимо от 1 до %s', p_max)))
         else '[]'::jsonb end
    || case when p_offset is not null and p_offset < 0
            then jsonb_build_array(app.field_error('offset', 'invalid', 'Не может быть отрицательным'))
            else '[]'::jsonb end);
  o_limit := coalesce(p_limit, 50);
  o_offset := coalesce(p_offset, 0);
end
$$;
grant execute on function app.paging(integer,integer,integer) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.paging(integer, integer, integer) is
  'The limit (default 50) and offset (default 0) of a list page; OR422 for a limit outside 1..p_max or a negative offset';

-- A list filter that must be one of p_allowed: [] when it is NULL or allowed,
-- else one error (field p_field, code invalid, «<p_what>: a, b, c»).
create or replace function app.one_of_errors(p_field text, p_value text, p_allowed text[], p_what text)
returns jsonb
language sql immutable set search_path = app, pg_temp as $$
  select case when p_value is null or p_value = any (p_allowed) then '[]'::jsonb
              else jsonb_build_array(app.field_error(p_field, 'invalid',
                                                     p_what || ': ' || array_to_string(p_allowed, ', ')))
         end
$$;
grant execute on function app.one_of_errors(text,text,text[],text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.one_of_errors(text, text, text[], text) is
  'Field error (invalid) for a value outside the allowed list, naming the allowed values; [] for NULL';

-- The sort of a list: p_sort must be one of p_fields (ascending) or '-' and
-- one of them (descending); [] when it is NULL or allowed, else one error
-- (field sort, code invalid, naming every allowed value, as the route's
-- allow-list in backend/src/routes.c does).
create or replace function app.sort_errors(p_sort text, p_fields text[]) returns jsonb
language sql immutable set search_path = app, pg_temp as $$
  select app.one_of_errors('sort', p_sort,
                           array(select v from unnest(p_fields) with ordinality f(name, ord),
                                        lateral (values (1, f.name), (2, '-' || f.name)) x(dir, v)
                                 order by f.ord, x.dir),
                           'Допустимый порядок')
$$;
grant execute on function app.sort_errors(text,text[]) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.sort_errors(text, text[]) is
  'Field error (sort, invalid) for a sort outside the fields and their descending -field; [] for NULL';

-- The limit and offset of a page of a list that sorts: its sort checked
-- against the list's fields (app.sort_errors, OR422 field sort), then the
-- page as app.paging. A sorting list starts with
-- `select * into p_limit, p_offset from app.list_page(p_limit, p_offset, p_sort, array[…]);`.
create or replace function app.list_page(p_limit integer, p_offset integer, p_sort text, p_sorts text[],
                                         p_max integer default 200, out o_limit integer, out o_offset integer)
language plpgsql immutable set search_path = app, pg_temp as $$
begin
  if p_sort is not null then -- most pages ask for none: the check costs more than the paging
    perform app.raise_if_invalid(app.sort_errors(p_sort, p_sorts));
  end if;
  select * into o_limit, o_offset from app.paging(p_limit, p_offset, p_max);
end
$$;
grant execute on function app.list_page(integer,integer,text,text[],integer) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.list_page(integer, integer, text, text[], integer) is
  'The limit and offset of a sorting list''s page: OR422 for a sort outside its fields, else as app.paging';

-- The ILIKE pattern of a search text: its substring anywhere, with \, % and _
-- taken literally; NULL for a NULL or blank text (no filter).
create or replace function app.like_pattern(p_q text) returns text
language sql immutable parallel safe as $$
  select case when pg_catalog.btrim(p_q) <> ''
              then '%' || pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.btrim(p_q), '\', '\\'),
                                                                '%', '\%'), '_', '\_') || '%' end
$$;
grant execute on function app.like_pattern(text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.like_pattern(text) is 'ILIKE pattern: the text anywhere, \ % _ literal; NULL when blank';

-- The envelope of every list: {items, total, limit, offset}; items NULL (no
-- row on the page) is []. Plain SQL, stable like json_build_object and
-- without a SET clause, so that it is inlined into the caller's query.
create or replace function app.page_json(p_items json, p_total bigint, p_limit integer, p_offset integer)
returns json
language sql stable parallel safe
as $$
  select pg_catalog.json_build_object('items', coalesce(p_items, '[]'::json), 'total', p_total,
                                      'limit', p_limit, 'offset', p_offset)
$$;
grant execute on function app.page_json(json,bigint,integer,integer) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.page_json(json, bigint, integer, integer) is
  'The list envelope {items, total, limit, offset}; NULL items are []';

-- The list envelope after the members of p_head (e.g. the campaign a list
-- is of): p_head || {items, total, limit, offset}.
create or replace function app.page_json(p_head jsonb, p_items json, p_total bigint, p_limit integer, p_offset integer)
returns json
language sql stable parallel safe
as $$
  select (p_head || pg_catalog.jsonb_build_object('items', coalesce(p_items, '[]'::json), 'total', p_total,
                                                   'limit', p_limit, 'offset', p_offset))::json
$$;
grant execute on function app.page_json(jsonb,json,bigint,integer,integer) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.page_json(jsonb, json, bigint, integer, integer) is
  'The list envelope {items, total, limit, offset} after the members of p_head; NULL items are []';


create or replace function app.role_label(p_role text) returns text
language sql immutable set search_path = app, pg_temp as $$
  select case p_role
           when 'committee' then 'Комитет'
           when 'loiro' then 'ЛОИРО'
           when 'municipality' then 'Муниципалитет'
           when 'school' then 'Школа'
         end
$$;
grant execute on function app.role_label(text) to orientir_committee, orientir_municipality;
comment on function app.role_label(text) is 'Russian name of a role for messages';

-- Raises a problem that the API answers by its SQLSTATE (OR404 → 404,
-- OR409 → 409, …), with the API's error code as DETAIL and the Russian
-- message as MESSAGE.
create or replace function app.raise_problem(p_sqlstate text, p_code text, p_message text) returns void
language plpgsql immutable set search_path = app, pg_temp as $$
begin
  raise exception using errcode = p_sqlstate, message = p_message, detail = p_code;
end
$$;
grant execute on function app.raise_problem(text,text,text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.raise_problem(text, text, text) is 'Raise an API problem: SQLSTATE, the API''s code as DETAIL, a Russian message';

create or replace function app.raise_conflict_state(p_message text) returns void
language sql immutable as $$ select app.raise_problem('OR409', 'conflict.state', p_message) $$;
grant execute on function app.raise_conflict_state(text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.raise_conflict_state(text) is 'Raise OR409 conflict.state with a Russian message';

create or replace function app.raise_not_found(p_message text) returns void
language sql immutable as $$ select app.raise_problem('OR404', 'not_found', p_message) $$;
grant execute on function app.raise_not_found(text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.raise_not_found(text) is 'Raise OR404 not_found with a Russian message (what was not found)';

-- An integer of a JSON value: NULL unless it is a number without fraction
-- within ±999,999,999.
create or replace function app.doc_integer(p jsonb) returns integer
language sql immutable set search_path = app, pg_temp as $$
  select case when jsonb_typeof(p) = 'number' and p::text ~ '^-?[0-9]{1,9}$' then p::text::integer end
$$;
grant execute on function app.doc_integer(jsonb) to orientir_committee, orientir_loiro;
comment on function app.doc_integer(jsonb) is 'The integer of a JSON number without fraction (|n| < 10^9), else NULL';

-- Errors (code unknown) for keys of an object outside p_allowed.
create or replace function app.doc_unknown_errors(p jsonb, p_allowed text[], p_prefix text) returns jsonb
language sql immutable set search_path = app, pg_temp as $$
  select coalesce(jsonb_agg(app.field_error(p_prefix || k, 'unknown') order by k), '[]'::jsonb)
  from jsonb_object_keys(p) k
  where k <> all (p_allowed)
$$;
grant execute on function app.doc_unknown_errors(jsonb,text[],text) to orientir_committee, orientir_loiro;
comment on function app.doc_unknown_errors(jsonb, text[], text) is 'Field errors (unknown) for keys not in the allowed list';

-- Errors of a string field of an object: missing or null → required (when
-- required), not a string → invalid, blank → required, too long → too_long.
create or replace function app.doc_string_errors(p jsonb, p_key text, p_field text, p_required boolean, p_max integer)
returns jsonb
language sql immutable set search_path = app, pg_temp as $$
  select case
           when jsonb_typeof(p -> p_key) is null or jsonb_typeof(p -> p_key) = 'null' then
             case when p_required then jsonb_build_array(app.field_error(p_field, 'required'))
                  else '[]'::jsonb end
           when jsonb_typeof(p -> p_key) <> 'string' then
             jsonb_build_array(app.field_error(p_field, 'invalid', 'Ожидается строка'))
           else app.text_errors(p ->> p_key, p_field, p_required, p_max)
         end
$$;
grant execute on function app.doc_string_errors(jsonb,text,text,boolean,integer) to orientir_committee, orientir_loiro;
comment on function app.doc_string_errors(jsonb, text, text, boolean, integer) is
  'Field errors of a string member: required, invalid (not a string), too_long';

-- Errors of a code (instrument, direction, indicator) or an option value:
-- a required string of 1..32 latin letters, digits, «.», «_», «-».
create or replace function app.doc_code_errors(p jsonb, p_key text, p_field text) returns jsonb
language sql immutable set search_path = app, pg_temp as $$
  select case
           when jsonb_array_length(e) > 0 then e
           when (p ->> p_key) !~ '^[A-Za-z0-9._-]{1,32}$' then
             jsonb_build_array(app.field_error(p_field, 'invalid',
               'Код: от 1 до 32 символов — латинские буквы, цифры, «.», «_», «-»'))
           else '[]'::jsonb
         end
  from (select app.doc_string_errors(p, p_key, p_field, true, 32) as e) s
$$;
grant execute on function app.doc_code_errors(jsonb,text,text) to orientir_committee, orientir_loiro;
comment on function app.doc_code_errors(jsonb, text, text) is
  'Field errors of a code: required, invalid (format [A-Za-z0-9._-]{1,32})';

create or replace function app.moscow_today() returns date
language sql stable set search_path = app, pg_temp as $$ select (now() at time zone 'Europe/Moscow')::date $$;
grant execute on function app.moscow_today() to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.moscow_today() is 'Today''s date in Europe/Moscow (the transaction''s start)';

-- A date of the form YYYY-MM-DD, NULL when the text is not one.
create or replace function app.parse_date(p text) returns date
language plpgsql immutable set search_path = app, pg_temp as $$
begin
  if p is null or p !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then
    return null;
  end if;
  return p::date;
exception when datetime_field_overflow or invalid_datetime_format then
  return null;
end
$$;
grant execute on function app.parse_date(text) to orientir_committee, orientir_loiro, orientir_municipality;
comment on function app.parse_date(text) is 'YYYY-MM-DD as a date, NULL when it is not a valid date of that form';

-- Errors of a date member: missing/null → required (when required), not a
-- YYYY-MM-DD string of a real date → invalid_date.
create or replace function app.doc_date_errors(p jsonb, p_key text, p_required boolean) returns jsonb
language sql immutable set search_path = app, pg_temp as $$
  select case
           when jsonb_typeof(p -> p_key) is null or jsonb_typeof(p -> p_key) = 'null' then
             case when p_required then jsonb_build_array(app.field_error(p_key, 'required', 'Укажите дату'))
                  else '[]'::jsonb end
           when jsonb_typeof(p -> p_key) <> 'string' or app.parse_date(p ->> p_key) is null then
             jsonb_build_array(app.field_error(p_key, 'invalid_date'))
           else '[]'::jsonb
         end
$$;
grant execute on function app.doc_date_errors(jsonb,text,boolean) to orientir_committee, orientir_loiro;
comment on function app.doc_date_errors(jsonb, text, boolean) is 'Field errors of a date member: required, invalid_date';

-- The positive integer ids of a JSON array, NULL when it is not an array of
-- positive integers.
create or replace function app.doc_ids(p jsonb) returns bigint[]
language sql immutable set search_path = app, pg_temp as $$
  select case when jsonb_typeof(p) = 'array'
                   and not exists (select 1 from jsonb_array_elements(p) e
                                   where jsonb_typeof(e) <> 'number' or e::text !~ '^[1-9][0-9]{0,17}$')
              then (select coalesce(array_agg(e::text::bigint order by o), '{}')
                    from jsonb_array_elements(p) with ordinality x(e, o)) end
$$;
grant execute on function app.doc_ids(jsonb) to orientir_committee, orientir_loiro;
comment on function app.doc_ids(jsonb) is 'The ids of a JSON array of positive integers (in order), NULL when it is not one';

create or replace function app.check_version(p_given integer, p_current integer) returns void
language plpgsql immutable set search_path = app, pg_temp as $$
begin
  if p_given is not null and p_given <> p_current then
    raise exception using errcode = 'OR409',
      message = 'Запись изменена другим пользователем. Обновите страницу и повторите',
      detail = 'conflict.stale_version';
  end if;
end
$$;
grant execute on function app.check_version(integer,integer) to orientir_committee, orientir_municipality;
comment on function app.check_version(integer, integer) is
  'Internal: OR409 conflict.stale_version when an If-Match version is given and differs';

-- Trigger (per statement, transition table changed_rows): the rows of a
-- child table change only while their parent is draft or returned, else
-- OR409 conflict.state. Arguments: the parent table (schema app), the
-- child's column that refers to it, the message. One check per statement,
-- so a bulk write (demo answers) costs one query, not one per row. Definer:
-- the parent must be seen whatever the caller's RLS scope.
create or replace function app.draft_parent_guard() returns trigger
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v_frozen boolean;
begin
  execute format('select exists (select 1 from changed_rows r join app.%I p on p.id = r.%I
                                 where p.status not in (''draft'', ''returned''))', tg_argv[0], tg_argv[1])
  into v_frozen;
  if v_frozen then
    perform app.raise_conflict_state(tg_argv[2]);
  end if;
  return null;
end
$$;
comment on function app.draft_parent_guard() is
  'Trigger (per statement): child rows (answers, program analyses) change only while their parent is draft or returned';

-- Versions: like app.bump_version, but a writer may also move the
-- version itself. A program's version must move when its measures, their
-- deficit links or its analyses change (an approve with If-Match then
-- approves exactly what the reviewer saw), and a measure's (or practice's)
-- when its links change: the state functions do that by setting
-- version = version + 1 on the parent row, which app.bump_version would undo
-- (nothing else in the row changed).
create or replace function app.bump_version_explicit() returns trigger
language plpgsql set search_path = app, pg_temp as $$
begin
  if new.version is distinct from old.version
     or (to_jsonb(new) - array['version', 'updated_at']) is distinct from (to_jsonb(old) - array['version', 'updated_at']) then
    new.version := old.version + 1;
    new.updated_at := now();
  else
    new.updated_at := old.updated_at;
  end if;
  return new;
end
$$;
comment on function app.bump_version_explicit() is
  'Trigger: version + 1 and updated_at = now() on a real change, or when the writer moved the version (a change to the row''s children)';

-- Unknown members of a body: each one field <name> code unknown.
create or replace function app.body_unknown_errors(p jsonb, p_known text[]) returns jsonb
language sql immutable set search_path = app, pg_temp as $$
  select coalesce(jsonb_agg(app.field_error(k, 'unknown') order by k), '[]'::jsonb)
  from jsonb_object_keys(p) k where k <> all (p_known)
$$;
comment on function app.body_unknown_errors(jsonb, text[]) is 'Internal: field errors (unknown) for members outside p_known';

reset role;
