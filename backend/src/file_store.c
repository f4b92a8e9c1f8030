/* file_store.c — a content-addressed store of attached files: write while hashing, then rename into place. */
#include "file_store.h"
#include "export_csv.h" /* export_write_all: short writes and EINTR */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Directories may be passed through but not listed (0711), files read (0644): the web server,
 * often another user, opens a file whose name it was given by the API (X-Accel-Redirect), and
 * nobody can list what is stored.
 */
static int mkdir_if_missing(const char *path)
{
	if (mkdir(path, 0711) == 0)
		return chmod(path, 0711); /* whatever the umask */
	return errno == EEXIST ? 0 : -1;
}

int file_upload_begin(struct file_upload *u, const char *store)
{
	char dir[PATH_MAX];
	memset(u, 0, sizeof *u);
	u->fd = -1;
	if (snprintf(dir, sizeof dir, "%s/tmp", store) >= (int)sizeof dir ||
	    snprintf(u->tmp_path, sizeof u->tmp_path, "%s/upload-XXXXXX", dir) >= (int)sizeof u->tmp_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (mkdir_if_missing(store) != 0 || mkdir_if_missing(dir) != 0)
		return -1;
	u->fd = mkstemp(u->tmp_path);
	if (u->fd < 0 || fcntl(u->fd, F_SETFD, FD_CLOEXEC) != 0) {
		if (u->fd >= 0) {
			close(u->fd);
			unlink(u->tmp_path);
			u->fd = -1;
		}
		u->tmp_path[0] = '\0';
		return -1;
	}
	u->md = EVP_MD_CTX_new();
	if (u->md == NULL || EVP_DigestInit_ex(u->md, EVP_sha256(), NULL) != 1) {
		file_upload_discard(u);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

int file_upload_write(struct file_upload *u, const char *p, size_t n)
{
	if (EVP_DigestUpdate(u->md, p, n) != 1)
		return -1;
	u->size += n;
	return export_write_all(u->fd, p, n);
}

int file_upload_finish(struct file_upload *u)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	static const char hex[] = "0123456789abcdef";

	if (EVP_DigestFinal_ex(u->md, digest, &len) != 1 || len * 2 != FILE_SHA256_HEX)
		return -1;
	for (unsigned int i = 0; i < len; i++) {
		u->sha256[2 * i] = hex[digest[i] >> 4];
		u->sha256[2 * i + 1] = hex[digest[i] & 15];
	}
	u->sha256[FILE_SHA256_HEX] = '\0';
	return fsync(u->fd);
}

int file_store_relpath(const char *sha256, char *out, size_t outsz)
{
	if (strlen(sha256) != FILE_SHA256_HEX || strspn(sha256, "0123456789abcdef") != FILE_SHA256_HEX ||
	    outsz < FILE_SHA256_HEX + 4)
		return -1;
	snprintf(out, outsz, "%.2s/%s", sha256, sha256);
	return 0;
}

int file_upload_store(struct file_upload *u, const char *store)
{
	char rel[FILE_SHA256_HEX + 4], dir[PATH_MAX], path[PATH_MAX];
	struct stat st;

	if (file_store_relpath(u->sha256, rel, sizeof rel) != 0 ||
	    snprintf(dir, sizeof dir, "%s/%.2s", store, u->sha256) >= (int)sizeof dir ||
	    snprintf(path, sizeof path, "%s/%s", store, rel) >= (int)sizeof path || mkdir_if_missing(dir) != 0)
		return -1;
	if (stat(path, &st) == 0 && (uint64_t)st.st_size == u->size)
		return 0; /* the same bytes are already stored: the temporary file goes */
	if (fchmod(u->fd, 0644) != 0 || rename(u->tmp_path, path) != 0)
		return -1;
	u->tmp_path[0] = '\0';
	return 0;
}

void file_upload_discard(struct file_upload *u)
{
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
	if (u->tmp_path[0])
		unlink(u->tmp_path);
	u->tmp_path[0] = '\0';
	EVP_MD_CTX_free(u->md);
	u->md = NULL;
}
