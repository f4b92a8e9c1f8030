-- Big data: the foreign keys, checked set-based. The load runs with
-- session_replication_role = replica, which also switches off the
-- referential-integrity triggers; instead of a trigger call per row, this
-- checks every foreign key of schema app with one anti-join each (NULLs
-- exempt, as MATCH SIMPLE does) before the transaction commits. Any orphan
-- raises, and the whole load rolls back.

do $$
declare
  fk record;
  v_orphans bigint;
begin
  for fk in
    select c.conname, c.conrelid::regclass as child, c.confrelid::regclass as parent,
           (select string_agg(format('c.%I', a.attname), ', ' order by k.n)
              from unnest(c.conkey) with ordinality k(attnum, n)
              join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum) as child_cols,
           (select string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' and ' order by k.n)
              from unnest(c.conkey, c.confkey) with ordinality k(ck, pk, n)
              join pg_attribute ca on ca.attrelid = c.conrelid and ca.attnum = k.ck
              join pg_attribute pa on pa.attrelid = c.confrelid and pa.attnum = k.pk) as join_cond,
           (select string_agg(format('c.%I is not null', a.attname), ' and ')
              from unnest(c.conkey) k(attnum)
              join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum) as not_null
    from pg_constraint c
    where c.contype = 'f' and c.connamespace = 'app'::regnamespace
      and c.conrelid::regclass::text in ('app.municipalities', 'app.schools', 'app.users', 'app.instruments',
        'app.directions', 'app.indicators', 'app.indicator_options', 'app.campaigns',
        'app.campaign_instruments', 'app.campaign_schools', 'app.submissions', 'app.answers',
        'app.submission_directions', 'app.submission_events', 'app.deficits')
    order by c.conrelid::regclass::text, c.conname
  loop
    execute format('select count(*) from %s c where %s and not exists (select 1 from %s p where %s)',
                   fk.child, fk.not_null, fk.parent, fk.join_cond)
      into v_orphans;
    if v_orphans > 0 then
      raise exception 'bigdata: % rows of % break foreign key % (% → %)',
        v_orphans, fk.child, fk.conname, fk.child_cols, fk.parent;
    end if;
  end loop;
end
$$;
