-- 0072_export_percent_text: the «… %» columns of «Сводка по МО» become text written by
-- app.export_percent (sql/functions/exports.sql) — a fraction for the XLSX (which formats it
-- as a percentage), 0–100 with one decimal and the decimal mark of the CSV's separator for the
-- CSV (issue 15, item 6). A changed return type cannot be replaced: the old function goes.
drop function if exists app.report_municipality_rows(bigint);
