/* export_xlsx.h — XLSX exports: any query's rows → one worksheet, on libxlsxwriter in constant-memory mode. */
#ifndef ORIENTIR_EXPORT_XLSX_H
#define ORIENTIR_EXPORT_XLSX_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stddef.h>

/*
 * How a column is written, from its result column alone: SQL names the
 * columns (PQfname is the header) and types them (PQftype), so no report
 * needs C code of its own.
 */
enum xlsx_kind {
	XK_TEXT,    /* anything else: a string */
	XK_NUMBER,  /* int2, int4, int8, numeric (and float4/float8) */
	XK_PERCENT, /* a name ending in "%": a fraction 0..1 as a number in format 0.0% */
	XK_DATE,    /* date: a date cell in format dd.mm.yyyy */
};

/* The kind of a column called name (UTF-8) of type type (a pg_type oid). */
enum xlsx_kind xlsx_column_kind(const char *name, Oid type);

/*
 * The column width (in characters, as Excel counts them) for a header of
 * header_chars characters, a column kind and the longest value seen
 * (characters): room for the header and its autofilter button, for the
 * kind's usual values, for the data — capped so one long text does not
 * make a column wider than a screen.
 */
double xlsx_column_width(size_t header_chars, enum xlsx_kind kind, size_t widest_value);

/*
 * Parses "YYYY-MM-DD" (PostgreSQL's ISO date output) into its parts.
 * Returns 0, or -1 for anything else (such a value is written as text).
 */
int xlsx_parse_date(const char *s, int *year, int *month, int *day);

struct xlsx_book;
struct xlsx_sheet;

/*
 * Starts a workbook that workbook_close will write to path (libxlsxwriter
 * cannot write to memory in Debian's 1.1.4), in constant-memory mode: each
 * sheet keeps one row in memory and spills the rest to temporary files in
 * tmpdir (NULL: the system's). Returns the book, or NULL. The caller ends it
 * with xlsx_book_close (the file is written) or xlsx_book_free (abandoned).
 */
struct xlsx_book *xlsx_book_new(const char *path, const char *tmpdir);

/*
 * Adds a sheet of label/value rows, e.g. «Параметры»: rows is a JSON array
 * of arrays [label, value] (borrowed); labels bold, strings and numbers
 * written as such, anything else as its JSON text. Returns 0, or -1 (the
 * book is then only good for xlsx_book_free).
 */
int xlsx_book_pairs_sheet(struct xlsx_book *book, const char *name, const json_t *rows);

/*
 * The streaming sheet: xlsx_sheet_begin adds an empty sheet called name;
 * xlsx_sheet_header takes the columns from any result of the query (a
 * single-row result carries them too) and writes the bold header row;
 * xlsx_sheet_row writes row `row` of r as the next sheet row;
 * xlsx_sheet_end sets the column widths, freezes the header row, puts the
 * autofilter over header and data, and frees the sheet (accepts NULL). Rows
 * must come in order: constant-memory mode writes each one out as the next
 * begins. Each returns 0, or -1 (the book is then only good for
 * xlsx_book_free; xlsx_sheet_end still frees the sheet).
 */
struct xlsx_sheet *xlsx_sheet_begin(struct xlsx_book *book, const char *name);
int xlsx_sheet_header(struct xlsx_sheet *sheet, const PGresult *r);
int xlsx_sheet_row(struct xlsx_sheet *sheet, const PGresult *r, int row);
int xlsx_sheet_end(struct xlsx_sheet *sheet);

/*
 * One sheet from one query: sends sql with text params on conn in
 * single-row mode and writes each row as it arrives, so memory does not
 * grow with the rows. A query without rows still gets its header row.
 * Returns the query's final result (PGRES_TUPLES_OK when every row was
 * read; the error result when the query failed — its SQLSTATE intact — or
 * NULL when the connection failed); the caller PQclear()s it. Every result
 * is drained, so conn is ready for the next command. *local_error is set to
 * 1 when writing the sheet failed (the query is still read to its end).
 */
PGresult *xlsx_sheet_from_query(struct xlsx_book *book, PGconn *conn, const char *name, const char *sql,
				int nparams, const char *const *params, int *local_error);

/*
 * Writes the file and frees the book. Returns 0, or -1 when the file could
 * not be written (what libxlsxwriter said is logged under request_id).
 */
int xlsx_book_close(struct xlsx_book *book, const char *request_id);

/* Frees a book without writing its file (after an error); accepts NULL. */
void xlsx_book_free(struct xlsx_book *book);

#endif
