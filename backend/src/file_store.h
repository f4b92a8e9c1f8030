/* file_store.h — the bytes of attached files on disk, named by their SHA-256 (identical files stored once). */
#ifndef ORIENTIR_FILE_STORE_H
#define ORIENTIR_FILE_STORE_H

#include <limits.h>
#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

#define FILE_SHA256_HEX 64

/*
 * One file arriving: written to a temporary file under <store>/tmp as its
 * pieces come (never held whole in memory) and hashed on the way; then moved
 * to <store>/<first two hex digits>/<sha256>, or dropped when those bytes are
 * already stored. The temporary file is removed whatever happens.
 */
struct file_upload {
	int fd;                        /* the temporary file, -1 when none */
	char tmp_path[PATH_MAX];
	EVP_MD_CTX *md;
	uint64_t size;
	char sha256[FILE_SHA256_HEX + 1]; /* lower-case hex, set by file_upload_finish */
};

/* Starts an upload into store (created when missing). Returns 0, or -1 (errno set). */
int file_upload_begin(struct file_upload *u, const char *store);
/* Appends n bytes. Returns 0, or -1 on a write error. */
int file_upload_write(struct file_upload *u, const char *p, size_t n);
/* Flushes the file and computes sha256. Returns 0, or -1. */
int file_upload_finish(struct file_upload *u);
/* Moves the finished file to its place in store (a no-op when the same bytes are there). Returns 0, or -1. */
int file_upload_store(struct file_upload *u, const char *store);
/* Removes the temporary file (if any) and frees; safe after any of the above and twice. */
void file_upload_discard(struct file_upload *u);

/* The stored file's path relative to the store, "ab/ab12…"; out needs FILE_SHA256_HEX + 4 bytes. Returns 0, or -1 for a malformed digest. */
int file_store_relpath(const char *sha256, char *out, size_t outsz);

#endif
