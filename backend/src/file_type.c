/* file_type.c — libmagic names the type; libzip settles the OOXML files libmagic calls plain ZIP. */
#include "file_type.h"

#include <magic.h>
#include <pthread.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include <zip.h>

#define DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static const char *const allowed[] = {
	"application/pdf", DOCX, XLSX, "application/vnd.oasis.opendocument.text",
	"application/vnd.oasis.opendocument.spreadsheet", "image/jpeg", "image/png", NULL,
};

const char *file_type_static(const char *mime)
{
	for (size_t i = 0; mime && allowed[i]; i++)
		if (strcmp(allowed[i], mime) == 0)
			return allowed[i];
	return NULL;
}

int file_type_is_inline(const char *mime)
{
	return mime && (strcmp(mime, "application/pdf") == 0 || strncmp(mime, "image/", 6) == 0);
}

static int has_member(zip_t *z, const char *name)
{
	return zip_name_locate(z, name, 0) >= 0;
}

/*
 * libmagic 5.44 reports some OOXML files as application/zip (or, when other parts such as
 * customXml/ come first, application/octet-stream): open the archive and look for the parts a
 * Word or Excel document must have.
 */
static const char *ooxml_type(const char *path)
{
	int err = 0;
	const char *type = NULL;
	zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &err);
	if (z == NULL)
		return NULL;
	if (has_member(z, "[Content_Types].xml")) {
		if (has_member(z, "word/document.xml"))
			type = DOCX;
		else if (has_member(z, "xl/workbook.xml"))
			type = XLSX;
	}
	zip_discard(z);
	return type;
}

/* One cookie for the process; a cookie is not thread-safe, so uploads take turns (milliseconds). */
static magic_t cookie;
static pthread_mutex_t cookie_lock = PTHREAD_MUTEX_INITIALIZER;

int file_type_init(void)
{
	/*
	 * The types we accept show in their first bytes (and OOXML in its archive's directory, read
	 * by libzip): 256 KiB instead of libmagic's 1 MiB keeps its buffers (several times the bytes
	 * read) small while a 20 MiB upload is judged.
	 */
	size_t bytes_max = 256 * 1024;
	cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
	if (cookie != NULL && magic_load(cookie, NULL) == 0 &&
	    magic_setparam(cookie, MAGIC_PARAM_BYTES_MAX, &bytes_max) == 0)
		return 0;
	file_type_end();
	return -1;
}

void file_type_end(void)
{
	if (cookie != NULL)
		magic_close(cookie);
	cookie = NULL;
}

const char *file_type_allowed(const char *path)
{
	char found[128] = "";
	pthread_mutex_lock(&cookie_lock);
	const char *t = cookie ? magic_file(cookie, path) : NULL;
	if (t != NULL)
		snprintf(found, sizeof found, "%s", t); /* the cookie's buffer is the next caller's */
	pthread_mutex_unlock(&cookie_lock);
	if (strcmp(found, "application/zip") == 0 || strcmp(found, "application/octet-stream") == 0)
		return ooxml_type(path);
	return file_type_static(found);
}
