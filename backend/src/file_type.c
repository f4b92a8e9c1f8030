/* file_type.c — libmagic names the type; libzip settles the OOXML files libmagic calls plain ZIP. */
#include "file_type.h"

#include <magic.h>
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

const char *file_type_allowed(const char *path)
{
	/* A magic cookie is not thread-safe: one per call (loading maps the compiled database). */
	magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
	const char *type = NULL;
	if (m == NULL)
		return NULL;
	if (magic_load(m, NULL) == 0) {
		const char *found = magic_file(m, path);
		if (found && (strcmp(found, "application/zip") == 0 || strcmp(found, "application/octet-stream") == 0))
			type = ooxml_type(path);
		else
			type = file_type_static(found);
	}
	magic_close(m);
	return type;
}
