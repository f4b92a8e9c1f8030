-- pgbench: xlsx.sql for the oversized region (xlsx-big: summary-big's committee and
-- campaign), the statements of GET /api/v1/reports/summary.xlsx?campaign_id=
-- (backend/src/api/reports.c xlsx_steps): report_export_begin (scope check, the
-- audit row, «Параметры») and the five row functions, one per sheet, each result
-- read in full (writing the XLSX is C and is not measured here). bench.sh wraps
-- them in the request transaction, as the API sends it and as the job's minimal
-- transaction (pgbench_script). Variables: :big_campaign_id and the committee's claims.
SELECT app.report_export_begin('summary', :big_campaign_id::bigint, 'xlsx');
SELECT * FROM app.report_municipality_rows(:big_campaign_id::bigint);
SELECT * FROM app.report_school_rows(:big_campaign_id::bigint);
SELECT * FROM app.report_deficit_rows(:big_campaign_id::bigint);
SELECT * FROM app.report_program_rows(:big_campaign_id::bigint);
SELECT * FROM app.report_execution_rows();
