-- Big data: the derived rows, set-based. app.submissions_score — the one
-- scoring implementation that submit uses — computes submission_directions,
-- total, level (critical rule included) and the deficits of every submission
-- of the closed campaigns in one call; then they are accepted as their
-- municipality would: status, dates, deficits official. History rows
-- (open / submit / accept, and open for the drafts) snapshot the actors'
-- names as app.submission_event does.

select app.submissions_score(array_agg(d.submission_id order by d.submission_id)) is null as bd_ignored_scored
from bd_sub d where d.kind <> 'open'
\gset

update app.submissions s
set status = 'accepted', submitted_at = d.submitted_at, decided_at = d.decided_at, updated_at = d.decided_at
from bd_sub d
where s.id = d.submission_id and d.kind <> 'open';

update app.deficits df set official = true
from bd_sub d
where df.submission_id = d.submission_id and d.kind <> 'open';

insert into app.submission_events (submission_id, action, status, at, user_id, actor_role, actor_name,
                                   actor_organisation)
select d.submission_id, e.action, e.status, e.at, u.id, u.role, u.full_name,
       case when u.role = 'school' then sc.short_name else mu.name end
from bd_sub d
join app.schools sc on sc.id = d.school_id
join app.municipalities mu on mu.id = d.municipality_id
join app.users mo on mo.login = 'mo-' || mu.code
cross join lateral (values ('open', 'draft', d.opened_at, d.school_user_id, true),
                           ('submit', 'submitted', d.submitted_at, d.school_user_id, d.kind <> 'open'),
                           ('accept', 'accepted', d.decided_at, mo.id, d.kind <> 'open')) e(action, status, at, user_id, happened)
join app.users u on u.id = e.user_id
where e.happened
order by d.submission_id, e.at;
