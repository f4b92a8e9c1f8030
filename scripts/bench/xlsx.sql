-- pgbench: the statements of GET /api/v1/reports/summary.xlsx?campaign_id=
-- (backend/src/api/reports.c xlsx_steps): report_export_begin (scope check, the
-- audit row, «Параметры») and the five row functions, one per sheet, each result
-- read in full (the API reads them in single-row mode straight into the workbook;
-- writing the XLSX is C and is not measured here). bench.sh wraps them in the
-- request transaction, as the API sends it and as the job's minimal transaction
-- (pgbench_script). Variables: :campaign_id and the committee's claims.
SELECT app.report_export_begin('summary', :campaign_id::bigint, 'xlsx');
SELECT * FROM app.report_municipality_rows(:campaign_id::bigint);
SELECT * FROM app.report_school_rows(:campaign_id::bigint);
SELECT * FROM app.report_deficit_rows(:campaign_id::bigint);
SELECT * FROM app.report_program_rows(:campaign_id::bigint);
SELECT * FROM app.report_execution_rows();
