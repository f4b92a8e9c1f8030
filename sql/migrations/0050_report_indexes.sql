-- 0050_report_indexes: indexes the monitoring summaries of issue 6 need at
-- Russia scale (docs/design.md "Monitoring summaries and exports").
--
-- A region's summary reads, for every accepted submission of the campaign,
-- its deficit rows (deficit and growth counts per school, the most frequent
-- deficits) and its per-direction results (mean points per direction): on
-- the synthetic region of 10,000 schools that is ~320,000 deficit rows and
-- 80,000 direction rows, fetched by submission. These covering indexes let
-- those reads be index-only scans (the visibility map is kept by autovacuum;
-- the big data load vacuums), instead of one heap visit per row — which
-- roughly halved the summary of that region (see the section's timings).
-- Nothing else is needed: the other lookups already have their keys
-- (campaign_schools and submissions by campaign and school, programs by
-- school and campaign, measures by program, assignments by region and by
-- municipality).

set local role orientir_owner;

create index deficits_submission_id_report_idx on app.deficits (submission_id)
  include (kind, indicator_id, critical);
comment on index app.deficits_submission_id_report_idx is
  'Reports: a submission''s deficit rows (kind, indicator, critical) by index-only scan';

create index submission_directions_report_idx on app.submission_directions (submission_id)
  include (direction_id, points, max_points);
comment on index app.submission_directions_report_idx is
  'Reports: a submission''s per-direction points by index-only scan';

reset role;
