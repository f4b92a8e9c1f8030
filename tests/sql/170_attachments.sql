-- Attached files (0070_attachments, sql/functions/attachments.sql): a file is visible exactly
-- with its object and while not removed; only the organisation that changes the object
-- attaches (OR404 when the object is unseen, OR403 when seen but not changed); the type is
-- judged after the scope (OR415), the quota per owning organisation (OR422); removal keeps
-- the row, the program's history and the audit; reads from outside the owner are audited; no
-- API role writes the table directly. Fixtures: programs_fixtures (T1-A-1 with deficits).
begin;
\ir fixtures.psql
\ir diagnostics_fixtures.psql
\ir programs_fixtures.psql
select plan(21);
grant insert on fx to public;

create function pg_temp.add(p_kind text, p_id bigint, p_name text, p_size bigint default 1000,
                            p_type text default 'application/pdf', p_quota bigint default 1073741824) returns jsonb
language sql as $$
  select app.attachment_add(p_kind, p_id, null, p_name, p_size, p_type, repeat('a', 64), p_quota)::jsonb
$$;
create function pg_temp.visible(p_id bigint) returns integer language sql stable
as $$ select count(*)::integer from app.attachments where id = p_id $$;

select pg_temp.act_as('t-school-a1');
insert into fx values ('program:a1', (app.program_create(jsonb_build_object(
  'campaign_id', pg_temp.fx('campaign:c1'), 'title', 'Программа с файлами',
  'period_start', app.moscow_today(), 'period_end', app.moscow_today() + 365)) ->> 'id')::bigint);
select pg_temp.add('program', pg_temp.fx('program:a1'), ' Программа (подписана).pdf ') as f1 \gset
insert into fx values ('file:1', (:'f1'::jsonb ->> 'id')::bigint);
select is(:'f1'::jsonb - array['id', 'created_at', 'created_by'],
  jsonb_build_object('name', 'Программа (подписана).pdf', 'size', 1000, 'content_type', 'application/pdf',
                     'sha256', repeat('a', 64)),
  'the school attaches a file to its draft program (the name trimmed)');
select is(:'f1'::jsonb -> 'created_by' ->> 'organisation_name', (select short_name from app.schools where code = 'T1-A-1'),
  'who attached it is named with the organisation');
select is(app.program_get(pg_temp.fx('program:a1'))::jsonb -> 'attachments' -> 0 ->> 'id', :'f1'::jsonb ->> 'id',
  'the program lists it');
select is(pg_temp.visible(pg_temp.fx('file:1')), 1, 'the school sees its file');
select throws_ok($$insert into app.attachments (region_id, object_kind, program_id, organisation, name, size, content_type, sha256)
                   values (1, 'program', 1, 'school:1', 'x.pdf', 1, 'application/pdf', repeat('b', 64))$$,
  '42501', null, 'no API role writes the table itself');

-- Scope: visible with the object -------------------------------------------------------------------------------
select pg_temp.act_as('t-mun-a');
select is(pg_temp.visible(pg_temp.fx('file:1')), 1, 'its municipality sees the file');
select is(pg_temp.error_of(format('select pg_temp.add(%L, %s, %L)', 'program', pg_temp.fx('program:a1'), 'x.pdf')) ->> 'sqlstate',
  'OR403', 'the municipality sees the program but may not attach to it: OR403');
select pg_temp.act_as('t-mun-b');
select is(pg_temp.visible(pg_temp.fx('file:1')), 0, 'another municipality does not see it');
select pg_temp.act_as('t-school-a2');
select is(pg_temp.visible(pg_temp.fx('file:1')), 0, 'another school does not see it');
select is(pg_temp.error_of(format('select pg_temp.add(%L, %s, %L)', 'program', pg_temp.fx('program:a1'), 'x.pdf')) ->> 'sqlstate',
  'OR404', 'another school attaching to the program gets OR404');
select is(pg_temp.error_of(format('select pg_temp.add(%L, %s, %L, 10, null)', 'program', pg_temp.fx('program:a1'), 'x.exe')) ->> 'sqlstate',
  'OR404', 'the scope is judged before the type: an unseen object is OR404 whatever the file');
select pg_temp.act_as('t-committee2');
select is(pg_temp.visible(pg_temp.fx('file:1')), 0, 'another region''s committee does not see it');

-- Type and quota ---------------------------------------------------------------------------------------------------
select pg_temp.act_as('t-school-a1');
select is(pg_temp.error_of(format('select pg_temp.add(%L, %s, %L, 10, null)', 'program', pg_temp.fx('program:a1'), 'x.pdf')) ->> 'detail',
  'file.type_not_allowed', 'no allowed type (the API found none): OR415 file.type_not_allowed');
select is(pg_temp.error_of(format('select pg_temp.add(%L, %s, %L, 2000, %L, 2500)', 'program', pg_temp.fx('program:a1'), 'big.pdf',
                                  'application/pdf')) ->> 'detail',
  'file.quota_exceeded', 'the school''s files (1000 bytes) and this one (2000) over a 2500-byte quota: OR422');
select is(pg_temp.add('program', pg_temp.fx('program:a1'), 'fits.pdf', 1500, 'application/pdf', 2500) ->> 'size', '1500',
  'a file within the quota is taken');

-- Removal, history, audit ----------------------------------------------------------------------------------------
select lives_ok(format('select app.attachment_remove(%s)', pg_temp.fx('file:1')), 'the school removes a file of its draft program');
select is(pg_temp.visible(pg_temp.fx('file:1')), 0, 'the removed file is no longer visible');
reset role;
select is((select removed_by from app.attachments where id = pg_temp.fx('file:1')), pg_temp.fx('user:t-school-a1'),
  'its row stays, marked with who removed it');
select is((select array_agg(action || ':' || comment order by id) from app.program_events where program_id = pg_temp.fx('program:a1')
           and action in ('attach', 'detach')),
  array['attach:Программа (подписана).pdf', 'attach:fits.pdf', 'detach:Программа (подписана).pdf'],
  'the program''s history records each attach and the removal');
select is((select array_agg(action order by id) from app.audit_log where entity = 'attachments' and entity_id = pg_temp.fx('file:1')),
  array['attach', 'detach'], 'both are audited');

-- A read from outside the owning organisation is audited, the owner's own is not
select pg_temp.act_as('t-school-a1');
select (pg_temp.add('program', pg_temp.fx('program:a1'), 'read.pdf', 10) ->> 'id')::bigint as f3 \gset
select app.attachment_get(:f3);
select pg_temp.act_as('t-mun-a');
select app.attachment_get(:f3);
reset role;
select is((select array_agg(role order by id) from app.audit_log where entity = 'attachments' and entity_id = :f3 and action = 'read'),
  array['municipality'], 'the municipality''s read is audited, the school''s own is not');

select * from finish();
rollback;
