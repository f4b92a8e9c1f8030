-- pgbench: xlsx.sql for the oversized region (xlsx-big: summary-big's committee and campaign),
-- the database side of GET /api/v1/reports/summary.xlsx?campaign_id= as
-- the API sends it (backend/src/db.c, api/reports.c xlsx_steps): the opening in one
-- pipelined round trip (BEGIN; claims, request id, role; the active check), then
-- report_export_begin (scope check, the audit row, «Параметры») and the five row
-- functions, one per sheet, each result read in full (the API reads them in
-- single-row mode straight into the workbook; writing the XLSX is C and is not
-- measured here), COMMIT. Variables: :big_campaign_id, :claims, :role (the committee).
\startpipeline
BEGIN;
SELECT set_config('request.claims', :claims, true), set_config('request.id', 'bench-pgbench', true),
       set_config('role', :role, true);
SELECT app.current_user_is_active();
\endpipeline
SELECT app.report_export_begin('summary', :big_campaign_id::bigint, 'xlsx');
SELECT * FROM app.report_municipality_rows(:big_campaign_id::bigint);
SELECT * FROM app.report_school_rows(:big_campaign_id::bigint);
SELECT * FROM app.report_deficit_rows(:big_campaign_id::bigint);
SELECT * FROM app.report_program_rows(:big_campaign_id::bigint);
SELECT * FROM app.report_execution_rows();
COMMIT;
