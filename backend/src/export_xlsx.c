/* export_xlsx.c — XLSX exports on libxlsxwriter (constant-memory mode): rows streamed from PostgreSQL in single-row mode, one worksheet per query. */
#include "export_xlsx.h"
#include "buf.h"
#include "log.h"
#include "mem.h"
#include "strutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

/* pg_type oids (catalog/pg_type_d.h is a server header). */
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_DATE 1082
#define OID_NUMERIC 1700

#define CELL_TEXT_MAX 32767 /* Excel's limit on a cell's text; longer values are cut (at a character) */
#define WIDTH_MIN 6.0
#define WIDTH_MAX 60.0

struct xlsx_book {
	lxw_workbook *wb;  /* owned until close/free */
	lxw_format *bold;  /* formats belong to the workbook */
	lxw_format *percent;
	lxw_format *date;
};

struct xlsx_sheet {
	struct xlsx_book *book;  /* borrowed */
	lxw_worksheet *ws;       /* belongs to the workbook */
	int ncols;               /* 0 until the header is written */
	enum xlsx_kind *kinds;   /* ncols each, owned */
	size_t *header_chars;
	size_t *widest;          /* longest value written per column, in characters */
	lxw_row_t next_row;      /* the sheet row the next data row goes to */
	struct buf text;         /* scratch for a cleaned cell text; grows to the longest value only */
};

enum xlsx_kind xlsx_column_kind(const char *name, Oid type)
{
	size_t n = name ? strlen(name) : 0;

	if (n > 0 && name[n - 1] == '%')
		return XK_PERCENT;
	switch (type) {
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
	case OID_NUMERIC:
	case OID_FLOAT4:
	case OID_FLOAT8:
		return XK_NUMBER;
	case OID_DATE:
		return XK_DATE;
	default:
		return XK_TEXT;
	}
}

double xlsx_column_width(size_t header_chars, enum xlsx_kind kind, size_t widest_value)
{
	/* Usual widths of the kinds: 12 345 678, 45.6 %, 31.12.2025, a short name. */
	static const double kind_min[] = { [XK_TEXT] = 10.0, [XK_NUMBER] = 10.0, [XK_PERCENT] = 8.0,
					   [XK_DATE] = 11.0 };
	double w = (double)header_chars + 3.0; /* + the autofilter's drop-down button */
	double data = (double)widest_value + 1.0;

	if (kind == XK_TEXT && data > w)
		w = data; /* numbers and dates have a fixed display; texts need their room */
	if (w < kind_min[kind])
		w = kind_min[kind];
	if (w < WIDTH_MIN)
		w = WIDTH_MIN;
	return w > WIDTH_MAX ? WIDTH_MAX : w;
}

int xlsx_parse_date(const char *s, int *year, int *month, int *day)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	/* Excel's dates start in 1900; February 29 of a non-leap year is no date. */
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return -1;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -1;
	*year = y;
	*month = m;
	*day = d;
	return 0;
}

/* A finite number written the way PostgreSQL prints it, else -1 (NaN, Infinity, garbage). */
static int parse_number(const char *s, double *out)
{
	char *end;
	double v;

	if (s == NULL || *s == '\0')
		return -1;
	v = strtod(s, &end);
	if (*end != '\0' || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* ---- the book ---- */

struct xlsx_book *xlsx_book_new(const char *path, const char *tmpdir)
{
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = (char *)tmpdir, .use_zip64 = LXW_FALSE };
	struct xlsx_book *book;
	lxw_workbook *wb = workbook_new_opt(path, &opt);

	if (wb == NULL)
		return NULL;
	book = xcalloc(1, sizeof *book);
	book->wb = wb;
	book->bold = workbook_add_format(wb);
	format_set_bold(book->bold);
	book->percent = workbook_add_format(wb);
	format_set_num_format(book->percent, "0.0%");
	book->date = workbook_add_format(wb);
	format_set_num_format(book->date, "dd.mm.yyyy");
	return book;
}

void xlsx_book_free(struct xlsx_book *book)
{
	if (book == NULL)
		return;
	lxw_workbook_free(book->wb); /* frees the sheets and their temporary files, writes nothing */
	free(book);
}

int xlsx_book_close(struct xlsx_book *book, const char *request_id)
{
	lxw_error e = workbook_close(book->wb); /* writes the file and frees the workbook in any case */

	free(book);
	if (e != LXW_NO_ERROR) {
		log_msg(LL_ERROR, request_id, "XLSX file not written: %s", lxw_strerror(e));
		return -1;
	}
	return 0;
}

/*
 * The text of a cell as Excel takes it: control characters other than tab
 * and line breaks (which XML 1.0 cannot carry) become spaces, and text
 * beyond Excel's limit is cut at a character boundary. Returns s itself
 * when nothing needs changing, else scratch's copy.
 */
static const char *cell_text(struct buf *scratch, const char *s, size_t *chars)
{
	size_t n = strlen(s);
	int clean = n <= CELL_TEXT_MAX;

	for (size_t i = 0; clean && i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			clean = 0;
	if (!clean) {
		if (n > CELL_TEXT_MAX) {
			n = CELL_TEXT_MAX;
			while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
				n--; /* s[n] is now the first byte of the character that does not fit */
		}
		buf_reset(scratch);
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)s[i];
			buf_putc(scratch, c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : (char)c);
		}
		buf_putc(scratch, '\0');
		s = scratch->data;
	}
	*chars = utf8_len(s, n);
	return s;
}

/* Writes one text cell; its width counts for the column when col ≥ 0. */
static lxw_error write_text(struct xlsx_sheet *sh, lxw_row_t row, lxw_col_t col, const char *s, lxw_format *f)
{
	size_t chars;
	const char *t = cell_text(&sh->text, s, &chars);
	if (sh->widest && chars > sh->widest[col])
		sh->widest[col] = chars;
	return worksheet_write_string(sh->ws, row, col, t, f);
}

int xlsx_book_pairs_sheet(struct xlsx_book *book, const char *name, const json_t *rows)
{
	struct xlsx_sheet sh = { .book = book, .ws = workbook_add_worksheet(book->wb, name), .text = BUF_INIT };
	size_t widest[2] = { 0, 0 }, i;
	const json_t *pair;
	lxw_error e = LXW_NO_ERROR;

	if (sh.ws == NULL)
		return -1;
	sh.widest = widest;
	json_array_foreach(rows, i, pair) {
		lxw_row_t row = (lxw_row_t)i;
		for (lxw_col_t col = 0; col < 2 && e == LXW_NO_ERROR; col++) {
			const json_t *v = json_array_get(pair, col);
			lxw_format *f = col == 0 ? book->bold : NULL;
			if (v == NULL || json_is_null(v))
				continue;
			if (json_is_string(v)) {
				e = write_text(&sh, row, col, json_string_value(v), f);
			} else if (json_is_number(v)) {
				e = worksheet_write_number(sh.ws, row, col, json_number_value(v), f);
			} else {
				char *dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
				e = write_text(&sh, row, col, dump ? dump : "", f);
				free(dump);
			}
		}
		if (e != LXW_NO_ERROR)
			break;
	}
	buf_free(&sh.text);
	if (e != LXW_NO_ERROR)
		return -1;
	worksheet_set_column(sh.ws, 0, 0, xlsx_column_width(widest[0], XK_TEXT, widest[0]), NULL);
	worksheet_set_column(sh.ws, 1, 1, xlsx_column_width(widest[1], XK_TEXT, widest[1]), NULL);
	return 0;
}

/* ---- a streamed sheet ---- */

/*
 * Printed as officials print a wide table: A4 landscape, every column on the page's width
 * (as many pages down as it takes), the header row repeated on each page.
 */
static void print_setup(lxw_worksheet *ws)
{
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 0, 0);
}

struct xlsx_sheet *xlsx_sheet_begin(struct xlsx_book *book, const char *name)
{
	lxw_worksheet *ws = workbook_add_worksheet(book->wb, name);
	struct xlsx_sheet *sh;

	if (ws == NULL)
		return NULL;
	print_setup(ws);
	sh = xcalloc(1, sizeof *sh);
	sh->book = book;
	sh->ws = ws;
	sh->text = (struct buf)BUF_INIT;
	return sh;
}

int xlsx_sheet_header(struct xlsx_sheet *sh, const PGresult *r)
{
	int n = PQnfields(r);

	if (sh->ncols > 0 || n <= 0 || n > LXW_COL_MAX)
		return sh->ncols > 0 && n == sh->ncols ? 0 : -1;
	sh->kinds = xcalloc((size_t)n, sizeof *sh->kinds);
	sh->header_chars = xcalloc((size_t)n, sizeof *sh->header_chars);
	sh->widest = xcalloc((size_t)n, sizeof *sh->widest);
	sh->ncols = n;
	for (int c = 0; c < n; c++) {
		const char *name = PQfname(r, c);
		sh->kinds[c] = xlsx_column_kind(name, PQftype(r, c));
		if (write_text(sh, 0, (lxw_col_t)c, name ? name : "", sh->book->bold) != LXW_NO_ERROR)
			return -1;
		sh->header_chars[c] = sh->widest[c];
		sh->widest[c] = 0;
	}
	sh->next_row = 1;
	return 0;
}

int xlsx_sheet_row(struct xlsx_sheet *sh, const PGresult *r, int row)
{
	lxw_row_t at = sh->next_row;

	if (sh->ncols == 0 || PQnfields(r) != sh->ncols || at >= LXW_ROW_MAX)
		return -1;
	for (int c = 0; c < sh->ncols; c++) {
		const char *v = PQgetvalue(r, row, c);
		lxw_col_t col = (lxw_col_t)c;
		lxw_error e = LXW_NO_ERROR;
		double num;
		int y, m, d;

		if (PQgetisnull(r, row, c))
			continue; /* an empty cell */
		switch (sh->kinds[c]) {
		case XK_NUMBER:
		case XK_PERCENT:
			if (parse_number(v, &num) == 0) {
				e = worksheet_write_number(sh->ws, at, col, num,
							   sh->kinds[c] == XK_PERCENT ? sh->book->percent : NULL);
				break;
			}
			e = write_text(sh, at, col, v, NULL);
			break;
		case XK_DATE:
			if (xlsx_parse_date(v, &y, &m, &d) == 0) {
				lxw_datetime dt = { .year = y, .month = m, .day = d };
				e = worksheet_write_datetime(sh->ws, at, col, &dt, sh->book->date);
				break;
			}
			e = write_text(sh, at, col, v, NULL);
			break;
		case XK_TEXT:
			e = write_text(sh, at, col, v, NULL);
			break;
		}
		if (e != LXW_NO_ERROR)
			return -1;
	}
	sh->next_row++;
	return 0;
}

int xlsx_sheet_end(struct xlsx_sheet *sh)
{
	int rc = 0;

	if (sh == NULL)
		return 0;
	if (sh->ncols > 0) {
		lxw_col_t last = (lxw_col_t)(sh->ncols - 1);
		for (int c = 0; c < sh->ncols; c++)
			if (worksheet_set_column(sh->ws, (lxw_col_t)c, (lxw_col_t)c,
						 xlsx_column_width(sh->header_chars[c], sh->kinds[c], sh->widest[c]),
						 NULL) != LXW_NO_ERROR)
				rc = -1;
		worksheet_freeze_panes(sh->ws, 1, 0);
		if (worksheet_autofilter(sh->ws, 0, 0, sh->next_row - 1, last) != LXW_NO_ERROR)
			rc = -1;
	}
	free(sh->kinds);
	free(sh->header_chars);
	free(sh->widest);
	buf_free(&sh->text);
	free(sh);
	return rc;
}

/* Reads what is left of a query's results; returns the last (the caller clears it). */
static PGresult *drain(PGconn *conn, PGresult *last)
{
	PGresult *r;
	while ((r = PQgetResult(conn)) != NULL) {
		PQclear(last);
		last = r;
	}
	return last;
}

PGresult *xlsx_sheet_from_query(struct xlsx_book *book, PGconn *conn, const char *name, const char *sql,
				int nparams, const char *const *params, int *local_error)
{
	struct xlsx_sheet *sh = NULL;
	PGresult *r = NULL;

	*local_error = 0;
	if (PQsendQueryParams(conn, sql, nparams, NULL, params, NULL, NULL, 0) != 1)
		return drain(conn, NULL); /* the connection's error, if it has one to report */
	/* One result per row: only the current row is ever in memory, here and in the sheet. */
	if (PQsetSingleRowMode(conn) != 1)
		*local_error = 1;
	sh = xlsx_sheet_begin(book, name);
	if (sh == NULL)
		*local_error = 1;
	while ((r = PQgetResult(conn)) != NULL) {
		ExecStatusType st = PQresultStatus(r);
		if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK)
			break; /* an error: the rest is drained below */
		if (!*local_error && sh->ncols == 0 && xlsx_sheet_header(sh, r) != 0)
			*local_error = 1;
		for (int i = 0; !*local_error && i < PQntuples(r); i++)
			if (xlsx_sheet_row(sh, r, i) != 0)
				*local_error = 1;
		if (st == PGRES_TUPLES_OK)
			break; /* the end of the rows (no rows itself in single-row mode) */
		PQclear(r);
		r = NULL;
	}
	r = drain(conn, r);
	if (xlsx_sheet_end(sh) != 0)
		*local_error = 1;
	return r;
}
