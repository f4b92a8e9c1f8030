/* export_csv.h — CSV exports: PostgreSQL's COPY … TO STDOUT (FORMAT csv) streamed into a file, and the temporary files every export is written to. */
#ifndef ORIENTIR_EXPORT_CSV_H
#define ORIENTIR_EXPORT_CSV_H

#include <libpq-fe.h>
#include <stddef.h>

#define CSV_BOM "\xEF\xBB\xBF" /* Excel reads the file as UTF-8 only with it */

/*
 * The field separator for a validated `sep` query value: ',' for "comma",
 * ';' for "semicolon" or none (the default: what Excel in a Russian locale
 * expects). Any other value is refused by the route's enum before this.
 */
char csv_separator(const char *sep);

/*
 * Writes into out (size bytes) the statement
 *   COPY (<query>) TO STDOUT (FORMAT csv, HEADER true, DELIMITER '<sep>')
 * query is code, never request text (COPY takes no bind parameters: values go
 * in through a parameterised set_config before it). sep must be ';' or ','.
 * Returns 0, or -1 when it does not fit or sep is another character.
 */
int csv_copy_statement(char *out, size_t size, const char *query, char sep);

/*
 * Runs copy_sql (a COPY … TO STDOUT) on conn and writes a UTF-8 BOM and then
 * every piece PQgetCopyData hands over to fd, so memory stays flat however
 * many rows there are. Returns COPY's final result — PGRES_COMMAND_OK, or
 * the error result (SQLSTATE intact, e.g. OR404 from the row function) — or
 * NULL when the connection failed; the caller PQclear()s it. Every result is
 * drained, so conn is ready for the next command. *write_failed is set to 1
 * when writing to fd failed (disk full); the COPY is still read to its end.
 */
PGresult *csv_copy_to_fd(PGconn *conn, const char *copy_sql, int fd, int *write_failed);

/*
 * Creates a new empty file "orientir-export-XXXXXX" (mode 0600) in $TMPDIR,
 * or /tmp when TMPDIR is unset, empty or too long; its name goes into path
 * (size bytes). Returns the open descriptor, or -1 (errno set). The caller
 * unlinks the name as soon as it no longer needs it and closes the fd.
 */
int export_temp_file(char *path, size_t size);

/*
 * A read-write temporary file in $TMPDIR that has no name (O_TMPFILE), so
 * nothing is left behind whatever happens to the process; where the
 * filesystem lacks O_TMPFILE, a named one unlinked at once. -1 with errno.
 */
int export_anonymous_file(void);

/* Writes all n bytes of p to fd (retrying short writes and EINTR): 0, or -1. */
int export_write_all(int fd, const void *p, size_t n);

#endif
