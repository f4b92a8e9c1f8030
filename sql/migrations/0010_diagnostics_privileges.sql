-- 0010_diagnostics_privileges: which role may touch which self-diagnostic
-- table (and column) at all. Row scope is the job of the policies (0011).
--
--   Every table: SELECT for the four request roles (RLS narrows it).
--   instruments and their parts, campaigns and their instruments/schools:
--     written by the committee and ЛОИРО through the invoker functions of
--     sql/functions/instruments.sql and campaigns.sql — INSERT of the columns
--     those functions set; UPDATE only of
--     instruments (status, published_at: publishing) and campaigns
--     (closes_on: extending).
--   submissions, answers, submission_directions, submission_events,
--     deficits: no write privilege for any API role. They change only
--     through the SECURITY DEFINER state functions of submissions.sql, which check the
--     caller's scope and the state themselves (deficits are replaced on
--     resubmit, which needs DELETE — a privilege no API role holds).

grant select on app.instruments, app.directions, app.indicators, app.indicator_options,
                app.campaigns, app.campaign_instruments, app.campaign_schools,
                app.submissions, app.answers, app.submission_directions,
                app.submission_events, app.deficits
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;

grant insert (region_id, code, version, title, applies_levels, applies_ovz, critical_rule,
              threshold_basic, threshold_medium, threshold_high, max_points, document, created_by),
      update (status, published_at)
  on app.instruments to orientir_committee, orientir_loiro;
grant insert (instrument_id, code, title, position, threshold_basic, threshold_medium,
              threshold_high, max_points)
  on app.directions to orientir_committee, orientir_loiro;
grant insert (instrument_id, direction_id, code, text, hint, critical, position, max_points)
  on app.indicators to orientir_committee, orientir_loiro;
grant insert (instrument_id, indicator_id, value, label, points, position)
  on app.indicator_options to orientir_committee, orientir_loiro;

grant insert (region_id, title, opens_on, closes_on, target, created_by),
      update (closes_on)
  on app.campaigns to orientir_committee, orientir_loiro;
grant insert (campaign_id, instrument_id, position)
  on app.campaign_instruments to orientir_committee, orientir_loiro;
grant insert (campaign_id, school_id, instrument_id)
  on app.campaign_schools to orientir_committee, orientir_loiro;
