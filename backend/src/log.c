/* log.c — logfmt lines on stderr, one write(2) per line. */
#include "log.h"
#include "buf.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static atomic_int min_level = LL_INFO;

static const char *const level_names[] = { "debug", "info", "warn", "error" };

void log_set_level(enum log_level level)
{
	atomic_store(&min_level, (int)level);
}

int log_level_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s && strcmp(s, level_names[i]) == 0)
			return i;
	return -1;
}

int log_enabled(enum log_level level)
{
	return (int)level >= atomic_load(&min_level);
}

static void put_ts(struct buf *b, enum log_level level)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	buf_printf(b, "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s", tm.tm_year + 1900,
		   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		   ts.tv_nsec / 1000000, level_names[level]);
}

/* Appends ` key=value`, quoting the value when it has spaces, quotes or control bytes. */
static void put_kv(struct buf *b, const char *key, const char *val)
{
	if (val == NULL)
		return;
	int quote = val[0] == '\0';
	for (const char *p = val; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f)
			quote = 1;
	}
	buf_printf(b, " %s=", key);
	if (!quote) {
		buf_puts(b, val);
		return;
	}
	buf_putc(b, '"');
	buf_json_escape(b, val, strlen(val));
	buf_putc(b, '"');
}

static void emit(struct buf *b)
{
	buf_putc(b, '\n');
	size_t off = 0;
	while (off < b->len) {
		ssize_t w = write(STDERR_FILENO, b->data + off, b->len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	buf_free(b);
}

void log_msg(enum log_level level, const char *rid, const char *fmt, ...)
{
	if (!log_enabled(level))
		return;
	struct buf msg = BUF_INIT, line = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	char tmp[1024];
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	buf_puts(&msg, tmp);
	put_ts(&line, level);
	put_kv(&line, "rid", rid);
	put_kv(&line, "msg", msg.data);
	buf_free(&msg);
	emit(&line);
}

void log_request(const struct log_request_fields *f)
{
	enum log_level level = f->status >= 500 ? LL_ERROR : LL_INFO;
	if (!log_enabled(level))
		return;
	struct buf line = BUF_INIT;
	put_ts(&line, level);
	buf_puts(&line, " event=request");
	put_kv(&line, "rid", f->rid);
	put_kv(&line, "method", f->method);
	put_kv(&line, "path", f->path);
	buf_printf(&line, " status=%d ms=%.3f", f->status, f->ms);
	if (f->user_id > 0)
		buf_printf(&line, " user=%lld", (long long)f->user_id);
	else
		buf_puts(&line, " user=-");
	put_kv(&line, "role", f->role ? f->role : "-");
	put_kv(&line, "code", f->error_code);
	emit(&line);
}
