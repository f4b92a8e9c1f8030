/* file_type.h — what a file is, decided by its content (libmagic, libzip), and whether it may be attached. */
#ifndef ORIENTIR_FILE_TYPE_H
#define ORIENTIR_FILE_TYPE_H

/*
 * The MIME type of the file at path when it is one we accept — PDF, DOCX,
 * XLSX, ODT, ODS, JPEG, PNG — as a static string; NULL for anything else
 * (an executable named .pdf, an HTML page) or when it cannot be read.
 */
const char *file_type_allowed(const char *path);

/*
 * Loads libmagic's compiled database (megabytes) once for the process, before the workers
 * start: an upload then costs no memory of its own for it. Returns 0, or -1 (logged by the
 * caller; uploads are then refused as of no allowed type). file_type_end frees it.
 */
int file_type_init(void);
void file_type_end(void);

/* The static string of an accepted type named by text (as stored), or NULL. */
const char *file_type_static(const char *mime);

/* 1 when browsers show the type themselves (PDF, images): opened inline, else downloaded. */
int file_type_is_inline(const char *mime);

#endif
