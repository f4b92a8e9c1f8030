/* export_csv.c — CSV exports through PostgreSQL's COPY … TO STDOUT, written to a temporary file piece by piece. */
#define _GNU_SOURCE /* O_TMPFILE */
#include "export_csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char csv_separator(const char *sep)
{
	return sep != NULL && strcmp(sep, "comma") == 0 ? ',' : ';';
}

int csv_copy_statement(char *out, size_t size, const char *query, char sep)
{
	int n;

	if (sep != ';' && sep != ',')
		return -1;
	n = snprintf(out, size, "COPY (%s) TO STDOUT (FORMAT csv, HEADER true, DELIMITER '%c')", query, sep);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int export_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads the results after a COPY to their end; returns the last one (the caller clears it). */
static PGresult *drain(PGconn *conn)
{
	PGresult *r, *last = NULL;
	while ((r = PQgetResult(conn)) != NULL) {
		PQclear(last);
		last = r;
	}
	return last;
}

PGresult *csv_copy_to_fd(PGconn *conn, const char *copy_sql, int fd, int *write_failed)
{
	PGresult *r;
	char *piece = NULL;
	int n;

	*write_failed = 0;
	r = PQexec(conn, copy_sql);
	if (PQresultStatus(r) != PGRES_COPY_OUT)
		return r; /* an error result (e.g. the function is missing), or NULL */
	PQclear(r);
	if (export_write_all(fd, CSV_BOM, 3) != 0)
		*write_failed = 1;
	/* Synchronous: each call hands over one row as the server sends it, never the whole result. */
	while ((n = PQgetCopyData(conn, &piece, 0)) > 0) {
		if (!*write_failed && export_write_all(fd, piece, (size_t)n) != 0)
			*write_failed = 1;
		PQfreemem(piece);
		piece = NULL;
	}
	/* -1: the COPY ended (its status, or an error raised mid-way, follows); -2: the connection failed. */
	r = drain(conn);
	if (n == -2 && r == NULL)
		return NULL;
	return r;
}

static const char *temp_dir(void)
{
	const char *dir = getenv("TMPDIR");
	return dir && *dir ? dir : "/tmp";
}

int export_anonymous_file(void)
{
	char path[4096];
	/* O_TMPFILE: a file without a name, gone with its last descriptor — even after SIGKILL. */
	int fd = open(temp_dir(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	fd = export_temp_file(path, sizeof path); /* a filesystem without O_TMPFILE: name it, unlink it */
	if (fd >= 0)
		unlink(path);
	return fd;
}

int export_temp_file(char *path, size_t size)
{
	const char *dir = temp_dir();
	int n;

	if (strlen(dir) > size / 2)
		dir = "/tmp";
	n = snprintf(path, size, "%s/orientir-export-XXXXXX", dir);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return mkstemp(path); /* 0600, O_EXCL: nobody else's file, nobody else reads it */
}
