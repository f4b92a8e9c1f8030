#!/usr/bin/python3
"""xlsx_check.py — reads an XLSX export with openpyxl (Debian's python3-openpyxl) and prints what
reports.test.mjs checks, as JSON on stdout:

  {"sheets": [name, ...],
   "warnings": [text, ...],            # what openpyxl complained about while reading
   "sheet": {name: {"rows": [[value, ...], ...],   # every row (values; dates as YYYY-MM-DD)
                    "formats": [[number_format, ...], ...],  # of the first data row (row 2), or []
                    "bold_header": bool, "freeze": "A2" | null, "filter": "A1:E20" | null,
                    "widths": [width, ...],            # of the header's columns
                    "print": {"orientation", "paper", "fit_to_page", "fit_width", "fit_height", "title_rows"},
                    "formulas": n}}}                   # cells stored as formulas (text must not be)

Usage: /usr/bin/python3 tests/api/xlsx_check.py FILE.xlsx
(Call Debian's interpreter: a python3 earlier on PATH may not see python3-openpyxl.)
"""
import datetime
import json
import sys
import warnings


def cell_value(v):
    if isinstance(v, datetime.datetime):
        return v.date().isoformat() if v.time() == datetime.time(0) else v.isoformat()
    if isinstance(v, datetime.date):
        return v.isoformat()
    return v


def main(path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        import openpyxl
        from openpyxl.utils import get_column_letter
        wb = openpyxl.load_workbook(path)
    out = {"sheets": wb.sheetnames, "warnings": [str(w.message) for w in caught], "sheet": {}}
    for ws in wb.worksheets:
        rows = [[cell_value(v) for v in row] for row in ws.iter_rows(values_only=True)]
        header = list(ws.iter_rows(min_row=1, max_row=1))
        first = list(ws.iter_rows(min_row=2, max_row=2))
        out["sheet"][ws.title] = {
            "rows": rows,
            "formats": [c.number_format for c in first[0]] if first else [],
            "bold_header": bool(header) and all(c.font is not None and c.font.b for c in header[0]),
            "freeze": ws.freeze_panes,
            "filter": ws.auto_filter.ref,
            "widths": [ws.column_dimensions[get_column_letter(i + 1)].width for i in range(ws.max_column)],
            "formulas": sum(1 for row in ws.iter_rows() for c in row if c.data_type == "f"),
            "print": {
                "orientation": ws.page_setup.orientation,
                "paper": ws.page_setup.paperSize,
                "fit_to_page": bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
                "fit_width": ws.page_setup.fitToWidth,
                "fit_height": ws.page_setup.fitToHeight,
                "title_rows": ws.print_title_rows,
            },
        }
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: xlsx_check.py FILE.xlsx")
    main(sys.argv[1])
